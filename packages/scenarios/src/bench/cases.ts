// The benchmark cases of `npm run bench` (issue 8): what each runs and how it is measured. One case runs
// per child process, so its peak RSS is its own.
import type { ExploreMode, Independence } from '../explore/index.js';

export type BenchCase =
  | { readonly kind: 'scenario'; readonly id: string; readonly scenario: string; readonly strategy: string; readonly params: Readonly<Record<string, number>> }
  | { readonly kind: 'explore'; readonly id: string; readonly mode: ExploreMode; readonly workers: number; readonly budget: number }
  | { readonly kind: 'memory'; readonly id: string; readonly cycles: number }
  /** Issue 17: schedules an exhaustive search needs under each sleep-set independence relation (one run each). */
  | { readonly kind: 'por'; readonly id: string; readonly vcpus: number; readonly independence: Independence };

export interface CaseResult {
  readonly id: string;
  /** Wall time of each measured run (after a warm-up), ms. */
  readonly wallMs: readonly number[];
  readonly medianMs: number;
  /**
   * Scenario cases: the first run in a fresh process (the warm-up, which `medianMs` leaves out): what a
   * one-shot CLI run pays for JIT warm-up, beside the warmed median. Null for other cases.
   */
  readonly coldMs: number | null;
  /** Simulation steps (thread steps: the kernel's events) of one run. */
  readonly events: number;
  readonly eventsPerSec: number;
  /** Virtual time simulated by one run, ns. */
  readonly virtualNs: number;
  /** Virtual time ÷ wall time. */
  readonly speedup: number;
  readonly peakRssMb: number;
  /** Live heap after a full GC at the end (memory cases). */
  readonly liveHeapMb: number | null;
  /** Exploration cases: schedules per second. */
  readonly schedulesPerSec: number | null;
  readonly outcome: string;
  readonly note: string;
}

export const BENCH_CASES: readonly BenchCase[] = [
  ...[8, 64, 256, 512].flatMap((n) =>
    ['rfc-v6', 'realize-once'].map((strategy): BenchCase => ({ kind: 'scenario', id: `boot N=${n} ${strategy}`, scenario: 'boot', strategy, params: { vcpus: n } })),
  ),
  ...['upstream-2025', 'rfc-v6', 'realize-once', 'pause-always'].map(
    (strategy): BenchCase => ({ kind: 'scenario', id: `hotplug-churn N=64 H=10000 ${strategy}`, scenario: 'hotplug-churn', strategy, params: { vcpus: 64, cycles: 10_000 } }),
  ),
  { kind: 'explore', id: 'explore parallel-cpu-on random ×1', mode: 'random', workers: 1, budget: 2000 },
  { kind: 'explore', id: 'explore parallel-cpu-on pct ×1', mode: 'pct', workers: 1, budget: 2000 },
  { kind: 'explore', id: 'explore parallel-cpu-on random ×2 workers', mode: 'random', workers: 2, budget: 2000 },
  { kind: 'explore', id: 'explore parallel-cpu-on pct ×2 workers', mode: 'pct', workers: 2, budget: 2000 },
  // What bounds the partial-order reduction (step-footprint.ts, Independence): N = 3, so the three finish quickly.
  ...(['sound', 'ideal-timed', 'ideal-untimed'] as const).map(
    (independence): BenchCase => ({ kind: 'por', id: `exhaustive realize-once N=3 sleep sets ${independence}`, vcpus: 3, independence }),
  ),
  { kind: 'memory', id: 'memory hotplug-churn N=64 H=1000 (trace off)', cycles: 1000 },
  { kind: 'memory', id: 'memory hotplug-churn N=64 H=10000 (trace off)', cycles: 10_000 },
];
