// KVM vGICv3 device-attribute constants and the GRP_CPU_SYSREGS attr layout:
// attr[63:32] = packed affinity (Aff3.Aff2.Aff1.Aff0), attr[31:16] = RES (KVM ignores them),
// attr[15:0] = sysreg id. kvm.md §1.1–1.2, gicv3.md §2a.
import type { Affinity } from './affinity.js';
import { affinityFromVgicMpidr, affinityToVgicMpidr } from './affinity.js';
import { SYSREG_CRM_MASK, SYSREG_CRN_MASK, SYSREG_OP0_MASK, SYSREG_OP1_MASK, SYSREG_OP2_MASK } from './encoding.js';
import { RegsInputError, describeReceived } from './errors.js';

// Device-attribute groups (arch/arm64/include/uapi/asm/kvm.h).
export const KVM_DEV_ARM_VGIC_GRP_ADDR = 0;
export const KVM_DEV_ARM_VGIC_GRP_DIST_REGS = 1;
/** GICv2 only. */
export const KVM_DEV_ARM_VGIC_GRP_CPU_REGS = 2;
export const KVM_DEV_ARM_VGIC_GRP_NR_IRQS = 3;
export const KVM_DEV_ARM_VGIC_GRP_CTRL = 4;
export const KVM_DEV_ARM_VGIC_GRP_REDIST_REGS = 5;
export const KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS = 6;
export const KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO = 7;
export const KVM_DEV_ARM_VGIC_GRP_ITS_REGS = 8;
/** UNVERIFIED: the define itself was not seen; newer kernels (nested virt) add this group, believed to be 9. */
export const KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ = 9;

// KVM_DEV_ARM_VGIC_GRP_CTRL attributes.
export const KVM_DEV_ARM_VGIC_CTRL_INIT = 0;
export const KVM_DEV_ARM_ITS_SAVE_TABLES = 1;
export const KVM_DEV_ARM_ITS_RESTORE_TABLES = 2;
export const KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES = 3;
export const KVM_DEV_ARM_ITS_CTRL_RESET = 4;

// GRP_ADDR address types (arch/arm64/include/uapi/asm/kvm.h), as the u64 attr values they are passed as.
export const KVM_VGIC_V3_ADDR_TYPE_DIST = 2n;
export const KVM_VGIC_V3_ADDR_TYPE_REDIST = 3n;
/** The ITS frame's address type (on the ITS device). */
export const KVM_VGIC_ITS_ADDR_TYPE = 4n;
export const KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION = 5n;

export const KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT = 32;
export const KVM_DEV_ARM_VGIC_V3_MPIDR_MASK = 0xffffffffn << 32n;
export const KVM_DEV_ARM_VGIC_OFFSET_MASK = 0xffffffffn;
export const KVM_DEV_ARM_VGIC_SYSREG_INSTR_MASK = 0xffff;

// Kernel-internal sysreg attr masks (arch/arm64/kvm/vgic/vgic.h); same bits as the encoding.ts masks.
export const KVM_REG_ARM_VGIC_SYSREG_OP0_MASK = SYSREG_OP0_MASK;
export const KVM_REG_ARM_VGIC_SYSREG_OP1_MASK = SYSREG_OP1_MASK;
export const KVM_REG_ARM_VGIC_SYSREG_CRN_MASK = SYSREG_CRN_MASK;
export const KVM_REG_ARM_VGIC_SYSREG_CRM_MASK = SYSREG_CRM_MASK;
export const KVM_REG_ARM_VGIC_SYSREG_OP2_MASK = SYSREG_OP2_MASK;
/** OR of the five field masks (0xffff). */
export const KVM_DEV_ARM_VGIC_SYSREG_MASK =
  SYSREG_OP0_MASK | SYSREG_OP1_MASK | SYSREG_CRN_MASK | SYSREG_CRM_MASK | SYSREG_OP2_MASK;

/** A GRP_CPU_SYSREGS attr taken apart. */
export interface SysregAttr {
  readonly affinity: Affinity;
  /** attr[15:0]. */
  readonly sysregId: number;
  /** attr[31:16]: documented as RES (should be zero); KVM does not check them. */
  readonly reserved: number;
}

function checkSysregId(id: number): void {
  if (!Number.isInteger(id) || id < 0 || id > KVM_DEV_ARM_VGIC_SYSREG_INSTR_MASK) {
    throw new RegsInputError({
      kind: 'value',
      problem: 'sysreg id out of range',
      accepted: 'accepted: a 16-bit sysreg id 0..0xffff',
      received: describeReceived(id),
    });
  }
}

/** attr = packed affinity << 32 | sysreg id. @throws RegsInputError for an id outside 16 bits. */
export function packSysregAttr(affinity: Affinity, sysregId: number): bigint {
  checkSysregId(sysregId);
  return (BigInt(affinityToVgicMpidr(affinity)) << 32n) | BigInt(sysregId);
}

/** Splits an attr into affinity, sysreg id and the reserved bits 31:16. */
export function unpackSysregAttr(attr: bigint): SysregAttr {
  const word = Number((attr & KVM_DEV_ARM_VGIC_V3_MPIDR_MASK) >> BigInt(KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT));
  return {
    affinity: affinityFromVgicMpidr(word),
    sysregId: Number(attr & BigInt(KVM_DEV_ARM_VGIC_SYSREG_INSTR_MASK)),
    reserved: Number((attr >> 16n) & 0xffffn),
  };
}

/**
 * QEMU's attr for a CPU sysreg access: the top half of the vCPU's GICR_TYPER (its packed affinity)
 * ORed with the sysreg id. Mirrors QEMU KVM_VGIC_ATTR (hw/intc/arm_gicv3_kvm.c).
 */
export function kvmVgicAttr(sysregId: number, gicrTyper: bigint): bigint {
  checkSysregId(sysregId);
  return (gicrTyper & KVM_DEV_ARM_VGIC_V3_MPIDR_MASK) | BigInt(sysregId);
}
