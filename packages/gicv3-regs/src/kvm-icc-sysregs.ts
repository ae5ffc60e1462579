// The CPU-interface registers KVM's vGICv3 exposes through GRP_CPU_SYSREGS at EL1 (gic_v3_icc_reg_descs in
// arch/arm64/kvm/vgic-sys-reg-v3.c, kvm.md §5.2), in the kernel's table order, and their 16-bit ids taken
// from the catalogue's encodings: the one place these ids are computed.
import { sysregId } from './encoding.js';
import type { SysregSpec } from './field-table.js';
import { REGISTERS } from './register-table.js';

/** gic_v3_icc_reg_descs' EL1 entries, in table order. */
export const KVM_ICC_SYSREG_NAMES = [
  'ICC_PMR_EL1',
  'ICC_BPR0_EL1',
  'ICC_AP0R0_EL1',
  'ICC_AP0R1_EL1',
  'ICC_AP0R2_EL1',
  'ICC_AP0R3_EL1',
  'ICC_AP1R0_EL1',
  'ICC_AP1R1_EL1',
  'ICC_AP1R2_EL1',
  'ICC_AP1R3_EL1',
  'ICC_BPR1_EL1',
  'ICC_CTLR_EL1',
  'ICC_SRE_EL1',
  'ICC_IGRPEN0_EL1',
  'ICC_IGRPEN1_EL1',
] as const;

export type KvmIccSysregName = (typeof KVM_ICC_SYSREG_NAMES)[number];

const SPECS: Readonly<Record<KvmIccSysregName, SysregSpec>> = REGISTERS;

/** The 16-bit KVM_DEV_ARM_VGIC_SYSREG id of one of KVM's ICC registers (0xc664 for ICC_CTLR_EL1). */
export function iccSysregId(name: KvmIccSysregName): number {
  return sysregId(SPECS[name].encoding);
}

function checkAprIndex(n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > 3) throw new RangeError(`APR index ${n} outside 0..3`);
}

/** ICC_AP0R<n>_EL1's id, n = 0..3. */
export function iccAp0rId(n: number): number {
  checkAprIndex(n);
  return iccSysregId(`ICC_AP0R${n}_EL1` as KvmIccSysregName);
}

/** ICC_AP1R<n>_EL1's id, n = 0..3. */
export function iccAp1rId(n: number): number {
  checkAprIndex(n);
  return iccSysregId(`ICC_AP1R${n}_EL1` as KvmIccSysregName);
}
