// Hazard detectors (qemu.md §8.3): each finding is recorded with its time, thread and trace position,
// and emitted into the trace. They report what the model does; they never change it.
import type { SimThread } from '@vgicsim/kvm-sim';
import type { CpuState } from './cpu-state.js';
import type { Qemu } from './qemu.js';

export type HazardKind =
  /** cpu_resume(X) while X's own thread waits in pause_all_vcpus: X can never set `stopped` again. */
  | 'stranded-pauser'
  /** resume_all_vcpus while another thread is still inside pause_all_vcpus. */
  | 'resume-during-pause'
  /** The BQL held across a sleep longer than the configured bound (the RFC's 50 µs retries). */
  | 'bql-held-across-sleep'
  /** A KVM GIC access with error_abort while a vCPU mutex is held: in QEMU that is an abort. */
  | 'device-ioctl-while-vcpu-runs'
  /** The correctness oracle: a reset installed an ICC_CTLR_EL1 whose RO fields differ from the host's. */
  | 'icc-ctlr-ro-mismatch';

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

  constructor(private readonly q: Qemu) {}

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
    sim.emit('violation', { kind, message });
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
   * Called by resume_all_vcpus: flags a resume while another thread is inside pause_all_vcpus or between
   * its pause and its own resume, and a nested resume that undoes the caller's own outer pause (e.g. a
   * strategy pausing inside the main loop's system reset).
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
}
