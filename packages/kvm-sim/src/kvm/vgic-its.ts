// The vGICv3 ITS device (KVM_DEV_TYPE_ARM_VGIC_ITS, arch/arm64/kvm/vgic/vgic-its.c): its attribute groups
// with the locks they take. Every CTRL operation but INIT (RESET, SAVE_TABLES, RESTORE_TABLES) and every
// ITS_REGS access trylocks all vCPU mutexes under kvm->lock, so each is -EBUSY while any vCPU is in KVM_RUN.
// The translation tables themselves (devices, collections, ITEs in guest RAM) are not modelled: a save or
// restore only counts, and a reset clears the registers the way vgic_its_reset does.
import {
  KVM_DEV_ARM_ITS_CTRL_RESET,
  KVM_DEV_ARM_ITS_RESTORE_TABLES,
  KVM_DEV_ARM_ITS_SAVE_TABLES,
  KVM_DEV_ARM_VGIC_CTRL_INIT,
  KVM_DEV_ARM_VGIC_GRP_ADDR,
  KVM_DEV_ARM_VGIC_GRP_CTRL,
  KVM_DEV_ARM_VGIC_GRP_ITS_REGS,
  GITS_BASER,
  GITS_BASER_NR_REGS,
  GITS_BASER_VALID,
  GITS_CBASER,
  GITS_CREADR,
  GITS_CTLR,
  GITS_CWRITER,
  GITS_IIDR,
  GITS_PIDR4,
  GITS_TYPER,
  KVM_VGIC_ITS_ADDR_TYPE,
} from '@vgicsim/gicv3-regs';
import { Mutex, type Proc } from '../kernel/objects.js';
import type { KvmContext } from './context.js';
import { EBUSY, EFAULT, EINVAL, ENODEV, ENXIO } from './errno.js';
import type { VmState } from './state.js';
import { emitKvmEvent } from './trace-vocabulary.js';
import type { KvmDeviceAttr } from './uapi.js';
import { vgicCheckIorange } from './vgic-addr.js';
import { lockVmAndAllVcpus, unlockVmAndAllVcpus } from './vgic-lock-all-vcpus.js';

/**
 * vgic_mmio_read_its_iidr: ProductID KVM (0x4b) in 31:24, Revision = abi_rev in 15:12, implementer ARM
 * (0x43b). its_table_abi_versions has the one ABI [0] (NR_ITS_ABIS = 1), so vgic_its_create's
 * NR_ITS_ABIS - 1 is revision 0.
 */
const PRODUCT_ID_KVM = 0x4bn;
const IMPLEMENTER_ARM = 0x43bn;
const NR_ITS_ABIS = 1n;
const ITS_IIDR = (PRODUCT_ID_KVM << 24n) | ((NR_ITS_ABIS - 1n) << 12n) | IMPLEMENTER_ARM;

/** struct vgic_its, as far as the model keeps it. */
export class VgicItsState {
  /** its->its_lock. */
  readonly itsLock: Mutex;
  base: bigint | null = null;
  enabled = false;
  cbaser = 0n;
  creadr = 0n;
  cwriter = 0n;
  readonly baser: bigint[] = Array<bigint>(GITS_BASER_NR_REGS).fill(0n);
  /** CTRL operations that succeeded, by name (tables are not modelled, only the calls). */
  readonly ctrlDone = { reset: 0, saveTables: 0, restoreTables: 0 };

  constructor(id: number) {
    this.itsLock = new Mutex(`its${id}.its_lock`);
  }
}

/** vgic_its_create: no vCPU lock; the caller (kvm_ioctl_create_device) holds kvm->lock. */
export function vgicItsCreate(vm: VmState): VgicItsState {
  vm.hasIts = true;
  return new VgicItsState(vm.itsCount++);
}

/** vgic_its_has_attr. */
export function vgicItsHasAttr(attr: KvmDeviceAttr): number {
  switch (attr.group) {
    case KVM_DEV_ARM_VGIC_GRP_ADDR:
      return attr.attr === KVM_VGIC_ITS_ADDR_TYPE ? 0 : -ENXIO;
    case KVM_DEV_ARM_VGIC_GRP_CTRL:
      return isItsCtrl(attr.attr) ? 0 : -ENXIO;
    case KVM_DEV_ARM_VGIC_GRP_ITS_REGS:
      return vgicItsHasAttrRegs(attr.attr);
    default:
      return -ENXIO;
  }
}

function isItsCtrl(a: bigint): boolean {
  return (
    a === BigInt(KVM_DEV_ARM_VGIC_CTRL_INIT) ||
    a === BigInt(KVM_DEV_ARM_ITS_CTRL_RESET) ||
    a === BigInt(KVM_DEV_ARM_ITS_SAVE_TABLES) ||
    a === BigInt(KVM_DEV_ARM_ITS_RESTORE_TABLES)
  );
}

/** The registers of its_registers[] the model knows, with the alignment rule of vgic_its_has_attr_regs. */
function regAlign(offset: bigint): bigint {
  return offset < GITS_TYPER || offset >= GITS_PIDR4 ? 3n : 7n;
}
function knownReg(offset: bigint): boolean {
  if (offset === GITS_CTLR || offset === GITS_IIDR || offset === GITS_TYPER) return true;
  if (offset === GITS_CBASER || offset === GITS_CWRITER || offset === GITS_CREADR) return true;
  return offset >= GITS_BASER && offset < GITS_BASER + BigInt(GITS_BASER_NR_REGS * 8) && (offset & 7n) === 0n;
}

function vgicItsHasAttrRegs(offset: bigint): number {
  if ((offset & regAlign(offset)) !== 0n) return -EINVAL;
  return knownReg(offset) ? 0 : -ENXIO;
}

/** vgic_its_set_attr. */
export function* vgicItsSetAttr(ctx: KvmContext, vm: VmState, its: VgicItsState, attr: KvmDeviceAttr): Proc<number> {
  switch (attr.group) {
    case KVM_DEV_ARM_VGIC_GRP_ADDR: {
      if (attr.attr !== KVM_VGIC_ITS_ADDR_TYPE) return -ENODEV;
      if (attr.addr === null) return -EFAULT;
      // vgic_check_iorange over the ITS frame (KVM_VGIC_V3_ITS_SIZE): EEXIST, alignment, IPA range.
      const ret = vgicCheckIorange(vm, its.base, attr.addr.value, 0x10000n, 0x20000n);
      if (ret !== 0) return ret;
      its.base = attr.addr.value;
      return 0;
    }
    case KVM_DEV_ARM_VGIC_GRP_CTRL:
      return yield* vgicItsCtrl(ctx, vm, its, attr.attr);
    case KVM_DEV_ARM_VGIC_GRP_ITS_REGS: {
      if (attr.addr === null) return -EFAULT;
      return yield* vgicItsAttrRegsAccess(ctx, vm, its, attr.attr, attr.addr, true);
    }
    default:
      return -ENXIO;
  }
}

/** vgic_its_get_attr. */
export function* vgicItsGetAttr(ctx: KvmContext, vm: VmState, its: VgicItsState, attr: KvmDeviceAttr): Proc<number> {
  switch (attr.group) {
    case KVM_DEV_ARM_VGIC_GRP_ADDR:
      if (attr.attr !== KVM_VGIC_ITS_ADDR_TYPE) return -ENODEV;
      if (attr.addr === null) return -EFAULT;
      attr.addr.value = its.base ?? 0xffffffffffffffffn;
      return 0;
    case KVM_DEV_ARM_VGIC_GRP_ITS_REGS: {
      const reg = { value: 0n };
      const ret = yield* vgicItsAttrRegsAccess(ctx, vm, its, attr.attr, reg, false);
      if (ret !== 0) return ret;
      if (attr.addr === null) return -EFAULT;
      attr.addr.value = reg.value;
      return 0;
    }
    default:
      return -ENXIO;
  }
}

/**
 * vgic_its_ctrl: INIT does nothing; everything else takes kvm->lock, then its_lock, then trylocks every
 * vCPU (-EBUSY on the first one held, all taken ones released) before resetting, saving or restoring.
 * Upstream since v6.4 takes its_lock (and config_lock) only after the vCPU trylock; its_lock is never
 * contended in the model, so the order changes no result (kept: moving it would move pinned trace hashes).
 */
export function* vgicItsCtrl(ctx: KvmContext, vm: VmState, its: VgicItsState, attr: bigint): Proc<number> {
  const { sim } = ctx;
  if (attr === BigInt(KVM_DEV_ARM_VGIC_CTRL_INIT)) return 0;
  const locked = yield* lockVmAndAllVcpus(ctx, vm, [its.itsLock]);
  if (locked === null) return -EBUSY;
  if (attr === BigInt(KVM_DEV_ARM_ITS_CTRL_RESET)) {
    vgicItsReset(its);
    its.ctrlDone.reset++;
  } else if (attr === BigInt(KVM_DEV_ARM_ITS_SAVE_TABLES)) {
    its.ctrlDone.saveTables++;
  } else if (attr === BigInt(KVM_DEV_ARM_ITS_RESTORE_TABLES)) {
    its.ctrlDone.restoreTables++;
  }
  emitKvmEvent(sim, 'vgic-its-ctrl', { attr: Number(attr) });
  unlockVmAndAllVcpus(ctx, vm, locked, [its.itsLock]);
  return 0;
}

/** vgic_its_reset: the ABI fields of the BASERs stay, their Valid bits and the command queue go. */
function vgicItsReset(its: VgicItsState): void {
  for (let i = 0; i < its.baser.length; i++) its.baser[i] = (its.baser[i] ?? 0n) & ~GITS_BASER_VALID;
  its.cbaser = 0n;
  its.creadr = 0n;
  its.cwriter = 0n;
  its.enabled = false;
}

/**
 * vgic_its_attr_regs_access: alignment (-EINVAL, no lock), kvm->lock, the all-vCPU trylock (-EBUSY), and
 * only under the locks the base (-ENXIO while unset) and the register (-ENXIO when unknown): a running
 * vCPU makes every access -EBUSY, whatever the offset.
 */
function* vgicItsAttrRegsAccess(
  ctx: KvmContext,
  vm: VmState,
  its: VgicItsState,
  offset: bigint,
  reg: { value: bigint },
  isWrite: boolean,
): Proc<number> {
  if ((offset & regAlign(offset)) !== 0n) return -EINVAL;
  const locked = yield* lockVmAndAllVcpus(ctx, vm);
  if (locked === null) return -EBUSY;
  let ret = 0;
  if (its.base === null || !knownReg(offset)) ret = -ENXIO;
  else if (isWrite) ret = writeReg(its, offset, reg.value);
  else reg.value = readReg(its, offset);
  unlockVmAndAllVcpus(ctx, vm, locked);
  return ret;
}

function readReg(its: VgicItsState, offset: bigint): bigint {
  if (offset === GITS_CTLR) return its.enabled ? 1n : 0n;
  if (offset === GITS_IIDR) return ITS_IIDR;
  if (offset === GITS_CBASER) return its.cbaser;
  if (offset === GITS_CWRITER) return its.cwriter;
  if (offset === GITS_CREADR) return its.creadr;
  if (offset >= GITS_BASER) return its.baser[Number((offset - GITS_BASER) / 8n)] ?? 0n;
  return 0n;
}

/** The uaccess write of its_registers[]; 0 or an errno. */
function writeReg(its: VgicItsState, offset: bigint, value: bigint): number {
  // vgic_mmio_uaccess_write_its_iidr: a Revision this kernel has no ABI for is -EINVAL (rev 0 commits ABI 0).
  if (offset === GITS_IIDR) return ((value >> 12n) & 0xfn) >= NR_ITS_ABIS ? -EINVAL : 0;
  if (offset === GITS_CTLR) its.enabled = (value & 1n) !== 0n;
  else if (offset === GITS_CBASER) {
    // Writing CBASER resets CREADR (why QEMU restores CBASER before CREADR).
    its.cbaser = value;
    its.creadr = 0n;
  } else if (offset === GITS_CWRITER) its.cwriter = value;
  else if (offset === GITS_CREADR) its.creadr = value;
  else if (offset >= GITS_BASER) its.baser[Number((offset - GITS_BASER) / 8n)] = value;
  return 0;
}
