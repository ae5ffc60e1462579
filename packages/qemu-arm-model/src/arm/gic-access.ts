// hw/intc/arm_gicv3_kvm.c accessors: every GIC register access goes through kvm_device_access with the
// attr built by KVM_VGIC_ATTR from the CPU's GICR_TYPER (qemu.md §1.1–§1.3).
import {
  KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
  KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
  KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
  KVM_DEV_ARM_VGIC_V3_MPIDR_MASK,
  iccAp0rId,
  iccAp1rId,
  iccSysregId,
  kvmVgicAttr,
} from '@vgicsim/gicv3-regs';
import type { Proc, U64Ref } from '@vgicsim/kvm-sim';
import { type Errp, kvmDeviceAccess } from '../kvm-all.js';
import type { Qemu } from '../qemu.js';
import type { GicCpuState, GicState } from './gic-state.js';

// The ICC_* KVM_DEV_ARM_VGIC_SYSREG(...) defines at the top of arm_gicv3_kvm.c, from gicv3-regs' encodings.
export const ICC_PMR_EL1 = iccSysregId('ICC_PMR_EL1');
export const ICC_BPR0_EL1 = iccSysregId('ICC_BPR0_EL1');
export const ICC_BPR1_EL1 = iccSysregId('ICC_BPR1_EL1');
export const ICC_CTLR_EL1 = iccSysregId('ICC_CTLR_EL1');
export const ICC_SRE_EL1 = iccSysregId('ICC_SRE_EL1');
export const ICC_IGRPEN0_EL1 = iccSysregId('ICC_IGRPEN0_EL1');
export const ICC_IGRPEN1_EL1 = iccSysregId('ICC_IGRPEN1_EL1');
/** ICC_AP0R_EL1(n). */
export const iccAp0r = iccAp0rId;
/** ICC_AP1R_EL1(n). */
export const iccAp1r = iccAp1rId;

// The three accessors hand back kvm_device_access's own generator instead of delegating to it from one of
// their own (one frame less on every step of the access); callers yield* the result at once, so the attr is
// built and the access made where they were.

/** kvm_gicc_access: CPU_SYSREGS with KVM_VGIC_ATTR(reg, c->gicr_typer). */
export function kvmGiccAccess(q: Qemu, gic: GicState, c: GicCpuState, reg: number, val: U64Ref, write: boolean, errp: Errp = 'error_abort'): Proc<number> {
  return kvmDeviceAccess(q, gic.devFd, KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS, kvmVgicAttr(reg, c.gicrTyper), val, write, errp);
}

/** kvm_gicr_access: REDIST_REGS with the CPU's affinity. */
export function kvmGicrAccess(q: Qemu, gic: GicState, c: GicCpuState, offset: number, val: U64Ref, write: boolean): Proc<number> {
  const attr = (c.gicrTyper & KVM_DEV_ARM_VGIC_V3_MPIDR_MASK) | BigInt(offset);
  return kvmDeviceAccess(q, gic.devFd, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS, attr, val, write, 'error_abort');
}

/** kvm_gicd_access: DIST_REGS with typer 0. */
export function kvmGicdAccess(q: Qemu, gic: GicState, offset: number, val: U64Ref, write: boolean): Proc<number> {
  return kvmDeviceAccess(q, gic.devFd, KVM_DEV_ARM_VGIC_GRP_DIST_REGS, BigInt(offset), val, write, 'error_abort');
}
