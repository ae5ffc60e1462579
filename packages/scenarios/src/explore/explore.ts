// The exploration driver: runs a strategy's schedules within a run budget, counts outcomes, and turns each
// distinct failure into a record a developer can act on: the seed (if any), the recorded choices, a shrunk
// choice list and the trace hash its replay gives, which is exactly what a replay file holds. The wall
// clock is read here, outside every run, only for progress reports and `wallMs`.
import { performance } from 'node:perf_hooks';
import { type ExhaustiveStats, ExhaustiveStrategy } from './exhaustive.js';
import { PctStrategy, estimatePctSteps } from './pct.js';
import { RandomStrategy } from './random.js';
import { sameOutcome, shrink } from './shrink.js';
import { isSleepSetBlocked } from './sleep-sets.js';
import type { Independence } from './step-footprint.js';
import type { ExploreMode, Runner, ScheduleRun, Strategy } from './types.js';

export interface ExploreProgress {
  /** Schedules run so far. */
  readonly done: number;
  /** Failing runs so far (not only distinct ones). */
  readonly failures: number;
  readonly distinctFailures: number;
  readonly elapsedMs: number;
}

export interface ExploreOptions {
  readonly runner: Runner;
  readonly mode: ExploreMode;
  /** Maximum number of schedules (runs) explored; shrinking replays and PCT's calibration run are extra. */
  readonly budget: number;
  /** First seed of random and PCT runs (default 1); ignored by exhaustive. */
  readonly seed?: number;
  /** PCT bug depth d (default 3). */
  readonly pctDepth?: number;
  /** PCT k; estimated from one calibration run (SeededChoice with `seed`) when absent. */
  readonly pctSteps?: number;
  /** Exhaustive: number of choice points per run that branch (default 64). */
  readonly exhaustiveBound?: number;
  /** Exhaustive: state-hash pruning (default true; a heuristic, see exhaustive.ts). Ignored when `reduction` is given. */
  readonly prune?: boolean;
  /** Exhaustive: which reductions to apply (default 'state-hash', i.e. `prune`); see README "Partial-order reduction". */
  readonly reduction?: Reduction;
  /** Exhaustive with sleep sets: their independence relation (default 'sound'; the others only measure, see step-footprint.ts). */
  readonly independence?: Independence;
  /** Stop after the first failure (default false: run the whole budget, collecting distinct failures). */
  readonly stopOnFirstFailure?: boolean;
  /** Replays allowed to shrink each distinct failure (default 200; 0 keeps the original list). */
  readonly shrinkRuns?: number;
  /**
   * With shrinkRuns 0: false leaves each failure record's traceHash '' instead of replaying the run with
   * tracing to compute it — for a caller that merges records and hashes only those it keeps (default true).
   */
  readonly hashFailures?: boolean;
  /** Checked before every schedule: true ends the exploration early (a signal), marked `interrupted`. */
  readonly shouldStop?: () => boolean;
  /** onProgress is called every this many schedules (default 100) and once at the end. */
  readonly progressEvery?: number;
  readonly onProgress?: (progress: ExploreProgress) => void;
}

export interface FailureRecord {
  readonly outcome: string;
  /** The message of the first run that showed this failure. */
  readonly message: string;
  /** The message with its numbers masked: failures are distinct by outcome and message class. */
  readonly messageClass: string;
  /** Seed of the first run that showed it (random, PCT); null for exhaustive runs. */
  readonly seed: number | null;
  /** Choices recorded by that run. */
  readonly choices: readonly number[];
  /** A shorter list that fails with the same outcome (the original when shrinking was off or failed). */
  readonly shrunkChoices: readonly number[];
  /** Trace hash of the replay of `shrunkChoices`: what a replay file records. */
  readonly traceHash: string;
  /** Replays spent shrinking. */
  readonly shrinkRuns: number;
  /** True only when a replay reproduced the failure and `shrunkChoices` came from shrinking it. */
  readonly shrunk: boolean;
  /** Failing runs of this class. */
  readonly occurrences: number;
}

/** Reductions of the exhaustive search: none, state-hash pruning (a heuristic), sleep sets (sound), or both. */
export type Reduction = 'none' | 'state-hash' | 'sleep-sets' | 'sleep-sets+state-hash';
export const REDUCTIONS: readonly Reduction[] = ['sleep-sets+state-hash', 'sleep-sets', 'state-hash', 'none'];

export interface ExploreSummary {
  readonly mode: ExploreMode;
  readonly schedules: number;
  readonly outcomes: Readonly<Record<string, number>>;
  readonly failures: readonly FailureRecord[];
  readonly firstFailingSeed: number | null;
  /** Failing runs, distinct or not. */
  readonly failingRuns: number;
  /** Exhaustive: the bounded tree was fully explored within the budget. Always false otherwise. */
  readonly exhausted: boolean;
  /** Exhaustive: the reduction used and what it cut; null otherwise. */
  readonly reduction: Reduction | null;
  readonly pruned: ExhaustiveStats | null;
  /** PCT: the k used (given or estimated); null otherwise. */
  readonly pctSteps: number | null;
  /** shouldStop ended the exploration before its budget. */
  readonly interrupted: boolean;
  readonly wallMs: number;
}

/** Masks numbers (times, ids, addresses) so that the same failure at another moment is one class. */
export function messageClass(message: string): string {
  return message.replace(/0x[0-9a-f]+|\d+/gi, '#');
}

export function explore(options: ExploreOptions): ExploreSummary {
  const t0 = performance.now();
  const { runner, mode, budget } = options;
  if (!Number.isSafeInteger(budget) || budget < 0) throw new RangeError(`budget must be an integer ≥ 0 (got ${budget})`);
  const seed = options.seed ?? 1;
  const shrinkRuns = options.shrinkRuns ?? 200;
  const progressEvery = Math.max(1, options.progressEvery ?? 100);

  let pctSteps: number | null = null;
  let exhaustive: ExhaustiveStrategy | null = null;
  let reduction: Reduction | null = null;
  let strategy: Strategy;
  switch (mode) {
    case 'random':
      strategy = new RandomStrategy({ start: seed, count: budget });
      break;
    case 'pct':
      pctSteps = options.pctSteps ?? (budget > 0 ? estimatePctSteps(runner, seed) : 1);
      strategy = new PctStrategy({ start: seed, count: budget, depth: options.pctDepth ?? 3, steps: pctSteps });
      break;
    case 'exhaustive':
      reduction = options.reduction ?? (options.prune === false ? 'none' : 'state-hash');
      exhaustive = new ExhaustiveStrategy({
        ...(options.exhaustiveBound === undefined ? {} : { bound: options.exhaustiveBound }),
        prune: reduction.endsWith('state-hash'),
        sleepSets: reduction.startsWith('sleep-sets'),
        ...(options.independence === undefined ? {} : { independence: options.independence }),
      });
      strategy = exhaustive;
      break;
  }

  const outcomes = new Map<string, number>();
  const failures = new Map<string, FailureRecord>();
  let schedules = 0;
  let failingRuns = 0;
  let firstFailingSeed: number | null = null;
  let lastReported = -1;
  let interrupted = false;
  const report = (): void => {
    if (options.onProgress === undefined || lastReported === schedules) return;
    lastReported = schedules;
    options.onProgress({ done: schedules, failures: failingRuns, distinctFailures: failures.size, elapsedMs: performance.now() - t0 });
  };

  while (schedules < budget) {
    if (options.shouldStop?.() === true) {
      interrupted = true;
      break;
    }
    const attempt = strategy.next();
    if (attempt === null) break;
    let run: ScheduleRun;
    try {
      run = runner(attempt.choice);
    } catch (e) {
      // Sleep sets cut a redundant run short: not a schedule.
      if (exhaustive === null || !isSleepSetBlocked(e)) throw e;
      exhaustive.blocked();
      continue;
    }
    strategy.record(run);
    schedules++;
    outcomes.set(run.outcome, (outcomes.get(run.outcome) ?? 0) + 1);
    if (run.failed) {
      failingRuns++;
      firstFailingSeed ??= attempt.seed;
      const cls = messageClass(run.message);
      const key = `${run.outcome}\u0000${cls}`;
      const known = failures.get(key);
      if (known === undefined) failures.set(key, recordFailure(runner, run, attempt.seed, cls, shrinkRuns, options.hashFailures !== false));
      else failures.set(key, { ...known, occurrences: known.occurrences + 1 });
      if (options.stopOnFirstFailure === true) break;
    }
    if (schedules % progressEvery === 0) report();
  }
  report();

  return {
    mode,
    schedules,
    outcomes: Object.fromEntries(outcomes),
    failures: [...failures.values()],
    firstFailingSeed,
    failingRuns,
    exhausted: exhaustive?.exhausted ?? false,
    reduction,
    pruned: exhaustive?.stats ?? null,
    pctSteps,
    interrupted,
    wallMs: performance.now() - t0,
  };
}

function recordFailure(runner: Runner, run: ScheduleRun, seed: number | null, cls: string, shrinkRuns: number, hash: boolean): FailureRecord {
  const base = { outcome: run.outcome, message: run.message, messageClass: cls, seed, choices: run.choices, occurrences: 1 };
  if (shrinkRuns === 0) return { ...base, shrunkChoices: run.choices, traceHash: hash ? run.traceHash : '', shrinkRuns: 0, shrunk: false };
  const s = shrink(runner, run.choices, sameOutcome(run.outcome), { maxRuns: shrinkRuns });
  // A recording that does not reproduce is a runner bug (nondeterminism); keep the original list, and say so.
  if (!s.reproduced) return { ...base, shrunkChoices: run.choices, traceHash: run.traceHash, shrinkRuns: s.runs, shrunk: false };
  return { ...base, shrunkChoices: s.choices, traceHash: s.run.traceHash, shrinkRuns: s.runs, shrunk: true };
}
