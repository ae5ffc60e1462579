// The vGICv3 device: creation, init, and KVM_{SET,GET,HAS}_DEVICE_ATTR routing with the lock order and
// errno precedence of arch/arm64/kvm/vgic/vgic-kvm-device.c (kvm.md §3, §4, §7).
import {
  KVM_DEV_ARM_VGIC_CTRL_INIT,
  KVM_DEV_ARM_VGIC_GRP_ADDR,
  KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
  KVM_DEV_ARM_VGIC_GRP_CTRL,
  KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
  KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO,
  KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ,
  KVM_DEV_ARM_VGIC_GRP_NR_IRQS,
  KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
  KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES,
  kvmGetIccCtlr,
  vgicToMpidr,
  vgicV3ResetState,
} from '@vgicsim/gicv3-regs';
import type { Proc } from '../kernel/objects.js';
import type { KvmContext } from './context.js';
import { E2BIG, EBUSY, EEXIST, EFAULT, EINVAL, ENOENT, ENXIO } from './errno.js';
import type { VcpuState, VmState } from './state.js';
import type { KvmDeviceAttr } from './uapi.js';
import { getCpuSysreg, lookupCpuSysreg, setCpuSysreg } from './vgic-sysregs.js';

// arch/arm64/include/uapi/asm/kvm.h address types of GRP_ADDR.
export const KVM_VGIC_V3_ADDR_TYPE_DIST = 2n;
export const KVM_VGIC_V3_ADDR_TYPE_REDIST = 3n;
export const KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION = 5n;

const GICD_TYPER = 0x0004n;
const GICD_IIDR = 0x0008n;
const GICD_TYPER2 = 0x000cn;
const GICR_TYPER_LO = 0x0008n;
const GICR_TYPER_HI = 0x000cn;

/** kvm_vgic_create; the caller (KVM_CREATE_DEVICE) holds kvm->lock. */
export function* kvmVgicCreate(ctx: KvmContext, vm: VmState): Proc<number> {
  const { sim } = ctx;
  const locked = yield* trylockAll(ctx, vm.vcpus);
  if (locked === null) return -EBUSY;
  yield* sim.lock(vm.configLock);
  let ret = 0;
  if (vm.vgic !== null) ret = -EEXIST;
  else if (vm.vcpus.some((v) => v.hasRunOnce)) ret = -EBUSY;
  else vm.vgic = { model: 'v3', initialized: false, nrSpis: 0, distBase: null, redistBase: null, miIntid: 0 };
  sim.unlock(vm.configLock);
  unlockAll(ctx, locked);
  return ret;
}

/**
 * vgic_init: the only place the CPU-interface state (VMCR, SRE, bit counts) is (re)set, via
 * vgic_v3_enable for every vCPU. Caller holds config_lock.
 */
export function vgicInit(ctx: KvmContext, vm: VmState): number {
  const vgic = vm.vgic;
  if (vgic === null) return -ENXIO;
  if (vgic.initialized) return 0;
  if (vgic.nrSpis === 0) vgic.nrSpis = 256 - 32;
  for (const v of vm.vcpus) resetVcpuInterface(ctx, v);
  vgic.initialized = true;
  ctx.sim.emit('vgic-init', { vcpus: vm.vcpus.length, nrIrqs: vgic.nrSpis + 32 });
  return 0;
}

function resetVcpuInterface(ctx: KvmContext, v: VcpuState): void {
  const r = vgicV3ResetState(ctx.ichVtr);
  v.vgic = {
    vmcr: r.vmcr,
    sre: r.sre,
    ap0r: [0, 0, 0, 0],
    ap1r: [0, 0, 0, 0],
    numPriBits: r.numPriBits,
    numIdBits: r.numIdBits,
    iccCtlrShadow: 0n,
  };
  // Only the idealised RFC seeds its shadow at init; as posted it is written only by set_gic_ctlr.
  if (ctx.lockPolicy === 'lockless-shadow-idealised') v.vgic.iccCtlrShadow = kvmGetIccCtlr(v.vgic, ctx.ichVtr);
}

/** vgic_v3_set_attr. */
export function* vgicV3SetAttr(ctx: KvmContext, vm: VmState, attr: KvmDeviceAttr): Proc<number> {
  switch (attr.group) {
    case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
    case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
    case KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS:
    case KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO:
      return yield* vgicV3AttrRegsAccess(ctx, vm, attr, true);
    case KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ: {
      if (attr.addr === null) return -EFAULT;
      const val = Number(attr.addr.value & 0xffffffffn);
      yield* ctx.sim.lock(vm.configLock);
      let ret = 0;
      if (vm.vgic?.initialized === true) ret = -EBUSY;
      else if (val < 16 || val > 31) ret = -EINVAL;
      else if (vm.vgic !== null) vm.vgic.miIntid = val;
      ctx.sim.unlock(vm.configLock);
      return ret;
    }
    default:
      return yield* vgicSetCommonAttr(ctx, vm, attr);
  }
}

/** vgic_v3_get_attr. */
export function* vgicV3GetAttr(ctx: KvmContext, vm: VmState, attr: KvmDeviceAttr): Proc<number> {
  switch (attr.group) {
    case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
    case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
    case KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS:
    case KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO:
      return yield* vgicV3AttrRegsAccess(ctx, vm, attr, false);
    case KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ: {
      if (attr.addr === null) return -EFAULT;
      yield* ctx.sim.lock(vm.configLock);
      attr.addr.value = BigInt(vm.vgic?.miIntid ?? 0);
      ctx.sim.unlock(vm.configLock);
      return 0;
    }
    case KVM_DEV_ARM_VGIC_GRP_NR_IRQS:
      if (attr.addr === null) return -EFAULT;
      attr.addr.value = BigInt((vm.vgic?.nrSpis ?? 0) + 32);
      return 0;
    case KVM_DEV_ARM_VGIC_GRP_ADDR:
      return addrAccess(vm, attr, false);
    default:
      return -ENXIO;
  }
}

/** vgic_v3_has_attr: no locks and no init requirement (kvm.md §3.1). */
export function vgicV3HasAttr(vm: VmState, attr: KvmDeviceAttr): number {
  switch (attr.group) {
    case KVM_DEV_ARM_VGIC_GRP_ADDR:
      return attr.attr === KVM_VGIC_V3_ADDR_TYPE_DIST ||
        attr.attr === KVM_VGIC_V3_ADDR_TYPE_REDIST ||
        attr.attr === KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION
        ? 0
        : -ENXIO;
    case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
    case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
    case KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS: {
      if (parseAttrVcpu(vm, attr) === undefined) return -EINVAL;
      if (attr.group === KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS) {
        return lookupCpuSysreg(Number(attr.attr & 0xffffn)) === undefined ? -ENXIO : 0;
      }
      return (attr.attr & 3n) === 0n ? 0 : -ENXIO;
    }
    case KVM_DEV_ARM_VGIC_GRP_NR_IRQS:
    case KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ:
      return 0;
    case KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO:
      return ((attr.attr >> 10n) & 0x3fffffn) === 0n ? 0 : -ENXIO;
    case KVM_DEV_ARM_VGIC_GRP_CTRL:
      return attr.attr === BigInt(KVM_DEV_ARM_VGIC_CTRL_INIT) || attr.attr === BigInt(KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES)
        ? 0
        : -ENXIO;
    default:
      return -ENXIO;
  }
}

/** vgic_set_common_attr: ADDR, NR_IRQS, CTRL. */
function* vgicSetCommonAttr(ctx: KvmContext, vm: VmState, attr: KvmDeviceAttr): Proc<number> {
  const { sim } = ctx;
  switch (attr.group) {
    case KVM_DEV_ARM_VGIC_GRP_ADDR:
      return addrAccess(vm, attr, true);
    case KVM_DEV_ARM_VGIC_GRP_NR_IRQS: {
      if (attr.addr === null) return -EFAULT;
      const val = Number(attr.addr.value & 0xffffffffn);
      if (val < 64 || val > 1024 || val % 32 !== 0) return -EINVAL;
      yield* sim.lock(vm.configLock);
      let ret = 0;
      const vgic = vm.vgic;
      if (vgic === null || vgic.nrSpis !== 0) ret = -EBUSY;
      else vgic.nrSpis = val - 32;
      sim.unlock(vm.configLock);
      return ret;
    }
    case KVM_DEV_ARM_VGIC_GRP_CTRL: {
      if (attr.attr === BigInt(KVM_DEV_ARM_VGIC_CTRL_INIT)) {
        yield* sim.lock(vm.configLock);
        const ret = vgicInit(ctx, vm);
        sim.unlock(vm.configLock);
        return ret;
      }
      if (attr.attr === BigInt(KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES)) {
        yield* sim.lock(vm.lock);
        const locked = yield* trylockAll(ctx, vm.vcpus);
        if (locked === null) {
          sim.unlock(vm.lock);
          return -EBUSY;
        }
        yield* sim.lock(vm.configLock);
        const ret = vm.vgic?.initialized === true ? 0 : -ENXIO;
        sim.unlock(vm.configLock);
        unlockAll(ctx, locked);
        sim.unlock(vm.lock);
        return ret;
      }
      return -ENXIO;
    }
    default:
      return -ENXIO;
  }
}

const SZ_64K = 0x10000n;
/** KVM_VGIC_V3_DIST_SIZE and KVM_VGIC_V3_REDIST_SIZE (RD_base + SGI_base frames). */
const KVM_VGIC_V3_DIST_SIZE = SZ_64K;
const KVM_VGIC_V3_REDIST_SIZE = 2n * SZ_64K;

/**
 * vgic_check_iorange: already set → -EEXIST; base or size not aligned, or wrapping → -EINVAL; outside the
 * guest's IPA space (kvm_phys_size) → -E2BIG. Nothing is stored on failure, so a later valid address works.
 */
export function vgicCheckIorange(vm: VmState, ioaddr: bigint | null, addr: bigint, alignment: bigint, size: bigint): number {
  if (ioaddr !== null) return -EEXIST;
  if (addr % alignment !== 0n || size % alignment !== 0n) return -EINVAL;
  const end = addr + size;
  if (end >= 1n << 64n) return -EINVAL;
  const phys = 1n << BigInt(vm.ipaBits);
  if (addr >= phys || end > phys) return -E2BIG;
  return 0;
}

/**
 * GRP_ADDR for the DIST and the legacy REDIST base (kvm_vgic_addr): REDIST_REGION lists are not modelled
 * (-ENXIO). The legacy redistributor is checked for one 128 KiB frame (vgic_v3_alloc_redist_region with
 * count 0); a second one is -EEXIST.
 */
function addrAccess(vm: VmState, attr: KvmDeviceAttr, write: boolean): number {
  const vgic = vm.vgic;
  if (vgic === null) return -ENXIO;
  if (attr.addr === null) return -EFAULT;
  // vgic_v3_alloc_redist_region: a REDIST_REGION after the legacy REDIST mixes the two APIs (-EINVAL).
  if (write && attr.attr === KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION && vgic.redistBase !== null) return -EINVAL;
  const key =
    attr.attr === KVM_VGIC_V3_ADDR_TYPE_DIST ? 'distBase' : attr.attr === KVM_VGIC_V3_ADDR_TYPE_REDIST ? 'redistBase' : null;
  if (key === null) return -ENXIO;
  if (!write) {
    attr.addr.value = vgic[key] ?? 0xffffffffffffffffn;
    return 0;
  }
  const size = key === 'distBase' ? KVM_VGIC_V3_DIST_SIZE : KVM_VGIC_V3_REDIST_SIZE;
  const ret = vgicCheckIorange(vm, vgic[key], attr.addr.value, SZ_64K, size);
  if (ret !== 0) return ret;
  vgic[key] = attr.addr.value;
  return 0;
}

/** vgic_v3_parse_attr's vCPU lookup: DIST_REGS always targets vCPU 0; the others the MPIDR in 63:32. */
function parseAttrVcpu(vm: VmState, attr: KvmDeviceAttr): VcpuState | undefined {
  if (attr.group === KVM_DEV_ARM_VGIC_GRP_DIST_REGS) return vm.vcpus[0];
  return vm.vcpuByMpidr(vgicToMpidr(Number((attr.attr >> 32n) & 0xffffffffn)));
}

/** The kernel's internal sys_reg() encoding of ICC_CTLR_EL1 (arch/arm64/include/asm/sysreg.h SYS_ICC_CTLR_EL1). */
export const SYS_ICC_CTLR_EL1 = (3 << 19) | (0 << 16) | (12 << 12) | (12 << 8) | (4 << 5);

/**
 * Whether the lockless-shadow RFC serves this CPU_SYSREGS read from its shadow. As posted, the patch
 * compares the attr's 16-bit KVM_DEV_ARM_VGIC_SYSREG encoding (0xc664 for ICC_CTLR_EL1) with the kernel's
 * internal SYS_ICC_CTLR_EL1 (0x18cc80): they never match, so every read takes the locked path. The
 * idealised policy compares what was meant (the register the attr names).
 */
export function locklessShadowMatches(ctx: KvmContext, attr: KvmDeviceAttr): boolean {
  const id = Number(attr.attr & 0xffffn);
  if (ctx.lockPolicy === 'lockless-shadow-as-posted') return id === SYS_ICC_CTLR_EL1;
  if (ctx.lockPolicy === 'lockless-shadow-idealised') return lookupCpuSysreg(id)?.kind === 'CTLR';
  return false;
}

/** GICD_IIDR and GICD_TYPER2 may be accessed before CTRL_INIT from v6.16 on (reg_allowed_pre_init). */
function regAllowedPreInit(ctx: KvmContext, attr: KvmDeviceAttr): boolean {
  if (ctx.kernel !== 'v6.16' || attr.group !== KVM_DEV_ARM_VGIC_GRP_DIST_REGS) return false;
  const off = attr.attr & 0xffffffffn;
  return off === GICD_IIDR || off === GICD_TYPER2;
}

/**
 * vgic_v3_attr_regs_access in the shape of the selected kernel (kvm.md §4.1, §4.3), with the selected
 * lock policy for the vCPU mutexes. Returns 0 or a negative errno.
 */
export function* vgicV3AttrRegsAccess(ctx: KvmContext, vm: VmState, attr: KvmDeviceAttr, isWrite: boolean): Proc<number> {
  const { sim } = ctx;
  const uaccess = attr.group !== KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS;
  const legacy = ctx.kernel === 'v6.0' || ctx.kernel === 'v5.19';
  const target = parseAttrVcpu(vm, attr);
  if (target === undefined) return -EINVAL;
  // Before v6.0 the sysreg u64 was copied in before any lock; MMIO groups always copy in first.
  if (isWrite && attr.addr === null && (uaccess || ctx.kernel === 'v5.19')) return -EFAULT;

  // The lockless-shadow RFC: an initialised vGIC answers ICC_CTLR_EL1 reads from the shadow without a lock.
  if (!isWrite && attr.group === KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS && vm.vgic?.initialized === true && target.vgic !== null) {
    if (locklessShadowMatches(ctx, attr)) {
      if (attr.addr === null) return -EFAULT;
      attr.addr.value = target.vgic.iccCtlrShadow;
      sim.emit('vgic-shadow-read', { vcpu: target.index });
      return 0;
    }
  }

  yield* sim.lock(vm.lock);
  if (legacy && vm.vgic?.initialized !== true) {
    sim.unlock(vm.lock);
    return -EBUSY;
  }
  const locked = yield* lockVcpusForAccess(ctx, vm, attr, target);
  if (locked === null) {
    sim.unlock(vm.lock);
    return -EBUSY;
  }
  let ret: number;
  if (legacy) {
    ret = dispatch(ctx, vm, attr, isWrite, target);
  } else {
    yield* sim.lock(vm.configLock);
    if (vm.vgic?.initialized !== true && !regAllowedPreInit(ctx, attr)) ret = -EBUSY;
    else ret = dispatch(ctx, vm, attr, isWrite, target);
    sim.unlock(vm.configLock);
  }
  unlockAll(ctx, locked);
  sim.unlock(vm.lock);
  return ret;
}

function* lockVcpusForAccess(
  ctx: KvmContext,
  vm: VmState,
  attr: KvmDeviceAttr,
  target: VcpuState,
): Proc<VcpuState[] | null> {
  const perVcpu = attr.group !== KVM_DEV_ARM_VGIC_GRP_DIST_REGS;
  if (ctx.lockPolicy === 'target-vcpu' && perVcpu) return yield* trylockAll(ctx, [target]);
  return yield* trylockAll(ctx, vm.vcpus);
}

/** kvm_trylock_all_vcpus (or lock_all_vcpus): all-or-nothing trylock walk in index order. */
export function* trylockAll(ctx: KvmContext, vcpus: readonly VcpuState[]): Proc<VcpuState[] | null> {
  const failed = yield* ctx.sim.trylockWalk(
    vcpus.map((v) => v.mutex),
    ctx.costs.deviceAttrPerVcpuNs,
  );
  return failed < 0 ? [...vcpus] : null;
}

export function unlockAll(ctx: KvmContext, vcpus: readonly VcpuState[]): void {
  for (let i = vcpus.length - 1; i >= 0; i--) ctx.sim.unlock((vcpus[i] as VcpuState).mutex);
}

/** The register access itself, with every lock held. */
function dispatch(ctx: KvmContext, vm: VmState, attr: KvmDeviceAttr, isWrite: boolean, vcpu: VcpuState): number {
  switch (attr.group) {
    case KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS:
      return cpuSysregsUaccess(ctx, attr, isWrite, vcpu);
    case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
      return redistUaccess(vm, attr, isWrite, vcpu);
    case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
      return distUaccess(vm, attr, isWrite);
    case KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO:
      return ((attr.attr >> 10n) & 0x3fffffn) === 0n ? 0 : -EINVAL;
    default:
      return -EINVAL;
  }
}

/** vgic_v3_cpu_sysregs_uaccess → kvm_sys_reg_{get,set}_user (kvm.md §5.1, errno order of §4.2). */
function cpuSysregsUaccess(ctx: KvmContext, attr: KvmDeviceAttr, isWrite: boolean, vcpu: VcpuState): number {
  const old = ctx.kernel === 'v5.19';
  // Bits 31:16 of attr are not validated: only the five encoding fields are extracted.
  const id = Number(attr.attr & 0xffffn);
  const cpu = vcpu.vgic;
  if (isWrite) {
    if (attr.addr === null) return -EFAULT;
    const desc = lookupCpuSysreg(id);
    if (desc === undefined || cpu === null) return old ? -ENXIO : -ENOENT;
    const ret = setCpuSysreg(desc, cpu, ctx.ichVtr, attr.addr.value);
    ctx.sim.emit('vgic-sysreg-set', { vcpu: vcpu.index, reg: desc.name, value: attr.addr.value, ret });
    return ret;
  }
  const desc = lookupCpuSysreg(id);
  if (desc === undefined || cpu === null) return old ? -ENXIO : -ENOENT;
  const r = getCpuSysreg(desc, cpu, ctx.ichVtr);
  if (!r.ok) return -r.errno;
  if (attr.addr === null) return -EFAULT;
  attr.addr.value = r.value;
  ctx.sim.emit('vgic-sysreg-get', { vcpu: vcpu.index, reg: desc.name, value: r.value });
  return 0;
}

/**
 * Redistributor registers, reduced to GICR_TYPER (the only one QEMU's reset path reads), as
 * vgic_mmio_read_v3r_typer builds it: Aff3..Aff0 of the MPIDR in 63:32, Processor_Number = vcpu_id,
 * PLPIS when the VM has an ITS, and Last on the vCPU whose redistributor is the last one of the region —
 * the last vCPU *created* (rdreg_index follows creation order), once a legacy redistributor base is set
 * (vgic_mmio_vcpu_rdist_is_last). Other offsets read 0 and ignore writes (not modelled).
 */
function redistUaccess(vm: VmState, attr: KvmDeviceAttr, isWrite: boolean, vcpu: VcpuState): number {
  if (attr.addr === null) return -EFAULT;
  if (isWrite) return 0;
  const off = attr.attr & 0xffffffffn;
  const last = vm.vgic?.redistBase !== null && vm.vcpus[vm.vcpus.length - 1] === vcpu;
  const aff = (((vcpu.mpidr >> 32n) & 0xffn) << 24n) | (vcpu.mpidr & 0xffffffn);
  const plpis = vm.hasIts ? 1n : 0n;
  const typer = (aff << 32n) | ((BigInt(vcpu.index) & 0xffffn) << 8n) | (last ? 0x10n : 0n) | plpis;
  if (off === GICR_TYPER_LO) attr.addr.value = typer & 0xffffffffn;
  else if (off === GICR_TYPER_HI) attr.addr.value = typer >> 32n;
  else attr.addr.value = 0n;
  return 0;
}

/** Distributor registers, reduced to GICD_TYPER (ITLinesNumber from nr_spis); others read 0 (not modelled). */
function distUaccess(vm: VmState, attr: KvmDeviceAttr, isWrite: boolean): number {
  if (attr.addr === null) return -EFAULT;
  if (isWrite) return 0;
  const off = attr.attr & 0xffffffffn;
  const nrIrqs = (vm.vgic?.nrSpis ?? 0) + 32;
  attr.addr.value = off === GICD_TYPER ? BigInt(((nrIrqs >> 5) - 1) & 0x1f) : 0n;
  return 0;
}
