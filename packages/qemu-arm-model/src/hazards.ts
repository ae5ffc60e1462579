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
  | 'device-ioctl-while-vcpu-runs';

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

  /** Called by resume_all_vcpus. */
  checkResumeAll(): void {
    const self = this.q.sim.current;
    const others = [...this.q.insidePause].filter((t) => t !== self);
    if (others.length > 0) {
      this.report(
        'resume-during-pause',
        `resume_all_vcpus while ${others.map((t) => t.name).join(', ')} ${others.length === 1 ? 'is' : 'are'} still inside pause_all_vcpus`,
      );
    }
  }
}
