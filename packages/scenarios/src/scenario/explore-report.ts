// The JSON report of an exploration (`vgicsim explore --json`): everything needed to merge shards and to
// write replay files, and nothing that depends on where it ran except the wall time.
import {
  type ExploreMode,
  type ExploreSummary,
  type FailureRecord,
  estimatePctSteps,
  explore,
  sameOutcome,
  shrink,
} from '../explore/index.js';
import { type Shard, shardSeeds } from './shard.js';
import { type ExplorableSpec, makeReplayFile, scenarioRunner } from './runner.js';

export interface ExploreRequest {
  readonly spec: ExplorableSpec;
  readonly mode: ExploreMode;
  /** Schedules in the whole exploration (all shards). */
  readonly budget: number;
  /** First seed of the whole exploration. */
  readonly seed: number;
  readonly pctDepth?: number;
  readonly shard?: Shard | null;
  readonly stopOnFirstFailure?: boolean;
  /** Replays allowed to shrink each distinct failure (default 200; 0 reports the failing runs' own choices). */
  readonly shrinkRuns?: number;
  readonly onProgress?: (done: number, failures: number, distinct: number, elapsedMs: number) => void;
}

export interface ReportedFailure {
  readonly outcome: string;
  readonly message: string;
  readonly messageClass: string;
  readonly seed: number | null;
  readonly occurrences: number;
  /** The shrunk choice list: what the replay file holds. */
  readonly choices: readonly number[];
  readonly traceHash: string;
}

export interface ExploreReport {
  readonly version: 1;
  readonly scenario: string;
  readonly strategy: string;
  readonly lockPolicy: string;
  readonly host: string;
  readonly params: Readonly<Record<string, string | number | boolean>>;
  readonly mode: ExploreMode;
  readonly seedStart: number;
  readonly budget: number;
  readonly pctDepth: number;
  readonly pctSteps: number | null;
  /** The shards this report covers (every shard of the exploration once merged). */
  readonly shards: { readonly count: number; readonly indices: readonly number[] };
  readonly schedules: number;
  readonly outcomes: Readonly<Record<string, number>>;
  readonly failingRuns: number;
  readonly firstFailingSeed: number | null;
  readonly failures: readonly ReportedFailure[];
  /**
   * Exhaustive mode: true when the search ended because every schedule of the bounded tree (the first
   * `exhaustiveBound` choice points, within the scheduling window) had been run, false when the budget or
   * --stop-on-first cut it short (the result is then incomplete). null for pct and random.
   */
  readonly exhausted: boolean | null;
  /** Exhaustive mode: the number of choice points per run that branch; null otherwise. */
  readonly exhaustiveBound: number | null;
  readonly wallMs: number;
}

/** Choice points per run that branch in exhaustive mode (ExhaustiveStrategy's default). */
const EXHAUSTIVE_BOUND = 64;

/** Runs an exploration (or one shard of it) and reports it. */
export function exploreScenario(req: ExploreRequest): ExploreReport {
  const runner = scenarioRunner(req.spec);
  const shard = req.shard ?? { index: 1, count: 1 };
  if (req.mode === 'exhaustive' && shard.count > 1) {
    throw new RangeError('exhaustive exploration cannot be sharded by seed (it has no seeds); use random or pct');
  }
  const depth = req.pctDepth ?? 3;
  // One k for every shard: estimated from the exploration's first seed, not the shard's.
  const pctSteps = req.mode === 'pct' && req.budget > 0 ? estimatePctSteps(runner, req.seed) : null;
  const slice = shardSeeds(req.seed, req.budget, shard);
  const summary: ExploreSummary = explore({
    runner,
    mode: req.mode,
    budget: req.mode === 'exhaustive' ? req.budget : slice.budget,
    ...(req.mode === 'exhaustive' ? { exhaustiveBound: EXHAUSTIVE_BOUND } : {}),
    seed: slice.seed,
    pctDepth: depth,
    ...(pctSteps === null ? {} : { pctSteps }),
    ...(req.stopOnFirstFailure === true ? { stopOnFirstFailure: true } : {}),
    ...(req.shrinkRuns === undefined ? {} : { shrinkRuns: req.shrinkRuns }),
    ...(req.onProgress === undefined
      ? {}
      : { onProgress: (p: { done: number; failures: number; distinctFailures: number; elapsedMs: number }) => req.onProgress?.(p.done, p.failures, p.distinctFailures, p.elapsedMs) }),
  });
  const file = makeReplayFile(req.spec, { choices: [], traceHash: '', outcome: '' });
  return {
    version: 1,
    scenario: file.scenario,
    strategy: file.strategy,
    lockPolicy: file.lockPolicy,
    host: file.host,
    params: file.params,
    mode: req.mode,
    seedStart: req.seed,
    budget: req.budget,
    pctDepth: depth,
    pctSteps,
    shards: { count: shard.count, indices: [shard.index] },
    schedules: summary.schedules,
    outcomes: summary.outcomes,
    failingRuns: summary.failingRuns,
    firstFailingSeed: summary.firstFailingSeed,
    failures: summary.failures.map(toReported),
    exhausted: req.mode === 'exhaustive' ? summary.exhausted : null,
    exhaustiveBound: req.mode === 'exhaustive' ? EXHAUSTIVE_BOUND : null,
    wallMs: Math.round(summary.wallMs),
  };
}

/**
 * Shrinks a reported failure whose choices are the failing run's own (explored with shrinkRuns 0): the same
 * result the explorer would have recorded had it shrunk the failure itself.
 */
export function shrinkReported(spec: ExplorableSpec, f: ReportedFailure, maxRuns = 200): ReportedFailure {
  if (maxRuns === 0) return f;
  const s = shrink(scenarioRunner(spec), f.choices, sameOutcome(f.outcome), { maxRuns });
  if (!s.reproduced) return f;
  return { ...f, choices: [...s.choices], traceHash: s.run.traceHash };
}

function toReported(f: FailureRecord): ReportedFailure {
  return {
    outcome: f.outcome,
    message: f.message,
    messageClass: f.messageClass,
    seed: f.seed,
    occurrences: f.occurrences,
    choices: [...f.shrunkChoices],
    traceHash: f.traceHash,
  };
}
