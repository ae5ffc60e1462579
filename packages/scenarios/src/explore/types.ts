// The contract between explorers and the scenarios layer: an explorer hands a run a choice source and gets
// back what happened. Explorers never know what a scenario is; the scenarios layer never knows how the
// choices were made. Everything in this directory is pure except the
// wall clock read by the driver for progress reports (explore.ts).
import type { ChoiceKind, ChoiceSource } from '@vgicsim/kvm-sim';

/** One run of a scenario under a given choice source. Implemented by the scenarios layer. */
export interface ScheduleRun {
  readonly outcome: string; // 'ok' | 'abort' | 'deadlock' | 'stranded-pauser' | 'guest-timeout' | 'budget-exceeded' | …
  readonly failed: boolean; // the run shows a failure worth reporting
  readonly message: string;
  readonly traceHash: string;
  readonly choices: readonly number[];
  readonly choiceKinds: readonly ChoiceKind[];
}
export type Runner = (choice: ChoiceSource) => ScheduleRun;

export type ExploreMode = 'random' | 'pct' | 'exhaustive';

/** What a strategy proposes for its next run. */
export interface ScheduleAttempt {
  readonly choice: ChoiceSource;
  /** The seed that reproduces this run with the same strategy parameters; null when there is none (DFS). */
  readonly seed: number | null;
}

/**
 * The scheduler interface every strategy implements (one file each). The driver alternates `next()` and
 * `record()`: a strategy such as DFS needs the finished run to decide what to try next.
 */
export interface Strategy {
  readonly mode: ExploreMode;
  /** The choice source for the next run, or null when the strategy has nothing left to explore. */
  next(): ScheduleAttempt | null;
  /** The result of the run started by the last `next()`. */
  record(run: ScheduleRun): void;
}
