// Public face of @vgicsim/kvm-sim: the simulation kernel and the simulated KVM/arm64 vGICv3 surface.

// Simulation kernel
export { Simulator, SIGKILL } from './kernel/sim.js';
export type { OpCall, RunResult, SimOptions, SpawnOptions, TraceMode } from './kernel/sim.js';
export { Mutex, CondVar, HeldCounter, WaitQueue, SimThread } from './kernel/objects.js';
export { DoneCall, NO_OP } from './kernel/op-call.js';
export type { BlockedOn, BlockResult, HandoffPolicy, LockMode, Op, Proc, SignalHandler, ThreadState } from './kernel/objects.js';
export type { WaiterList } from './kernel/waiter-list.js';
export { SeededChoice, ReplayChoice, HookChoice } from './kernel/choice.js';
export type { ChoiceKind, ChoicePoint, ChoiceSource } from './kernel/choice.js';
export { Prng } from './kernel/prng.js';
export { SimAbort, SimModelError, describeWaitFor } from './kernel/outcome.js';
export type { Outcome, WaitForEntry } from './kernel/outcome.js';
export { ArraySink, HashedString, TRACE_FORMAT_VERSION, TraceHasher, formatEvent, formatValue } from './kernel/trace.js';
export type { HashFeed, TraceData, TraceEvent, TraceSink, TraceValue } from './kernel/trace.js';
export { KERNEL_EVENT, KERNEL_EVENT_KINDS, KERNEL_VOCABULARY, defineVocabulary, emitKernelEvent, isKernelEvent } from './kernel/trace-vocabulary.js';
export type {
  EventPayloads,
  KernelEventKind,
  KernelEventPayloads,
  KernelTraceEvent,
  PayloadArg,
  TraceTarget,
  TypedEmit,
  Vocabulary,
  VocabularyEvent,
} from './kernel/trace-vocabulary.js';
export { DEFAULT_KERNEL_COSTS, validateDuration } from './kernel/durations.js';
export type { Duration, KernelCosts } from './kernel/durations.js';

// Simulated KVM
export { Kvm } from './kvm/kvm.js';
export type {
  IoctlArgs,
  IoctlCounts,
  IoctlName,
  KvmCreateDevice,
  KvmMpState,
  KvmOneReg,
  KvmOptions,
  KvmVcpuInit,
  VmDeviceAttr,
} from './kvm/kvm.js';
export type { KvmContext } from './kvm/context.js';
export { KVM_EVENT, KVM_EVENT_KINDS, KVM_VOCABULARY, emitKvmEvent, isKvmEvent, isVcpuWaitQueue, vcpuWaitQueueName } from './kvm/trace-vocabulary.js';
export type { KvmEventKind, KvmEventPayloads, KvmTraceEvent } from './kvm/trace-vocabulary.js';
export { COST_SOURCES, DEFAULT_COST_MODEL, SPREAD_COST_MODEL, makeCostModel } from './kvm/cost-model.js';
export type { CostModel } from './kvm/cost-model.js';
export { KERNEL_VERSIONS, LOCK_POLICIES, VcpuState, VmState } from './kvm/state.js';
export type { KernelVersion, LockPolicy, VgicCpuState, VgicDistState } from './kvm/state.js';
export { IDLE_GUEST } from './kvm/guest.js';
export type { GuestAction, GuestCode, GuestCpu, GuestIccReg, GuestProgram, GuestResult } from './kvm/guest.js';
export { spawnForeignHolder } from './kvm/foreign-holder.js';
export type { ForeignHolderOptions } from './kvm/foreign-holder.js';
export { CPU_SYSREG_IDS, lookupCpuSysreg } from './kvm/vgic-sysregs.js';
export {
  GITS_BASER,
  GITS_CBASER,
  GITS_CREADR,
  GITS_CTLR,
  GITS_CWRITER,
  GITS_IIDR,
  GITS_TYPER,
  KVM_VGIC_ITS_ADDR_TYPE,
  KVM_VGIC_V3_ADDR_TYPE_DIST,
  KVM_VGIC_V3_ADDR_TYPE_REDIST,
  KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION,
} from '@vgicsim/gicv3-regs';
export { VgicItsState, vgicItsCtrl } from './kvm/vgic-its.js';
export { SYS_ICC_CTLR_EL1 } from './kvm/vgic-lock-lockless-shadow-as-posted.js';
export { locklessShadowMatches, vgicLockPolicy } from './kvm/vgic-lock-policy.js';
export type { VgicLockPolicy } from './kvm/vgic-lock-policy.js';
export { KERNEL_SHAPES, kernelShape } from './kvm/kernel-versions.js';
export type { KernelShape } from './kvm/kernel-versions.js';
export {
  E2BIG,
  EAGAIN,
  EBADF,
  EBUSY,
  EEXIST,
  EFAULT,
  EINTR,
  EINVAL,
  EIO,
  ENODEV,
  ENOENT,
  ENOEXEC,
  ENOMEM,
  ENOSPC,
  ENOTTY,
  ENXIO,
  EPERM,
  errnoName,
  formatResult,
  strerror,
} from './kvm/errno.js';
export {
  KVM_ARM_VCPU_POWER_OFF,
  KVM_ARM_VM_SMCCC_CTRL,
  KVM_ARM_VM_SMCCC_FILTER,
  KVM_DEV_TYPE_ARM_VGIC_ITS,
  KVM_DEV_TYPE_ARM_VGIC_V2,
  KVM_DEV_TYPE_ARM_VGIC_V3,
  KVM_EXIT_HYPERCALL,
  KVM_EXIT_INTR,
  KVM_EXIT_MMIO,
  KVM_EXIT_SYSTEM_EVENT,
  KVM_EXIT_UNKNOWN,
  KVM_HYPERCALL_EXIT_16BIT,
  KVM_HYPERCALL_EXIT_SMC,
  KVM_MP_STATE_RUNNABLE,
  KVM_MP_STATE_STOPPED,
  KVM_MP_STATE_SUSPENDED,
  KVM_REG_ARM_CORE_BASE,
  KVM_REG_ARM_CORE_PC,
  KVM_REG_MPIDR_EL1,
  KVM_SMCCC_FILTER_DENY,
  KVM_SMCCC_FILTER_FWD_TO_USER,
  KVM_SMCCC_FILTER_HANDLE,
  KVM_SYSTEM_EVENT_CRASH,
  KVM_SYSTEM_EVENT_RESET,
  KVM_SYSTEM_EVENT_SHUTDOWN,
  coreRegX,
} from './kvm/uapi.js';
export type { KvmDeviceAttr, KvmRun, KvmSmcccFilter, U64Ref } from './kvm/uapi.js';
