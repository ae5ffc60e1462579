// KVM_{SET,GET,HAS}_DEVICE_ATTR on the vGICv3 device: group dispatch with the lock order and errno
// precedence of arch/arm64/kvm/vgic/vgic-kvm-device.c (kvm.md §3, §4, §7). The vCPU locks come from the
// selected lock policy, release differences from the kernel-shape table, the registers from
// vgic-mmio-v3.ts and vgic-sysregs.ts.
import {
  GICD_IIDR,
  GICD_TYPER2,
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
  KVM_VGIC_V3_ADDR_TYPE_DIST,
  KVM_VGIC_V3_ADDR_TYPE_REDIST,
  KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION,
  vgicToMpidr,
} from '@vgicsim/gicv3-regs';
import type { Proc } from '../kernel/objects.js';
import type { KvmContext } from './context.js';
import { EBUSY, EFAULT, EINVAL, ENXIO } from './errno.js';
import { kernelShape } from './kernel-versions.js';
import type { VcpuState, VmState } from './state.js';
import type { KvmDeviceAttr } from './uapi.js';
import { kvmVgicAddr } from './vgic-addr.js';
import { vgicInit } from './vgic-init.js';
import { kvmUnlockAllVcpus, lockVmAndAllVcpus, unlockVmAndAllVcpus } from './vgic-lock-all-vcpus.js';
import { lockVcpusForAccess, locklessShadowMatches } from './vgic-lock-policy.js';
import { vgicV3DistUaccess, vgicV3RedistUaccess } from './vgic-mmio-v3.js';
import { lookupCpuSysreg, vgicV3CpuSysregsUaccess } from './vgic-sysregs.js';
import { emitKvmEvent } from './trace-vocabulary.js';

/**
 * vgic_v3_set_attr. The register groups hand back vgic_v3_attr_regs_access's own generator (one frame less
 * on every step of a register access; the caller yield*s it at once); the rest runs in vgicV3SetOtherAttr.
 */
export function vgicV3SetAttr(ctx: KvmContext, vm: VmState, attr: KvmDeviceAttr): Proc<number> {
  switch (attr.group) {
    case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
    case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
    case KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS:
    case KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO:
      return vgicV3AttrRegsAccess(ctx, vm, attr, true);
    default:
      return vgicV3SetOtherAttr(ctx, vm, attr);
  }
}

/** vgic_v3_set_attr's other groups. */
function* vgicV3SetOtherAttr(ctx: KvmContext, vm: VmState, attr: KvmDeviceAttr): Proc<number> {
  switch (attr.group) {
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

/** vgic_v3_get_attr; the register groups hand back vgic_v3_attr_regs_access as vgicV3SetAttr does. */
export function vgicV3GetAttr(ctx: KvmContext, vm: VmState, attr: KvmDeviceAttr): Proc<number> {
  switch (attr.group) {
    case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
    case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
    case KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS:
    case KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO:
      return vgicV3AttrRegsAccess(ctx, vm, attr, false);
    default:
      return vgicV3GetOtherAttr(ctx, vm, attr);
  }
}

/** vgic_v3_get_attr's other groups. */
function* vgicV3GetOtherAttr(ctx: KvmContext, vm: VmState, attr: KvmDeviceAttr): Proc<number> {
  switch (attr.group) {
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
      return kvmVgicAddr(vm, attr, false);
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
      return kvmVgicAddr(vm, attr, true);
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
        const locked = yield* lockVmAndAllVcpus(ctx, vm);
        if (locked === null) return -EBUSY;
        yield* sim.lock(vm.configLock);
        const ret = vm.vgic?.initialized === true ? 0 : -ENXIO;
        sim.unlock(vm.configLock);
        unlockVmAndAllVcpus(ctx, vm, locked);
        return ret;
      }
      return -ENXIO;
    }
    default:
      return -ENXIO;
  }
}

/** vgic_v3_parse_attr's vCPU lookup: DIST_REGS always targets vCPU 0; the others the MPIDR in 63:32. */
function parseAttrVcpu(vm: VmState, attr: KvmDeviceAttr): VcpuState | undefined {
  if (attr.group === KVM_DEV_ARM_VGIC_GRP_DIST_REGS) return vm.vcpus[0];
  return vm.vcpuByMpidr(vgicToMpidr(Number((attr.attr >> 32n) & 0xffffffffn)));
}

/** reg_allowed_pre_init: GICD_IIDR and GICD_TYPER2, on kernels that have it. */
function regAllowedPreInit(ctx: KvmContext, attr: KvmDeviceAttr): boolean {
  if (!kernelShape(ctx.kernel).regAllowedPreInit || attr.group !== KVM_DEV_ARM_VGIC_GRP_DIST_REGS) return false;
  const off = Number(attr.attr & 0xffffffffn);
  return off === GICD_IIDR || off === GICD_TYPER2;
}

/**
 * vgic_v3_attr_regs_access in the shape of the selected kernel (kvm.md §4.1, §4.3), with the selected
 * lock policy for the vCPU mutexes. Returns 0 or a negative errno.
 */
export function* vgicV3AttrRegsAccess(ctx: KvmContext, vm: VmState, attr: KvmDeviceAttr, isWrite: boolean): Proc<number> {
  const { sim } = ctx;
  const shape = kernelShape(ctx.kernel);
  const uaccess = attr.group !== KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS;
  const initCheckFirst = shape.initCheck === 'before-vcpu-locks';
  const target = parseAttrVcpu(vm, attr);
  if (target === undefined) return -EINVAL;
  // MMIO groups always copy the value in before any lock; the sysreg u64 only on kernels that did.
  if (isWrite && attr.addr === null && (uaccess || shape.sysregCopyInBeforeLocks)) return -EFAULT;

  // The lockless-shadow RFC: an initialised vGIC answers ICC_CTLR_EL1 reads from the shadow without a lock.
  if (!isWrite && attr.group === KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS && vm.vgic?.initialized === true && target.vgic !== null) {
    if (locklessShadowMatches(ctx, attr)) {
      if (attr.addr === null) return -EFAULT;
      attr.addr.value = target.vgic.iccCtlrShadow;
      emitKvmEvent(sim, 'vgic-shadow-read', { vcpu: target.index });
      return 0;
    }
  }

  yield* sim.lock(vm.lock);
  if (initCheckFirst && vm.vgic?.initialized !== true) {
    sim.unlock(vm.lock);
    return -EBUSY;
  }
  const locked = yield* lockVcpusForAccess(ctx, vm, attr, target);
  if (locked === null) {
    sim.unlock(vm.lock);
    return -EBUSY;
  }
  let ret: number;
  if (initCheckFirst) {
    ret = dispatch(ctx, vm, attr, isWrite, target);
  } else {
    yield* sim.lock(vm.configLock);
    if (vm.vgic?.initialized !== true && !regAllowedPreInit(ctx, attr)) ret = -EBUSY;
    else ret = dispatch(ctx, vm, attr, isWrite, target);
    sim.unlock(vm.configLock);
  }
  kvmUnlockAllVcpus(ctx, locked);
  sim.unlock(vm.lock);
  return ret;
}

/** The register access itself, with every lock held. */
function dispatch(ctx: KvmContext, vm: VmState, attr: KvmDeviceAttr, isWrite: boolean, vcpu: VcpuState): number {
  switch (attr.group) {
    case KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS:
      return vgicV3CpuSysregsUaccess(ctx, attr, isWrite, vcpu);
    case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
      return vgicV3RedistUaccess(vm, attr, isWrite, vcpu);
    case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
      return vgicV3DistUaccess(vm, attr, isWrite);
    case KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO:
      return ((attr.attr >> 10n) & 0x3fffffn) === 0n ? 0 : -EINVAL;
    default:
      return -EINVAL;
  }
}
