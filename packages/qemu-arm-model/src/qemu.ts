// One simulated QEMU process: the globals of system/cpus.c, system/runstate.c and the main loop (the BQL,
// qemu_pause_cond, qemu_work_cond, qemu_cpu_cond, cpus_queue, the runstate and the pending requests),
// plus the hooks through which the Arm/GIC layer plugs in, the metrics and the hazard log.
import { CondVar, type Kvm, type KvmRun, Mutex, type Proc, type SimThread, type Simulator, SimModelError, WaitQueue } from '@vgicsim/kvm-sim';
import { CpuState } from './cpu-state.js';
import { Hazards } from './hazards.js';
import { Metrics } from './metrics.js';
import { type QemuFixId, effectiveReverts } from './fixes.js';
import { DEFAULT_QEMU_OPTIONS, type QemuOptions } from './options.js';
import type { ShutdownCause } from './kinds.js';
import { type RunState, invalidRunstateTransitionMessage, runstateTransitionValid } from './runstate-transitions.js';
import { BQL_MUTEX, emitQemuEvent } from './trace-vocabulary.js';

export type { RunState, ShutdownCause };

/** A per-CPU reset hook: a cpreg resetfn run from cpu_reset's hold phase (arm_gicv3_icc_reset is one). */
export type CpuResetHook = (q: Qemu, cpu: CpuState) => Proc;

/** A device in the reset container: its hold phase runs after every CPU's reset. */
export interface ResetDevice {
  readonly name: string;
  resetHold(q: Qemu): Proc;
}

/** How the Arm layer extends the generic machinery (kvm_arch_* and board hooks). */
export interface ArchHooks {
  /** kvm_arch_init: after the VM fd exists, before any vCPU runs (the SMCCC filter goes here). */
  kvmArchInit?(q: Qemu): Proc;
  /** kvm_arch_handle_exit: exits the generic loop does not handle. Returns 0 to keep running, or an EXCP_*. */
  handleExit?(q: Qemu, cpu: CpuState, run: KvmRun): Proc<number>;
  /** Board/device realize after the CPUs exist (the GIC). */
  realizeDevices?(q: Qemu): Proc;
  /** The boot CPU's reset-time register setup (hw/arm/boot.c do_cpu_reset). */
  bootCpuSetup?(q: Qemu, cpu: CpuState): void;
  /** vm_state_notify handlers (e.g. the GIC's SAVE_PENDING_TABLES on stop). */
  vmStateChange?(q: Qemu, running: boolean): Proc;
  /** A possible CPU created admin-disabled at machine init (RFC patch 5): the board records its state. */
  onDisabledCpu?(q: Qemu, cpu: CpuState): void;
}

export const EXCP_INTERRUPT = 0x10000;
export const EXCP_HLT = 0x10001;
export const SIG_IPI = 10; // SIGUSR1 on Linux

export class Qemu {
  readonly bql: Mutex;
  readonly qemuPauseCond = new CondVar('qemu_pause_cond');
  readonly qemuWorkCond = new CondVar('qemu_work_cond');
  readonly qemuCpuCond = new CondVar('qemu_cpu_cond');
  /** The main loop's poll: qemu_notify_event() wakes it. */
  readonly mainLoopEvents = new WaitQueue('main-loop');
  /** cpus_queue in order: what CPU_FOREACH walks. */
  readonly cpus: CpuState[] = [];
  /** Every CPU object ever created (possible CPUs, including parked ones). */
  readonly allCpus: CpuState[] = [];
  runstate: RunState = 'prelaunch';
  resetRequested: ShutdownCause | null = null;
  shutdownRequested: ShutdownCause | null = null;
  vmstopRequested: RunState | null = null;
  readonly cpuResetHooks: CpuResetHook[] = [];
  /** CPUs with a do_cpu_reset legacy handler (registered at board init), in registration order. */
  readonly resetCpus: CpuState[] = [];
  readonly resetDevices: ResetDevice[] = [];
  readonly arch: ArchHooks;
  readonly options: QemuOptions;
  /** The upstream fixes this process runs without (options.revert plus what depends on them). */
  readonly reverted: ReadonlySet<QemuFixId>;
  readonly metrics: Metrics;
  readonly hazards: Hazards;
  vmFd = -1;
  mainThread: SimThread | null = null;
  /** Threads currently inside pause_all_vcpus, and those of them waiting in its loop. */
  readonly insidePause = new Set<SimThread>();
  readonly inPauseWait = new Set<SimThread>();
  /** pause_all_vcpus calls not yet matched by the same thread's resume_all_vcpus (hazard bookkeeping only). */
  readonly pauseDepth = new Map<SimThread, number>();
  /** Observers of pause_all_vcpus entry (fault injection hooks in scenarios and tests). */
  readonly pauseAllBeginObservers: ((q: Qemu) => void)[] = [];
  /** Scripted management commands (QMP stop/cont, device_set …) the main loop runs at their time. */
  readonly commands: { readonly at: number; readonly label: string; run(q: Qemu): Proc }[] = [];
  /**
   * Further device vmstate pre_save handlers. saveDeviceState (both migration paths) calls the GIC's
   * kvm_arm_gicv3_get and the ITS's pre_save itself, in registration order, then these, in order.
   */
  readonly migrationPreSave: { readonly name: string; preSave(q: Qemu): Proc }[] = [];

  constructor(
    readonly sim: Simulator,
    readonly kvm: Kvm,
    options: Partial<QemuOptions> = {},
    arch: ArchHooks = {},
  ) {
    this.options = { ...DEFAULT_QEMU_OPTIONS, ...options };
    this.reverted = effectiveReverts(this.options.revert);
    this.bql = new Mutex(BQL_MUTEX, this.options.bqlPolicy);
    this.arch = arch;
    this.metrics = new Metrics(this);
    this.hazards = new Hazards(this);
    // State an explorer's fingerprint must see beyond the kernel's threads: the flags pause/resume turn on.
    sim.fingerprintContributors.push(
      () =>
        `${this.options.threadPrefix}${this.runstate}:${this.allCpus
          .map((c) => `${c.stop ? 1 : 0}${c.stopped ? 1 : 0}${c.threadKicked ? 1 : 0}${c.halted ? 1 : 0}${c.powerState}${c.workList.length}`)
          .join(',')}`,
    );
  }

  get costs(): Kvm['ctx']['costs'] {
    return this.kvm.ctx.costs;
  }

  /** bql_locked(): the thread-local flag is the mutex's owner. */
  bqlLocked(): boolean {
    return this.bql.owner !== null && this.bql.owner === this.sim.current;
  }

  /** assert(bql_locked()) as upstream writes it; a failure is a model bug. */
  assertBql(where: string): void {
    if (!this.bqlLocked()) throw new SimModelError(`${where}: assertion 'bql_locked()' failed`);
  }

  /** current_cpu of the calling thread (NULL outside vCPU threads). */
  currentCpu(): CpuState | null {
    const data = this.sim.current?.data;
    return data instanceof CpuState ? data : null;
  }

  qemuCpuIsSelf(cpu: CpuState): boolean {
    return cpu.thread !== null && cpu.thread === this.sim.current;
  }

  /** qemu_in_vcpu_thread(). */
  inVcpuThread(): boolean {
    return this.currentCpu() !== null;
  }

  runstateIsRunning(): boolean {
    return this.runstate === 'running';
  }

  /** Whether the model runs with upstream fix `id` (not reverted). */
  fixed(id: QemuFixId): boolean {
    return !this.reverted.has(id);
  }

  /** runstate_set: an invalid transition is error_report + abort(), as upstream. */
  runstateSet(state: RunState): void {
    if (state === this.runstate) return;
    const old = this.runstate;
    if (!runstateTransitionValid(old, state)) this.abort(invalidRunstateTransitionMessage(old, state));
    this.runstate = state;
    this.metrics.onRunstate(old, state);
    emitQemuEvent(this.sim, 'runstate', { from: old, to: state });
  }

  /** error_abort / abort(): the process dies with this message. */
  abort(message: string): never {
    emitQemuEvent(this.sim, 'qemu-abort', { message });
    this.sim.abort(message);
  }

  /** qemu_notify_event(): wake the main loop. */
  notifyEvent(): void {
    this.sim.wake(this.mainLoopEvents, true, this.sim.costs.futexWakeNs);
  }

  cpuByIndex(index: number): CpuState | undefined {
    return this.allCpus.find((c) => c.index === index);
  }
}
