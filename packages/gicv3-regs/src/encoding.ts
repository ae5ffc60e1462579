// A64 system-register encodings and the ids KVM derives from them: the 16-bit "instr" value used in
// the low half of a CPU_SYSREGS device attribute and the 64-bit ONE_REG id.
import type { SysregEncoding } from './field-table.js';

// Shifts and masks of the 16-bit sysreg id (KVM_REG_ARM64_SYSREG_*_SHIFT/_MASK in the arm64 KVM UAPI,
// which match KVM_REG_ARM_VGIC_SYSREG_* in arch/arm64/kvm/vgic/vgic.h).
export const SYSREG_OP0_SHIFT = 14;
export const SYSREG_OP0_MASK = 0xc000;
export const SYSREG_OP1_SHIFT = 11;
export const SYSREG_OP1_MASK = 0x3800;
export const SYSREG_CRN_SHIFT = 7;
export const SYSREG_CRN_MASK = 0x0780;
export const SYSREG_CRM_SHIFT = 3;
export const SYSREG_CRM_MASK = 0x0078;
export const SYSREG_OP2_SHIFT = 0;
export const SYSREG_OP2_MASK = 0x0007;

/** KVM_REG_ARM64 (include/uapi/linux/kvm.h). */
export const KVM_REG_ARM64 = 0x6000000000000000n;
/** KVM_REG_SIZE_U64. */
export const KVM_REG_SIZE_U64 = 0x0030000000000000n;
/** KVM_REG_ARM64_SYSREG (0x0013 << 16). */
export const KVM_REG_ARM64_SYSREG = 0x0000000000130000n;
/** The constant part of every ARM64_SYS_REG id: 0x6030000000130000. */
export const ARM64_SYS_REG_BASE: bigint = KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG;

const LIMITS = { op0: 3, op1: 7, crn: 15, crm: 15, op2: 7 } as const;

function checkEncoding(enc: SysregEncoding): void {
  for (const key of Object.keys(LIMITS) as (keyof typeof LIMITS)[]) {
    const v = enc[key];
    if (!Number.isInteger(v) || v < 0 || v > LIMITS[key]) {
      throw new RangeError(`sysreg encoding ${key}=${v} outside 0..${LIMITS[key]}`);
    }
  }
}

/**
 * The 16-bit sysreg id: op0<<14 | op1<<11 | CRn<<7 | CRm<<3 | op2.
 * Mirrors QEMU KVM_DEV_ARM_VGIC_SYSREG (hw/intc/arm_gicv3_kvm.c).
 */
export function sysregId(enc: SysregEncoding): number {
  checkEncoding(enc);
  return (
    (enc.op0 << SYSREG_OP0_SHIFT) |
    (enc.op1 << SYSREG_OP1_SHIFT) |
    (enc.crn << SYSREG_CRN_SHIFT) |
    (enc.crm << SYSREG_CRM_SHIFT) |
    (enc.op2 << SYSREG_OP2_SHIFT)
  );
}

/** Inverse of sysregId; only the low 16 bits of `id` are looked at (as KVM's attr_to_id does). */
export function sysregEncodingFromId(id: number): SysregEncoding {
  return {
    op0: (id & SYSREG_OP0_MASK) >>> SYSREG_OP0_SHIFT,
    op1: (id & SYSREG_OP1_MASK) >>> SYSREG_OP1_SHIFT,
    crn: (id & SYSREG_CRN_MASK) >>> SYSREG_CRN_SHIFT,
    crm: (id & SYSREG_CRM_MASK) >>> SYSREG_CRM_SHIFT,
    op2: (id & SYSREG_OP2_MASK) >>> SYSREG_OP2_SHIFT,
  };
}

/**
 * The ONE_REG id of a system register: 0x6030000000130000 | sysregId.
 * Mirrors Linux ARM64_SYS_REG (arch/arm64/include/uapi/asm/kvm.h).
 */
export function arm64SysRegId(enc: SysregEncoding): bigint {
  return ARM64_SYS_REG_BASE | BigInt(sysregId(enc));
}

// The kernel's internal sys_reg() encoding (arch/arm64/include/asm/sysreg.h): op0 at bit 19, op1 at 16,
// CRn at 12, CRm at 8, op2 at 5. KVM's sys_regs tables key on it; the uapi ids above are a different packing.
const KERNEL_OP0_SHIFT = 19;
const KERNEL_OP1_SHIFT = 16;
const KERNEL_CRN_SHIFT = 12;
const KERNEL_CRM_SHIFT = 8;
const KERNEL_OP2_SHIFT = 5;

/** Linux sys_reg(op0, op1, CRn, CRm, op2), e.g. SYS_ICC_CTLR_EL1 = 0x18cc80. */
export function kernelSysReg(enc: SysregEncoding): number {
  checkEncoding(enc);
  return (
    (enc.op0 << KERNEL_OP0_SHIFT) |
    (enc.op1 << KERNEL_OP1_SHIFT) |
    (enc.crn << KERNEL_CRN_SHIFT) |
    (enc.crm << KERNEL_CRM_SHIFT) |
    (enc.op2 << KERNEL_OP2_SHIFT)
  );
}

/** Inverse of kernelSysReg (sys_reg_Op0() … sys_reg_Op2()); bits outside the five fields are ignored. */
export function sysregEncodingFromKernelSysReg(value: number): SysregEncoding {
  return {
    op0: (value >>> KERNEL_OP0_SHIFT) & 3,
    op1: (value >>> KERNEL_OP1_SHIFT) & 7,
    crn: (value >>> KERNEL_CRN_SHIFT) & 15,
    crm: (value >>> KERNEL_CRM_SHIFT) & 15,
    op2: (value >>> KERNEL_OP2_SHIFT) & 7,
  };
}

/** The generic assembler name, e.g. "S3_0_C12_C12_4". */
export function genericSysregName(enc: SysregEncoding): string {
  checkEncoding(enc);
  return `S${enc.op0}_${enc.op1}_C${enc.crn}_C${enc.crm}_${enc.op2}`;
}

const GENERIC = /^s([0-3])_([0-7])_c([0-9]|1[0-5])_c([0-9]|1[0-5])_([0-7])$/i;

/** Parses "S<op0>_<op1>_C<n>_C<m>_<op2>" case-insensitively; undefined when the text is not that form. */
export function parseGenericSysregName(text: string): SysregEncoding | undefined {
  const m = GENERIC.exec(text.trim());
  if (m === null) return undefined;
  const [, op0, op1, crn, crm, op2] = m;
  if (op0 === undefined || op1 === undefined || crn === undefined || crm === undefined || op2 === undefined) {
    return undefined;
  }
  return { op0: Number(op0), op1: Number(op1), crn: Number(crn), crm: Number(crm), op2: Number(op2) };
}

export function sameEncoding(a: SysregEncoding, b: SysregEncoding): boolean {
  return a.op0 === b.op0 && a.op1 === b.op1 && a.crn === b.crn && a.crm === b.crm && a.op2 === b.op2;
}
