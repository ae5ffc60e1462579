// Public face of @vgicsim/qemu-arm-model: QEMU's vCPU threads, BQL, pause/resume, run_on_cpu, main loop
// and reset, modelled on @vgicsim/kvm-sim. Names mirror the upstream identifiers.
export { Qemu, EXCP_HLT, EXCP_INTERRUPT, SIG_IPI } from './qemu.js';
export type { ArchHooks, CpuResetHook, ResetDevice, RunState, ShutdownCause } from './qemu.js';
export { CpuState, PSCI_OFF, PSCI_ON, PSCI_ON_PENDING } from './cpu-state.js';
export type { WorkItem } from './cpu-state.js';
export { DEFAULT_QEMU_OPTIONS } from './options.js';
export { QEMU_FIXES, effectiveReverts, findQemuFix } from './fixes.js';
export { QEMU_SETTINGS, QemuSettingError, parseQemuRevert, parseQemuSetting, qemuOptionsFromSettings } from './option-table.js';
export type { QemuSettingSpec, QemuSettingValue } from './option-table.js';
export type { QemuFix, QemuFixId } from './fixes.js';
export { RUN_STATES, invalidRunstateTransitionMessage, runstateTransitionValid, runstateTransitions } from './runstate-transitions.js';
export type { QemuOptions, VcpuLoopOrder } from './options.js';
export {
  allVcpusPaused,
  bqlLock,
  bqlUnlock,
  condWaitBql,
  cpuCanRun,
  cpuExit,
  cpuIsStopped,
  cpuPause,
  cpuResume,
  cpuStopCurrent,
  cpuThreadIsIdle,
  cpusKickThread,
  gUsleep,
  pauseAllVcpus,
  qemuCpuKick,
  qemuCpuStop,
  resumeAllVcpus,
} from './cpus.js';
export { asyncRunOnCpu, processQueuedCpuWork, queueWorkOnCpu, runOnCpu } from './cpu-work.js';
export {
  kvmArchGetRegisters,
  kvmArchPutRegisters,
  kvmCpuExec,
  kvmCpuSynchronizePost,
  kvmCpuSynchronizeState,
  kvmVcpuThreadFn,
  qemuProcessCpuEvents,
  qemuProcessCpuEventsCommon,
  qemuWaitIoEvent,
} from './vcpu-thread.js';
export {
  doVmStop,
  qemuSystemResetRequest,
  qemuSystemShutdownRequest,
  qemuSystemVmstopRequest,
  runstateIsLive,
  vmPrepareStart,
  vmStart,
  vmStop,
  vmStopForceState,
} from './runstate.js';
export { cpuReset, doCpuReset, kvmArmResetVcpu, qemuSystemReset } from './reset.js';
export {
  cpuListAdd,
  cpuListRemove,
  createMachine,
  kvmArmCreateHostVcpu,
  mainLoop,
  qemuInitVcpu,
  qmpCont,
  qmpStop,
  realizeCpu,
  requestQuit,
  scheduleCommand,
  spawnQemuMain,
} from './machine.js';
export type { MachineConfig } from './machine.js';
export { errorSetgErrno, hex64, kvmDeviceAccess } from './kvm-all.js';
export type { Errp } from './kvm-all.js';
export { Metrics } from './metrics.js';
export type { MetricsSnapshot, PauseRecord } from './metrics.js';
export { Hazards } from './hazards.js';
export {
  BQL_MUTEX,
  CPU_ON_WORK,
  QEMU_EVENT,
  QEMU_EVENT_KINDS,
  QEMU_VOCABULARY,
  STRATEGY_NOTE_PREFIX,
  emitQemuEvent,
  emitStrategyNote,
  isQemuEvent,
  isStrategyNote,
} from './trace-vocabulary.js';
export type { QemuEventKind, QemuEventPayloads, QemuTraceEvent, StrategyNoteData } from './trace-vocabulary.js';
export type { IccCtlrCacheKind } from './kinds.js';
export type { HazardKind, Violation } from './hazards.js';

// Part 2: the Arm virt board, PSCI, arm-powerctl, the KVM GICv3 device and the ICC reset strategies.
export { ArmVirt, DEFAULT_ARM_VIRT_OPTIONS, DEFAULT_BOOT_ENTRY } from './arm/virt.js';
export { BOOT_ENTRY, SECONDARY_ENTRY, gicCpuSysRegInit, guestHwid, psciAffinityInfo, psciCall, psciCpuOn } from './guest-kit.js';
export type { ArmVirtOptions } from './arm/virt.js';
export { buildArmVm } from './arm/build.js';
export type { ArmVm, ArmVmOptions } from './arm/build.js';
export type { IccResetStrategy, StrategyContext } from './arm/strategy.js';
export { strategyApi, strategyContext } from './arm/strategy-api.js';
export type { KvmReadResult, StrategyApi, StrategyErrp } from './arm/strategy-api.js';
export { StrategyRuntimeError, StrategyShapeError, validateStrategy } from './arm/strategy-validate.js';
export type { StrategyDefinition } from './arm/strategy-validate.js';
export {
  BUILTIN_STRATEGIES,
  PAUSE_ALWAYS,
  REALIZE_ONCE,
  RFC_V6,
  RFC_V6_SIMPLIFIED,
  UPSTREAM_2025,
  findStrategy,
  kvmGiccGetCachedIccCtlrEl1,
} from './arm/strategies/index.js';
export { GicCpuState, GicState, GICV3_G0, GICV3_G1, GICV3_G1NS, GICV3_NS, GICV3_S } from './arm/gic-state.js';
export { armGicv3IccReset, gicCpuStates, kvmArmGicv3Get, kvmArmGicv3Put, kvmArmGicv3Realize, kvmArmGicv3ResetHold } from './arm/gicv3-kvm.js';
export { ICC_CTLR_EL1, kvmGiccAccess, kvmGicdAccess, kvmGicrAccess } from './arm/gic-access.js';
export { armGetCpuById, armResetCpu, armSetCpuOff, armSetCpuOn, armSetCpuOnAsyncWork } from './arm/arm-powerctl.js';
export type { CpuOnInfo } from './arm/arm-powerctl.js';
export { armHandlePsciCall, kvmArmHandleHypercall } from './arm/psci.js';
export { Oracle } from './arm/oracle.js';
export type { OracleRecord, ResetTrigger } from './arm/oracle.js';
export { DeviceSetError, cpuEjected, deviceSetDisable, deviceSetEnable } from './arm/device-set.js';
export { MigrationBlockedError, captureMigrationStream, migrationLoad, migrationSave, saveDeviceState } from './arm/migration.js';
export { spawnMigrationThread } from './arm/migration-thread.js';
export type { MigrationState, MigrationStatus, MigrationThreadOptions } from './arm/migration-thread.js';
export {
  ItsState,
  VIRT_GIC_ITS,
  kvmArmItsPostLoad,
  kvmArmItsPreSave,
  kvmArmItsRealize,
  kvmArmItsResetHold,
  kvmArmItsVmChangeStateHandler,
} from './arm/arm-gicv3-its-kvm.js';
export type { ItsSnapshot } from './arm/arm-gicv3-its-kvm.js';
export type { CpuSnapshot, GicCpuSnapshot, MigrationStream } from './arm/migration.js';
