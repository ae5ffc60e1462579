// PSCI and SMCCC function IDs and return codes (gicv3.md §7; Linux include/uapi/linux/psci.h,
// include/linux/arm-smccc.h): the one definition the simulated KVM and the QEMU model both use.

export const PSCI_0_2_FN_BASE = 0x84000000;
export const PSCI_0_2_64BIT = 0x40000000;

export const PSCI_0_2_FN_PSCI_VERSION = 0x84000000;
export const PSCI_0_2_FN_CPU_SUSPEND = 0x84000001;
export const PSCI_0_2_FN_CPU_OFF = 0x84000002;
export const PSCI_0_2_FN_CPU_ON = 0x84000003;
export const PSCI_0_2_FN_AFFINITY_INFO = 0x84000004;
export const PSCI_0_2_FN_MIGRATE = 0x84000005;
export const PSCI_0_2_FN_MIGRATE_INFO_TYPE = 0x84000006;
export const PSCI_0_2_FN_SYSTEM_OFF = 0x84000008;
export const PSCI_0_2_FN_SYSTEM_RESET = 0x84000009;
export const PSCI_1_0_FN_PSCI_FEATURES = 0x8400000a;
export const PSCI_0_2_FN64_CPU_SUSPEND = 0xc4000001;
export const PSCI_0_2_FN64_CPU_ON = 0xc4000003;
export const PSCI_0_2_FN64_AFFINITY_INFO = 0xc4000004;

export const PSCI_RET_SUCCESS = 0;
export const PSCI_RET_NOT_SUPPORTED = -1;
export const PSCI_RET_INVALID_PARAMS = -2;
export const PSCI_RET_DENIED = -3;
export const PSCI_RET_ALREADY_ON = -4;
export const PSCI_RET_ON_PENDING = -5;
export const PSCI_RET_INTERNAL_FAILURE = -6;
export const PSCI_RET_NOT_PRESENT = -7;
export const PSCI_RET_DISABLED = -8;
export const PSCI_RET_INVALID_ADDRESS = -9;

export const PSCI_0_2_AFFINITY_LEVEL_ON = 0;
export const PSCI_0_2_AFFINITY_LEVEL_OFF = 1;
export const PSCI_0_2_AFFINITY_LEVEL_ON_PENDING = 2;

/** PSCI 1.1, as KVM reports by default (major in 31:16, minor in 15:0). */
export const PSCI_VERSION_1_1 = 0x10001;
/** PSCI 1.3, what KVM reports from Linux 6.13 on (KVM_ARM_PSCI_LATEST). */
export const PSCI_VERSION_1_3 = 0x10003;
export const PSCI_1_0_FN_SYSTEM_SUSPEND = 0x8400000e;
export const PSCI_1_0_FN64_SYSTEM_SUSPEND = 0xc400000e;
export const PSCI_1_1_FN_SYSTEM_RESET2 = 0x84000012;
export const PSCI_1_1_FN64_SYSTEM_RESET2 = 0xc4000012;
export const PSCI_1_3_FN_SYSTEM_OFF2 = 0x84000015;
export const PSCI_1_3_FN64_SYSTEM_OFF2 = 0xc4000015;
export const PSCI_1_3_OFF_TYPE_HIBERNATE_OFF = 1;
export const ARM_SMCCC_VERSION_FUNC_ID = 0x80000000;

/** SMCCC_RET_NOT_SUPPORTED, what a DENY filter action returns in x0. */
export const SMCCC_RET_NOT_SUPPORTED = -1;

/** A PSCI return code as the 64-bit x0 value a guest sees (sign-extended). */
export function psciRetToX0(ret: number): bigint {
  return BigInt.asUintN(64, BigInt(ret));
}

/** x0 as a signed PSCI return code. */
export function x0ToPsciRet(x0: bigint): number {
  return Number(BigInt.asIntN(64, x0));
}

const NAMES: Readonly<Record<number, string>> = {
  [PSCI_0_2_FN_PSCI_VERSION]: 'PSCI_VERSION',
  [PSCI_0_2_FN_CPU_SUSPEND]: 'CPU_SUSPEND',
  [PSCI_0_2_FN_CPU_OFF]: 'CPU_OFF',
  [PSCI_0_2_FN_CPU_ON]: 'CPU_ON',
  [PSCI_0_2_FN_AFFINITY_INFO]: 'AFFINITY_INFO',
  [PSCI_0_2_FN_MIGRATE]: 'MIGRATE',
  [PSCI_0_2_FN_MIGRATE_INFO_TYPE]: 'MIGRATE_INFO_TYPE',
  [PSCI_0_2_FN_SYSTEM_OFF]: 'SYSTEM_OFF',
  [PSCI_0_2_FN_SYSTEM_RESET]: 'SYSTEM_RESET',
  [PSCI_1_0_FN_PSCI_FEATURES]: 'PSCI_FEATURES',
  [PSCI_0_2_FN64_CPU_SUSPEND]: 'FN64_CPU_SUSPEND',
  [PSCI_0_2_FN64_CPU_ON]: 'FN64_CPU_ON',
  [PSCI_0_2_FN64_AFFINITY_INFO]: 'FN64_AFFINITY_INFO',
};

export function psciFunctionName(fn: number): string {
  return NAMES[fn >>> 0] ?? `0x${(fn >>> 0).toString(16)}`;
}
