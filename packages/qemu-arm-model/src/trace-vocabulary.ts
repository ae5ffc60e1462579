// The QEMU model's trace events: every kind this package emits, with its payload type (the kernel's and
// KVM's events are declared in @vgicsim/kvm-sim). Emit sites use `emitQemuEvent`, so a kind or a payload
// field not declared here is a type error; readers switch on QEMU_EVENT.
import { type TraceData, type TraceEvent, type TraceTarget, type VocabularyEvent, defineVocabulary } from '@vgicsim/kvm-sim';
import type { HazardKind, IccCtlrCacheKind, MigrationStatus, ResetTrigger, ShutdownCause } from './kinds.js';
import type { RunState } from './runstate-transitions.js';

type Cpu = { readonly cpu: number };

/** The QEMU model's events, kind to payload. `cpu` is a CPU index (cpu_index). */
export type QemuEventPayloads = {
  readonly runstate: { readonly from: RunState; readonly to: RunState };
  /** error_abort / abort(): the process dies with `message` (the kernel's `abort` follows). */
  readonly 'qemu-abort': { readonly message: string };
  readonly 'qemu-error': { readonly message: string };
  readonly 'qemu-warning': { readonly message: string };
  /** qemu_log_mask(LOG_GUEST_ERROR, …). */
  readonly 'guest-error': { readonly message: string };
  /** A hazard check fired (Hazards.report). */
  readonly violation: { readonly kind: HazardKind; readonly message: string };
  readonly 'reset-request': { readonly reason: ShutdownCause };
  readonly 'shutdown-request': { readonly reason: ShutdownCause };
  readonly 'system-reset-begin': { readonly reason: ShutdownCause };
  readonly 'system-reset-end': { readonly reason: ShutdownCause };
  /** A QMP event; RESET carries its cause. */
  readonly 'qmp-event': { readonly event: 'STOP' | 'RESUME' } | { readonly event: 'RESET'; readonly reason: ShutdownCause };
  readonly 'qmp-command': { readonly command: string };
  readonly 'qmp-error': { readonly command: string; readonly message: string };
  /** cpu_reset on the emitting thread. */
  readonly 'cpu-reset': Cpu;
  /** A vCPU set its `stopped` flag (qemu_cpu_stop / cpu_handle_guest_debug path). */
  readonly 'cpu-stopped': Cpu;
  /** cpu_resume cleared a vCPU's `stopped` flag. */
  readonly 'cpu-resume': Cpu;
  /** pause_all_vcpus starts; `vmWide` unless only the caller's own vCPU needed pausing. */
  readonly 'pause-all-begin': { readonly vmWide: boolean };
  /** pause_all_vcpus returns: `latencyNs` from its start until every vCPU was paused. */
  readonly 'pause-all-end': { readonly latencyNs: number };
  readonly 'resume-all': undefined;
  /** resume_all_vcpus skipped because the runstate is not running. */
  readonly 'resume-all-skipped': { readonly runstate: RunState };
  /** queue_work_on_cpu; `work` is the work item's function name. */
  readonly 'queue-work': Cpu & { readonly work: string };
  readonly 'work-begin': Cpu & { readonly work: string };
  readonly 'work-end': Cpu & { readonly work: string };
  readonly 'device-set': (Cpu & { readonly state: 'enabled'; readonly lazy: boolean }) | (Cpu & { readonly state: 'disabled' });
  readonly 'cpu-parked': Cpu;
  readonly 'arm-set-cpu-on': { readonly cpuid: bigint };
  /** arm_set_cpu_off's trace, also emitted by arm_reset_cpu (an upstream quirk). */
  readonly 'arm-set-cpu-off': { readonly cpuid: bigint; readonly quirk: 'arm_reset_cpu' };
  readonly 'cpu-on-done': Cpu;
  readonly 'psci-forwarded': Cpu & { readonly fn: string; readonly conduit: 'smc' | 'hvc' };
  readonly 'unhandled-exit': Cpu & { readonly reason: number };
  readonly 'guest-panicked': Cpu;
  readonly 'migration-status': { readonly status: MigrationStatus };
  readonly 'migration-saved': { readonly cpus: number };
  readonly 'migration-load': { readonly from: string; readonly to: string };
  /** The correctness oracle recorded the ICC_CTLR_EL1 a reset installed, and the host's reference value. */
  readonly 'oracle-reset': Cpu & { readonly trigger: ResetTrigger; readonly installed: bigint; readonly reference: bigint };
  readonly 'rfc-v6-cache-hit': Cpu & { readonly cache: IccCtlrCacheKind };
  readonly 'rfc-v6-cache-fill': Cpu & { readonly cache: IccCtlrCacheKind; readonly value: bigint; readonly firstRet: number };
};

export type QemuEventKind = keyof QemuEventPayloads;
export type QemuTraceEvent = VocabularyEvent<QemuEventPayloads>;

/** The QEMU model's vocabulary; `QEMU_EVENT.pauseAllBegin` etc. name its kinds for switches. */
export const QEMU_VOCABULARY = defineVocabulary<QemuEventPayloads>()({
  runstate: 'runstate',
  qemuAbort: 'qemu-abort',
  qemuError: 'qemu-error',
  qemuWarning: 'qemu-warning',
  guestError: 'guest-error',
  violation: 'violation',
  resetRequest: 'reset-request',
  shutdownRequest: 'shutdown-request',
  systemResetBegin: 'system-reset-begin',
  systemResetEnd: 'system-reset-end',
  qmpEvent: 'qmp-event',
  qmpCommand: 'qmp-command',
  qmpError: 'qmp-error',
  cpuReset: 'cpu-reset',
  cpuStopped: 'cpu-stopped',
  cpuResume: 'cpu-resume',
  pauseAllBegin: 'pause-all-begin',
  pauseAllEnd: 'pause-all-end',
  resumeAll: 'resume-all',
  resumeAllSkipped: 'resume-all-skipped',
  queueWork: 'queue-work',
  workBegin: 'work-begin',
  workEnd: 'work-end',
  deviceSet: 'device-set',
  cpuParked: 'cpu-parked',
  armSetCpuOn: 'arm-set-cpu-on',
  armSetCpuOff: 'arm-set-cpu-off',
  cpuOnDone: 'cpu-on-done',
  psciForwarded: 'psci-forwarded',
  unhandledExit: 'unhandled-exit',
  guestPanicked: 'guest-panicked',
  migrationStatus: 'migration-status',
  migrationSaved: 'migration-saved',
  migrationLoad: 'migration-load',
  oracleReset: 'oracle-reset',
  rfcV6CacheHit: 'rfc-v6-cache-hit',
  rfcV6CacheFill: 'rfc-v6-cache-fill',
});

export const { names: QEMU_EVENT, kinds: QEMU_EVENT_KINDS, emit: emitQemuEvent, has: isQemuEvent } = QEMU_VOCABULARY;

/** The BQL's mutex name in `lock`/`unlock`/`lock-wait`/`handoff` payloads (one per QEMU process). */
export const BQL_MUTEX = 'BQL';

/** The work item arm_set_cpu_on queues on its target (async_run_on_cpu): `work` of `work-begin`/`work-end`. */
export const CPU_ON_WORK = 'arm_set_cpu_on_async_work';

/**
 * A reset strategy's own note (`api.note(event, data)`): kind `strategy:<event>`, free-form payload. The
 * one open family of the vocabulary, because designs outside the repository name their own events.
 */
export const STRATEGY_NOTE_PREFIX = 'strategy:';
export type StrategyNoteData = Readonly<Record<string, string | number | boolean | bigint>>;

export function emitStrategyNote(sim: TraceTarget, event: string, data: StrategyNoteData | undefined): void {
  const payload: TraceData = data === undefined ? {} : { ...data };
  sim.emit(`${STRATEGY_NOTE_PREFIX}${event}`, payload);
}

export function isStrategyNote(event: TraceEvent): boolean {
  return event.kind.startsWith(STRATEGY_NOTE_PREFIX);
}
