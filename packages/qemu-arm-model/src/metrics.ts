// Metrics of one run, collected as the model runs (not derived from the trace, so they exist with
// tracing off): pause_all_vcpus calls, VM-wide pauses, pause latency, time vCPUs spent stopped while they
// could have run guest code, kicks, the BQL's longest hold, and ioctl counts from the simulated KVM.
import type { IoctlCounts, Kvm, Mutex, Simulator } from '@vgicsim/kvm-sim';
import { type CpuState, PSCI_ON } from './cpu-state.js';
import type { RunState } from './runstate-transitions.js';

/** The QEMU globals the metrics read; Qemu has them (named here so that qemu.ts, which owns a Metrics, is not imported back). */
export interface MetricsQemu {
  readonly sim: Simulator;
  readonly allCpus: readonly CpuState[];
  readonly bql: Mutex;
  readonly kvm: Kvm;
  runstateIsRunning(): boolean;
}

export interface PauseRecord {
  readonly thread: string;
  readonly start: number;
  end: number | null;
  /** Made while the runstate was RUNNING: it stopped a running guest. */
  readonly vmWide: boolean;
}

export interface MetricsSnapshot {
  readonly pauseCalls: number;
  readonly pauseCallsByThread: Readonly<Record<string, number>>;
  readonly vmWidePauses: number;
  /** ns from each pause_all_vcpus call until it saw every vCPU stopped (completed pauses only). */
  readonly pauseLatenciesNs: readonly number[];
  readonly vcpuStoppedNs: { readonly total: number; readonly max: number; readonly perVcpu: readonly number[] };
  readonly kicks: number;
  readonly bqlMaxHoldNs: number;
  readonly ioctls: IoctlCounts;
}

export class Metrics {
  readonly pauses: PauseRecord[] = [];
  kicks = 0;
  private readonly stoppedSince = new Map<CpuState, number>();
  private readonly stoppedNs = new Map<number, number>();

  constructor(private readonly q: MetricsQemu) {}

  onPauseStart(thread: string): PauseRecord {
    const rec: PauseRecord = { thread, start: this.q.sim.now, end: null, vmWide: this.q.runstateIsRunning() };
    this.pauses.push(rec);
    return rec;
  }

  /** `stopped` changed on a CPU: count the time it is stopped while the VM runs and the CPU is on. */
  onStopped(cpu: CpuState, stopped: boolean): void {
    const now = this.q.sim.now;
    if (stopped) {
      if (this.q.runstateIsRunning() && cpu.powerState === PSCI_ON) this.stoppedSince.set(cpu, now);
      return;
    }
    this.close(cpu, now);
  }

  onRunstate(_old: RunState, next: RunState): void {
    // Time stopped only counts while the guest should be running.
    if (next !== 'running') for (const cpu of [...this.stoppedSince.keys()]) this.close(cpu, this.q.sim.now);
  }

  private close(cpu: CpuState, now: number): void {
    const since = this.stoppedSince.get(cpu);
    if (since === undefined) return;
    this.stoppedSince.delete(cpu);
    this.stoppedNs.set(cpu.index, (this.stoppedNs.get(cpu.index) ?? 0) + (now - since));
  }

  snapshot(): MetricsSnapshot {
    const byThread: Record<string, number> = {};
    for (const p of this.pauses) byThread[p.thread] = (byThread[p.thread] ?? 0) + 1;
    const now = this.q.sim.now;
    const perVcpu = this.q.allCpus.map((c) => {
      const open = this.stoppedSince.get(c);
      return (this.stoppedNs.get(c.index) ?? 0) + (open === undefined ? 0 : now - open);
    });
    return {
      pauseCalls: this.pauses.length,
      pauseCallsByThread: byThread,
      vmWidePauses: this.pauses.filter((p) => p.vmWide).length,
      pauseLatenciesNs: this.pauses.flatMap((p) => (p.end === null ? [] : [p.end - p.start])),
      vcpuStoppedNs: { total: perVcpu.reduce((a, b) => a + b, 0), max: Math.max(0, ...perVcpu), perVcpu },
      kicks: this.kicks,
      bqlMaxHoldNs: this.q.bql.maxHoldNs,
      ioctls: this.q.kvm.ioctlCounts(),
    };
  }
}
