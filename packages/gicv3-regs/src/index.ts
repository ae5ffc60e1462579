// Public face of @vgicsim/gicv3-regs: GICv3 CPU-interface register data, one generic codec, A64/KVM
// encodings and the KVM vGICv3 derivations the simulator layers build on.

export { InputError, RegsInputError, describeReceived } from './errors.js';
export type { InputErrorInit, RegsInputErrorInit, RegsInputErrorKind } from './errors.js';

export { U64_MAX, formatHex, parseRegisterValue } from './parse.js';

export {
  KVM_GUEST_CONFIG,
  effectiveAccess,
  fieldMask,
  fieldMaxBig,
  fieldWidth,
  isReserved,
  layout,
  res0Mask,
  res1Mask,
  widthMask,
} from './field-table.js';
export type {
  ConditionPredicate,
  FieldAccess,
  FieldCondition,
  FieldSpec,
  LayoutField,
  MmioRegisterSpec,
  RegisterSpec,
  RegisterWidth,
  SecurityConfig,
  SysregEncoding,
  SysregSpec,
} from './field-table.js';

export {
  REGISTERS,
  REGISTER_LIST,
  REGISTER_NAMES,
  findRegister,
  findSysreg,
  isSysreg,
  tryFindRegister,
} from './register-table.js';
export type { RegisterName } from './register-table.js';

export {
  assertFitsRegister,
  decode,
  diff,
  encode,
  findField,
  formatBits,
  getField,
  namedFields,
  validate,
  withField,
} from './codec.js';
export type { FieldChange, FieldInput, FieldValues, RegsProblem, RegsProblemCode } from './codec.js';

export { describeRegister, render, renderDiagram, renderFieldTable } from './render.js';

export {
  ARM64_SYS_REG_BASE,
  KVM_REG_ARM64,
  KVM_REG_ARM64_SYSREG,
  KVM_REG_SIZE_U64,
  SYSREG_CRM_MASK,
  SYSREG_CRM_SHIFT,
  SYSREG_CRN_MASK,
  SYSREG_CRN_SHIFT,
  SYSREG_OP0_MASK,
  SYSREG_OP0_SHIFT,
  SYSREG_OP1_MASK,
  SYSREG_OP1_SHIFT,
  SYSREG_OP2_MASK,
  SYSREG_OP2_SHIFT,
  arm64SysRegId,
  genericSysregName,
  kernelSysReg,
  parseGenericSysregName,
  sameEncoding,
  sysregEncodingFromId,
  sysregEncodingFromKernelSysReg,
  sysregId,
} from './encoding.js';

export {
  ARM_SMCCC_VERSION_FUNC_ID,
  PSCI_0_2_64BIT,
  PSCI_0_2_AFFINITY_LEVEL_OFF,
  PSCI_0_2_AFFINITY_LEVEL_ON,
  PSCI_0_2_AFFINITY_LEVEL_ON_PENDING,
  PSCI_0_2_FN64_AFFINITY_INFO,
  PSCI_0_2_FN64_CPU_ON,
  PSCI_0_2_FN64_CPU_SUSPEND,
  PSCI_0_2_FN_AFFINITY_INFO,
  PSCI_0_2_FN_BASE,
  PSCI_0_2_FN_CPU_OFF,
  PSCI_0_2_FN_CPU_ON,
  PSCI_0_2_FN_CPU_SUSPEND,
  PSCI_0_2_FN_MIGRATE,
  PSCI_0_2_FN_MIGRATE_INFO_TYPE,
  PSCI_0_2_FN_PSCI_VERSION,
  PSCI_0_2_FN_SYSTEM_OFF,
  PSCI_0_2_FN_SYSTEM_RESET,
  PSCI_1_0_FN64_SYSTEM_SUSPEND,
  PSCI_1_0_FN_PSCI_FEATURES,
  PSCI_1_0_FN_SYSTEM_SUSPEND,
  PSCI_1_1_FN64_SYSTEM_RESET2,
  PSCI_1_1_FN_SYSTEM_RESET2,
  PSCI_1_3_FN64_SYSTEM_OFF2,
  PSCI_1_3_FN_SYSTEM_OFF2,
  PSCI_1_3_OFF_TYPE_HIBERNATE_OFF,
  PSCI_RET_ALREADY_ON,
  PSCI_RET_DENIED,
  PSCI_RET_DISABLED,
  PSCI_RET_INTERNAL_FAILURE,
  PSCI_RET_INVALID_ADDRESS,
  PSCI_RET_INVALID_PARAMS,
  PSCI_RET_NOT_PRESENT,
  PSCI_RET_NOT_SUPPORTED,
  PSCI_RET_ON_PENDING,
  PSCI_RET_SUCCESS,
  PSCI_VERSION_1_1,
  PSCI_VERSION_1_3,
  SMCCC_RET_NOT_SUPPORTED,
  psciFunctionName,
  psciRetToX0,
  x0ToPsciRet,
} from './psci.js';

export { GICD_CTLR, GICD_IIDR, GICD_TYPER, GICD_TYPER2, GICR_CTLR, GICR_TYPER, GICR_WAKER } from './gic-mmio.js';

export {
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
} from './gits.js';

export { KVM_ICC_SYSREG_NAMES, iccAp0rId, iccAp1rId, iccSysregId } from './kvm-icc-sysregs.js';
export type { KvmIccSysregName } from './kvm-icc-sysregs.js';

export {
  KVM_DEV_ARM_ITS_CTRL_RESET,
  KVM_DEV_ARM_ITS_RESTORE_TABLES,
  KVM_DEV_ARM_ITS_SAVE_TABLES,
  KVM_DEV_ARM_VGIC_CTRL_INIT,
  KVM_DEV_ARM_VGIC_GRP_ADDR,
  KVM_DEV_ARM_VGIC_GRP_CPU_REGS,
  KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
  KVM_DEV_ARM_VGIC_GRP_CTRL,
  KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
  KVM_DEV_ARM_VGIC_GRP_ITS_REGS,
  KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO,
  KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ,
  KVM_DEV_ARM_VGIC_GRP_NR_IRQS,
  KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
  KVM_DEV_ARM_VGIC_OFFSET_MASK,
  KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES,
  KVM_DEV_ARM_VGIC_SYSREG_INSTR_MASK,
  KVM_DEV_ARM_VGIC_SYSREG_MASK,
  KVM_DEV_ARM_VGIC_V3_MPIDR_MASK,
  KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT,
  KVM_REG_ARM_VGIC_SYSREG_CRM_MASK,
  KVM_REG_ARM_VGIC_SYSREG_CRN_MASK,
  KVM_REG_ARM_VGIC_SYSREG_OP0_MASK,
  KVM_REG_ARM_VGIC_SYSREG_OP1_MASK,
  KVM_REG_ARM_VGIC_SYSREG_OP2_MASK,
  KVM_VGIC_ITS_ADDR_TYPE,
  KVM_VGIC_V3_ADDR_TYPE_DIST,
  KVM_VGIC_V3_ADDR_TYPE_REDIST,
  KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION,
  kvmVgicAttr,
  packSysregAttr,
  unpackSysregAttr,
} from './kvm-attr.js';
export type { SysregAttr } from './kvm-attr.js';

export {
  MPIDR_HWID_BITMASK,
  MPIDR_MT_BIT,
  MPIDR_RES1_BIT,
  MPIDR_U_BIT,
  affinityFromMpidr,
  affinityFromVgicMpidr,
  affinityToVgicMpidr,
  formatAffinity,
  kvmDefaultMpidr,
  kvmVcpuAffinity,
  makeAffinity,
  mpidrAffinityMask,
  mpidrFromAffinity,
  mpidrHwid,
  mpidrToVgicMpidr,
  parseAffinity,
  vgicToMpidr,
} from './affinity.js';
export type { Affinity, MpidrOptions } from './affinity.js';

export {
  GICR_TYPER_AFFINITY_SHIFT,
  GICR_TYPER_COMMON_LPI_AFF_SHIFT,
  GICR_TYPER_LAST,
  GICR_TYPER_PLPIS,
  GICR_TYPER_PROCESSOR_NUMBER_SHIFT,
  GICR_TYPER_VLPIS,
  gicrTyperAffinity,
  kvmGicrTyper,
  qemuGicrTyper,
} from './gicr-typer.js';
export type { KvmGicrTyperInput, QemuGicrTyperInput } from './gicr-typer.js';

export { packVgicVmcr, resetVgicVmcr, unpackVgicVmcr, vmcrEquals } from './vmcr.js';
export type { VgicVmcr } from './vmcr.js';

export {
  readBpr1,
  vmcrAfterBpr0Write,
  vmcrAfterBpr1Write,
  vmcrAfterCtlrWrite,
  vmcrAfterIgrpen0Write,
  vmcrAfterIgrpen1Write,
  vmcrAfterPmrWrite,
} from './icc-writes.js';
export type { PmrWriteOptions } from './icc-writes.js';

export {
  KVM_GICV3_SRE,
  freshIccCtlr,
  hostVtrFields,
  kvmGetIccCtlr,
  kvmSetIccCtlr,
  qemuAprCount,
  vgicV3MaxAprIdx,
  vgicV3ResetState,
} from './icc-ctlr.js';
export type {
  HostVtrFields,
  IccCtlrSetFailure,
  IccCtlrSetResult,
  VgicCpuIfState,
  VgicV3ResetState,
} from './icc-ctlr.js';

export {
  CORTEX_A53,
  CORTEX_A76,
  HOST_PROFILES,
  SYNTHETIC_7BIT,
  SYNTHETIC_SEIS_ID24,
  customHostProfile,
  findHostProfile,
} from './host-profiles.js';
export type { HostProfile } from './host-profiles.js';
