// Hazard detectors (qemu.md §8.3): each finding is recorded with its time, thread and trace position,
// and emitted into the trace. They report what the model does; they never change it.
import type { CondVar, SimThread, Simulator } from '@vgicsim/kvm-sim';
import { CpuState } from './cpu-state.js';
import type { QemuOptions } from './options.js';
import type { HazardKind } from './kinds.js';
import type { RunState } from './runstate-transitions.js';
import { emitQemuEvent } from './trace-vocabulary.js';

export type { HazardKind };

/** The QEMU globals the detectors read; Qemu has them (named here so that qemu.ts, which owns a Hazards, is not imported back). */
export interface HazardsQemu {
  readonly sim: Simulator;
  readonly options: Pick<QemuOptions, 'strandedPauserVerdict' | 'hangVerdict'>;
  readonly cpus: readonly CpuState[];
  readonly insidePause: ReadonlySet<SimThread>;
  readonly inPauseWait: ReadonlySet<SimThread>;
  readonly pauseDepth: ReadonlyMap<SimThread, number>;
  readonly qemuPauseCond: CondVar;
  readonly runstate: RunState;
  runstateIsRunning(): boolean;
}


export interface Violation {
  readonly kind: HazardKind;
  readonly time: number;
  readonly thread: string;
  /** Number of trace events emitted before this finding (its position in the trace). */
  readonly tracePosition: number;
  readonly message: string;
}

export class Hazards {
  readonly violations: Violation[] = [];
  /** Pausers stranded so far (their threads), for the stranded-pauser verdict. */
  readonly stranded = new Set<SimThread>();
  /** Threads given the hang verdict so far, with what they wait for. */
  readonly hung = new Map<SimThread, string>();

  constructor(private readonly q: HazardsQemu) {}

  report(kind: HazardKind, message: string): void {
    const sim = this.q.sim;
    const v: Violation = {
      kind,
      time: sim.now,
      thread: sim.current?.name ?? 'kernel',
      tracePosition: sim.eventCount,
      message,
    };
    this.violations.push(v);
    emitQemuEvent(sim, 'violation', { kind, message });
  }

  /** Called by cpu_resume before it clears `stopped`. */
  checkResume(cpu: CpuState): void {
    const t = cpu.thread;
    if (t !== null && this.q.inPauseWait.has(t)) {
      this.stranded.add(t);
      this.report(
        'stranded-pauser',
        `cpu_resume(${cpu.name}) while its thread waits in pause_all_vcpus: it can never mark itself stopped again`,
      );
      if (this.q.options.strandedPauserVerdict === 'stop') {
        this.q.sim.stop({ kind: 'stopped', verdict: 'stranded-pauser', message: `${cpu.name} is a stranded pauser` });
      }
    }
  }

  /**
   * Called by resume_all_vcpus once it is going to resume (after its runstate guard, f962cac4c2): flags a
   * resume while another thread is still inside pause_all_vcpus or between its pause and its own resume,
   * and a nested resume that undoes the caller's own outer pause (a strategy pausing inside the main
   * loop's system reset). A resume upstream skips (runstate not running) is no hazard and is not flagged.
   */
  checkResumeAll(): void {
    const q = this.q;
    const self = q.sim.current;
    const others = [...q.insidePause].filter((t) => t !== self);
    for (const [t, depth] of q.pauseDepth) if (t !== self && depth > 0 && !others.includes(t)) others.push(t);
    const nested = self !== null && (q.pauseDepth.get(self) ?? 0) > 1;
    if (others.length > 0) {
      this.report(
        'resume-during-pause',
        `resume_all_vcpus while ${others.map((t) => t.name).join(', ')} ${others.length === 1 ? 'has' : 'have'} paused the vCPUs and not resumed them`,
      );
    } else if (nested) {
      this.report('resume-during-pause', `nested resume_all_vcpus by ${self.name} undoes its own outer pause_all_vcpus`);
    }
  }

  /**
   * After resume_all_vcpus has cleared every stop request: a non-vCPU thread still waiting in
   * pause_all_vcpus's loop can never leave it by itself — the loop re-kicks but never re-asserts `stop`, so
   * no vCPU will mark itself stopped again until some later pause asks it to (f962cac4c2's hang).
   */
  checkAbandonedPausers(): void {
    const q = this.q;
    const self = q.sim.current;
    for (const t of q.inPauseWait) {
      if (t === self || t.data instanceof CpuState || this.hung.has(t)) continue;
      const running = q.cpus.filter((c) => !c.stopped && !c.stop).map((c) => c.name);
      this.hang(
        t,
        `${t.name} can never leave pause_all_vcpus: it waits on qemu_pause_cond for ${running.join(', ')} to stop, but resume_all_vcpus on ${self?.name ?? 'kernel'} withdrew the stop requests and the wait loop never re-asserts them`,
      );
    }
  }

  /**
   * After a stopping vCPU has woken qemu_pause_cond's waiters: a pauser still asleep on it while every vCPU
   * is stopped has lost its wake-up (96bce6831b) — no vCPU will stop again to wake it.
   */
  checkLostWakeup(cpu: CpuState): void {
    const q = this.q;
    if (q.qemuPauseCond.waiters.length === 0) return;
    let all = true;
    for (const c of q.cpus) if (!c.stopped) all = false;
    if (!all) return;
    for (const t of [...q.qemuPauseCond.waiters]) {
      if (this.hung.has(t)) continue;
      this.report('lost-wakeup', `${t.name} sleeps on qemu_pause_cond while every vCPU is stopped: the stop of ${cpu.name} woke another waiter only`);
      this.hang(t, `${t.name} can never leave pause_all_vcpus: it sleeps on qemu_pause_cond with every vCPU already stopped (lost wake-up)`);
    }
  }

  /** qemu_cpu_stop on a vCPU still inside kvm_cpu_exec (cpu_stop_current before 0ec7e6779f). */
  checkStoppedWhileRunning(cpu: CpuState): void {
    const q = this.q;
    if (!cpu.running || q.insidePause.size === 0) return;
    const pausers = [...q.insidePause].map((t) => t.name).join(', ');
    this.report(
      'vcpu-stopped-while-running',
      `${cpu.name} is marked stopped while still inside kvm_cpu_exec: pause_all_vcpus in ${pausers} can return before it is back in its top-level loop`,
    );
  }

  /** KVM_RUN entered while the runstate is not running and no pause is in progress. */
  checkGuestEntry(cpu: CpuState): void {
    const q = this.q;
    if (q.runstateIsRunning() || q.insidePause.size > 0) return;
    this.report('vcpu-runs-while-stopped', `${cpu.name} enters KVM_RUN while the runstate is ${q.runstate} and nobody is pausing`);
  }

  /** The hang verdict: recorded, and the run ends at once unless hangVerdict is 'continue'. */
  hang(thread: SimThread, message: string): void {
    this.hung.set(thread, message);
    this.report('hang', message);
    if (this.q.options.hangVerdict === 'stop') this.q.sim.stop({ kind: 'stopped', verdict: 'hang', message });
  }
}
