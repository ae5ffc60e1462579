// hw/intc/arm_gicv3_its_kvm.c: the in-kernel ITS of the virt board. Its reset hold issues
// KVM_DEV_ARM_ITS_CTRL_RESET with &error_abort, the VM state change handler saves the tables on every stop
// (errors only reported), and post_load restores them with &error_abort. In KVM every one of these goes
// through vgic_its_ctrl, which trylocks all vCPUs: -EBUSY whenever a vCPU is in KVM_RUN (or a kernel
// context holds a vCPU mutex).
import {
  GITS_BASER,
  GITS_BASER_NR_REGS,
  GITS_CBASER,
  GITS_CREADR,
  GITS_CTLR,
  GITS_CWRITER,
  GITS_IIDR,
  KVM_DEV_ARM_ITS_CTRL_RESET,
  KVM_DEV_ARM_ITS_RESTORE_TABLES,
  KVM_DEV_ARM_ITS_SAVE_TABLES,
  KVM_DEV_ARM_VGIC_CTRL_INIT,
  KVM_DEV_ARM_VGIC_GRP_ADDR,
  KVM_DEV_ARM_VGIC_GRP_CTRL,
  KVM_DEV_ARM_VGIC_GRP_ITS_REGS,
  KVM_VGIC_ITS_ADDR_TYPE,
} from '@vgicsim/gicv3-regs';
import { KVM_DEV_TYPE_ARM_VGIC_ITS, type Proc, errnoName } from '@vgicsim/kvm-sim';
import { type Errp, kvmDeviceAccess } from '../kvm-all.js';
import type { Qemu } from '../qemu.js';
import { emitQemuEvent } from '../trace-vocabulary.js';

/** VIRT_GIC_ITS in hw/arm/virt.c's memmap. */
export const VIRT_GIC_ITS = 0x08080000n;

/** GICv3ITSState, as far as the KVM ITS uses it. */
export class ItsState {
  devFd = -1;
  migrationBlocker: string | null = null;
  ctlr = 0n;
  iidr = 0n;
  cbaser = 0n;
  creadr = 0n;
  cwriter = 0n;
  readonly baser: bigint[] = Array<bigint>(GITS_BASER_NR_REGS).fill(0n);
  /** Errors the state change handler reported (error_report_err) instead of aborting. */
  readonly reportedErrors: string[] = [];
}

/** The ITS registers as they cross the wire (vmstate_its). */
export interface ItsSnapshot {
  readonly ctlr: bigint;
  readonly iidr: bigint;
  readonly cbaser: bigint;
  readonly creadr: bigint;
  readonly cwriter: bigint;
  readonly baser: readonly bigint[];
}

function* itsCtrl(q: Qemu, its: ItsState, attr: number, errp: Errp): Proc<number> {
  return yield* kvmDeviceAccess(q, its.devFd, KVM_DEV_ARM_VGIC_GRP_CTRL, BigInt(attr), { value: 0n }, true, errp);
}

function* itsReg(q: Qemu, its: ItsState, offset: bigint, value: { value: bigint }, write: boolean): Proc<number> {
  return yield* kvmDeviceAccess(q, its.devFd, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, offset, value, write, 'error_abort');
}

/**
 * kvm_arm_its_realize: create the device (failure is the board's error_fatal), CTRL_INIT with error_abort,
 * the frame address (kvm_arm_register_device; written here rather than at machine-done), then either a
 * migration blocker (no ITS_REGS on this kernel) or the VM state change handler.
 */
export function* kvmArmItsRealize(q: Qemu, its: ItsState): Proc {
  const dev = { type: KVM_DEV_TYPE_ARM_VGIC_ITS, fd: -1 };
  const r = yield* q.kvm.ioctl(q.vmFd, 'KVM_CREATE_DEVICE', dev);
  if (r < 0) q.abort(`qemu-system-aarch64: error creating in-kernel ITS: ${errnoName(r)} (error_fatal: exit(1))`);
  its.devFd = dev.fd;
  yield* itsCtrl(q, its, KVM_DEV_ARM_VGIC_CTRL_INIT, 'error_abort');
  yield* kvmDeviceAccess(q, its.devFd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE, { value: VIRT_GIC_ITS }, true, 'error_abort');
  const has = yield* itsHasAttr(q, its, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, GITS_CTLR);
  if (has < 0) its.migrationBlocker = 'This operating system kernel does not support vITS migration';
}

/**
 * kvm_arm_its_reset_hold: parent hold (the common ITS state, no KVM access), then CTRL_RESET with
 * error_abort when the kernel has it; older kernels get the register writes instead (also error_abort).
 */
export function* kvmArmItsResetHold(q: Qemu, its: ItsState): Proc {
  // The parent phase first (gicv3_its_common_reset_hold): every register QEMU keeps goes back to zero.
  its.ctlr = 0n;
  its.cbaser = 0n;
  its.cwriter = 0n;
  its.creadr = 0n;
  its.iidr = 0n;
  its.baser.fill(0n);
  if ((yield* itsHasAttr(q, its, KVM_DEV_ARM_VGIC_GRP_CTRL, BigInt(KVM_DEV_ARM_ITS_CTRL_RESET))) === 0) {
    yield* itsCtrl(q, its, KVM_DEV_ARM_ITS_CTRL_RESET, 'error_abort');
    return;
  }
  emitQemuEvent(q.sim, 'qemu-warning', { message: 'ITS KVM: full reset is not supported by the host kernel' });
  // Without register access either there is nothing QEMU can put back.
  if ((yield* itsHasAttr(q, its, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, GITS_CTLR)) !== 0) return;
  yield* itsReg(q, its, GITS_CTLR, { value: its.ctlr }, true);
  yield* itsReg(q, its, GITS_CBASER, { value: its.cbaser }, true);
  for (let i = 0; i < GITS_BASER_NR_REGS; i++) yield* itsReg(q, its, GITS_BASER + BigInt(i * 8), { value: its.baser[i] ?? 0n }, true);
}

/** kvm_device_check_attr on the ITS fd: 0 when the kernel has the attribute. */
function* itsHasAttr(q: Qemu, its: ItsState, group: number, attr: bigint): Proc<number> {
  return yield* q.kvm.ioctl(its.devFd, 'KVM_HAS_DEVICE_ATTR', { group, attr, addr: null });
}

/** The ITS's vm_change_state_handler: on stop, SAVE_TABLES into guest RAM; a failure is only reported. */
export function* kvmArmItsVmChangeStateHandler(q: Qemu, its: ItsState, running: boolean): Proc {
  if (running || its.migrationBlocker !== null) return;
  const err = { error: null as string | null };
  yield* itsCtrl(q, its, KVM_DEV_ARM_ITS_SAVE_TABLES, err);
  if (err.error !== null) {
    its.reportedErrors.push(err.error);
    emitQemuEvent(q.sim, 'qemu-error', { message: err.error });
  }
}

/** kvm_arm_its_pre_save: the BASERs, CTLR, CBASER, CREADR, CWRITER, IIDR, each with error_abort. */
export function* kvmArmItsPreSave(q: Qemu, its: ItsState): Proc<ItsSnapshot> {
  const get = function* (offset: bigint): Proc<bigint> {
    const v = { value: 0n };
    yield* itsReg(q, its, offset, v, false);
    return v.value;
  };
  for (let i = 0; i < GITS_BASER_NR_REGS; i++) its.baser[i] = yield* get(GITS_BASER + BigInt(i * 8));
  its.ctlr = yield* get(GITS_CTLR);
  its.cbaser = yield* get(GITS_CBASER);
  its.creadr = yield* get(GITS_CREADR);
  its.cwriter = yield* get(GITS_CWRITER);
  its.iidr = yield* get(GITS_IIDR);
  return { ctlr: its.ctlr, iidr: its.iidr, cbaser: its.cbaser, creadr: its.creadr, cwriter: its.cwriter, baser: [...its.baser] };
}

/**
 * kvm_arm_its_post_load: IIDR, CBASER before CREADR (a CBASER write resets CREADR), CWRITER, the BASERs,
 * RESTORE_TABLES, and GITS_CTLR last — each with error_abort.
 */
export function* kvmArmItsPostLoad(q: Qemu, its: ItsState, s: ItsSnapshot): Proc {
  yield* itsReg(q, its, GITS_IIDR, { value: s.iidr }, true);
  yield* itsReg(q, its, GITS_CBASER, { value: s.cbaser }, true);
  yield* itsReg(q, its, GITS_CREADR, { value: s.creadr }, true);
  yield* itsReg(q, its, GITS_CWRITER, { value: s.cwriter }, true);
  for (let i = 0; i < GITS_BASER_NR_REGS; i++) yield* itsReg(q, its, GITS_BASER + BigInt(i * 8), { value: s.baser[i] ?? 0n }, true);
  yield* itsCtrl(q, its, KVM_DEV_ARM_ITS_RESTORE_TABLES, 'error_abort');
  yield* itsReg(q, its, GITS_CTLR, { value: s.ctlr }, true);
}
