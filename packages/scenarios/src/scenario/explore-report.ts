// The JSON report of an exploration (`vgicsim explore --json`): everything needed to merge shards and to
// write replay files, and nothing that depends on where it ran except the wall time.
import {
  type ExhaustiveStats,
  type ExploreMode,
  type ExploreSummary,
  type FailureRecord,
  type Reduction,
  estimatePctSteps,
  explore,
  sameOutcome,
  shrink,
} from '../explore/index.js';
import { type Shard, shardSeeds } from './shard.js';
import { type ExplorableSpec, makeReplayFile, replayTraceHash, scenarioRunner } from './runner.js';

export interface ExploreRequest {
  readonly spec: ExplorableSpec;
  /**
   * Scenario seeds to sweep (the scenario's own choices: injection times, churned CPUs, migration timing);
   * every one gets the whole schedule budget. Default: the spec's seed alone.
   */
  readonly scenarioSeeds?: readonly number[];
  readonly mode: ExploreMode;
  /** Schedules in the whole exploration (all shards). */
  readonly budget: number;
  /** First seed of the whole exploration. */
  readonly seed: number;
  readonly pctDepth?: number;
  /** Exhaustive: the reduction (default 'sleep-sets+state-hash'). */
  readonly reduction?: Reduction;
  readonly shard?: Shard | null;
  readonly stopOnFirstFailure?: boolean;
  /** Replays allowed to shrink each distinct failure (default 200; 0 reports the failing runs' own choices). */
  readonly shrinkRuns?: number;
  readonly onProgress?: (done: number, failures: number, distinct: number, elapsedMs: number) => void;
  /**
   * A stop flag shared with the caller (an Int32Array over a SharedArrayBuffer, so worker threads see it
   * while they run): a non-zero element 0 ends the exploration after the current schedule.
   */
  readonly stop?: Int32Array;
}

export interface ReportedFailure {
  /** The scenario seed of the run that showed it (its schedule seed is `seed`). */
  readonly scenarioSeed: number;
  readonly outcome: string;
  readonly message: string;
  readonly messageClass: string;
  readonly seed: number | null;
  readonly occurrences: number;
  /** The shrunk choice list: what the replay file holds. */
  readonly choices: readonly number[];
  readonly traceHash: string;
  /** False when `choices` are the failing run's own: shrinking off, the exploration interrupted, or a replay did not reproduce it. */
  readonly shrunk: boolean;
}

export interface ExploreReport {
  readonly version: 1;
  readonly scenario: string;
  readonly strategy: string;
  readonly lockPolicy: string;
  readonly host: string;
  readonly params: Readonly<Record<string, string | number | boolean>>;
  readonly mode: ExploreMode;
  /** The scenario seeds swept, each with the whole schedule budget. */
  readonly scenarioSeeds: readonly number[];
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
  /** Stopped early (SIGINT/SIGTERM): `schedules` is what ran, fewer than the budget. */
  readonly interrupted: boolean;
  /**
   * Exhaustive mode: true when the search ended because every schedule of the bounded tree (the first
   * `exhaustiveBound` choice points, within the scheduling window) had been run — for every scenario seed —,
   * false when the budget, --stop-on-first or a stop signal cut it short (the result is then incomplete).
   * null for pct and random.
   */
  readonly exhausted: boolean | null;
  /** Exhaustive mode: the number of choice points per run that branch; null otherwise. */
  readonly exhaustiveBound: number | null;
  /** Exhaustive mode: the reduction used and what it cut (summed over scenario seeds); null otherwise. */
  readonly reduction: Reduction | null;
  readonly pruned: ExhaustiveStats | null;
  readonly wallMs: number;
}

/** The exhaustive search's reduction unless the request names one: sound sleep sets on today's state-hash pruning. */
export const DEFAULT_REDUCTION: Reduction = 'sleep-sets+state-hash';

/** Choice points per run that branch in exhaustive mode (ExhaustiveStrategy's default). */
const EXHAUSTIVE_BOUND = 64;

/** Whether a stop flag has been raised. */
export function stopRequested(stop: Int32Array | undefined): boolean {
  return stop !== undefined && Atomics.load(stop, 0) !== 0;
}

/** How a worker thread runs one chunk of its process's seeds (see exploreParallel); not part of the request. */
export interface ChunkOptions {
  /** The schedule seeds to run, in place of the request's shard of [seed, seed + budget). */
  readonly range: { readonly seed: number; readonly budget: number };
  /** PCT k per scenario seed, computed once per worker and reused by every chunk: one calibration run, not one per chunk. */
  readonly calibration: Map<number, number>;
  /**
   * Failures come with traceHash '' (no traced replay per class per chunk, most of which the merge drops);
   * shrinkReported hashes the ones kept.
   */
  readonly unhashed: true;
}

/** Runs an exploration (or one shard of it) over every scenario seed and reports it. */
export function exploreScenario(req: ExploreRequest, chunk?: ChunkOptions): ExploreReport {
  const seeds = req.scenarioSeeds === undefined || req.scenarioSeeds.length === 0 ? [req.spec.seed ?? 1] : [...req.scenarioSeeds];
  const shard = req.shard ?? { index: 1, count: 1 };
  if (req.mode === 'exhaustive' && shard.count > 1) {
    throw new RangeError('exhaustive exploration cannot be sharded by seed (it has no seeds); use random or pct');
  }
  const depth = req.pctDepth ?? 3;
  const slice = chunk?.range ?? shardSeeds(req.seed, req.budget, shard);
  const outcomes: Record<string, number> = {};
  const byClass = new Map<string, ReportedFailure>();
  let schedules = 0;
  let failingRuns = 0;
  let firstFailingSeed: number | null = null;
  let pctSteps: number | null = null;
  let wallMs = 0;
  let interrupted = false;
  let exhausted = true;
  let seedsDone = 0;
  const reduction: Reduction = req.reduction ?? DEFAULT_REDUCTION;
  let pruned: ExhaustiveStats = { statePruned: 0, sleepSkipped: 0, sleepBlocked: 0 };
  for (const scenarioSeed of seeds) {
    if (req.stopOnFirstFailure === true && failingRuns > 0) break;
    if (stopRequested(req.stop)) {
      interrupted = true;
      break;
    }
    const spec = { ...req.spec, seed: scenarioSeed };
    const runner = scenarioRunner(spec);
    // One k for every shard: estimated from the exploration's first seed, not the shard's.
    const k = req.mode === 'pct' && req.budget > 0 ? calibrated(chunk?.calibration, scenarioSeed, () => estimatePctSteps(runner, req.seed)) : null;
    pctSteps ??= k;
    const done = schedules;
    const summary: ExploreSummary = explore({
      runner,
      mode: req.mode,
      budget: req.mode === 'exhaustive' ? req.budget : slice.budget,
      // The bound the report states is the one the search used, not ExhaustiveStrategy's default by chance.
      ...(req.mode === 'exhaustive' ? { exhaustiveBound: EXHAUSTIVE_BOUND, reduction } : {}),
      seed: slice.seed,
      pctDepth: depth,
      ...(k === null ? {} : { pctSteps: k }),
      ...(req.stopOnFirstFailure === true ? { stopOnFirstFailure: true } : {}),
      ...(req.shrinkRuns === undefined ? {} : { shrinkRuns: req.shrinkRuns }),
      ...(chunk === undefined ? {} : { hashFailures: false }),
      ...(req.stop === undefined ? {} : { shouldStop: () => stopRequested(req.stop) }),
      ...(req.onProgress === undefined
        ? {}
        : {
            onProgress: (p: { done: number; failures: number; distinctFailures: number; elapsedMs: number }) =>
              req.onProgress?.(done + p.done, failingRuns + p.failures, byClass.size + p.distinctFailures, wallMs + p.elapsedMs),
          }),
    });
    schedules += summary.schedules;
    exhausted &&= summary.exhausted;
    if (summary.pruned !== null) {
      const p = summary.pruned;
      pruned = { statePruned: pruned.statePruned + p.statePruned, sleepSkipped: pruned.sleepSkipped + p.sleepSkipped, sleepBlocked: pruned.sleepBlocked + p.sleepBlocked };
    }
    seedsDone++;
    failingRuns += summary.failingRuns;
    wallMs += summary.wallMs;
    interrupted ||= summary.interrupted;
    if (firstFailingSeed === null) firstFailingSeed = summary.firstFailingSeed;
    for (const [o, n] of Object.entries(summary.outcomes)) outcomes[o] = (outcomes[o] ?? 0) + n;
    for (const f of summary.failures) {
      const key = `${f.outcome}\u0000${f.messageClass}`;
      const cur = byClass.get(key);
      // The first scenario seed that showed a class keeps its record; later ones only add occurrences.
      if (cur === undefined) byClass.set(key, toReported(f, scenarioSeed));
      else byClass.set(key, { ...cur, occurrences: cur.occurrences + f.occurrences });
    }
  }
  const file = makeReplayFile(req.spec, { choices: [], traceHash: '', outcome: '' });
  return {
    version: 1,
    scenario: file.scenario,
    strategy: file.strategy,
    lockPolicy: file.lockPolicy,
    host: file.host,
    params: file.params,
    mode: req.mode,
    scenarioSeeds: seeds,
    seedStart: req.seed,
    budget: req.budget,
    pctDepth: depth,
    pctSteps,
    shards: { count: shard.count, indices: [shard.index] },
    schedules,
    outcomes,
    failingRuns,
    firstFailingSeed,
    failures: [...byClass.values()],
    interrupted,
    // A seed loop left early (--stop-on-first, a stop signal) did not exhaust the seeds it skipped.
    exhausted: req.mode === 'exhaustive' ? exhausted && !interrupted && seedsDone === seeds.length : null,
    exhaustiveBound: req.mode === 'exhaustive' ? EXHAUSTIVE_BOUND : null,
    reduction: req.mode === 'exhaustive' ? reduction : null,
    pruned: req.mode === 'exhaustive' ? pruned : null,
    wallMs: Math.round(wallMs),
  };
}

/**
 * Shrinks a reported failure whose choices are the failing run's own (explored with shrinkRuns 0): the same
 * result the explorer would have recorded had it shrunk the failure itself.
 */
export function shrinkReported(spec: ExplorableSpec, f: ReportedFailure, maxRuns = 200): ReportedFailure {
  if (maxRuns === 0) return hashed(spec, f);
  const s = shrink(scenarioRunner({ ...spec, seed: f.scenarioSeed }), f.choices, sameOutcome(f.outcome), { maxRuns });
  // Not reproduced (a nondeterministic runner): the failing run's own choices stay, marked as not shrunk.
  if (!s.reproduced) return { ...hashed(spec, f), shrunk: false };
  return { ...f, choices: [...s.choices], traceHash: s.run.traceHash, shrunk: true };
}

/** A failure explored unhashed (ChunkOptions) gets the trace hash of its own choices' replay. */
function hashed(spec: ExplorableSpec, f: ReportedFailure): ReportedFailure {
  return f.traceHash !== '' ? f : { ...f, traceHash: replayTraceHash({ ...spec, seed: f.scenarioSeed }, f.choices) };
}

function calibrated(cache: Map<number, number> | undefined, scenarioSeed: number, estimate: () => number): number {
  const known = cache?.get(scenarioSeed);
  if (known !== undefined) return known;
  const k = estimate();
  cache?.set(scenarioSeed, k);
  return k;
}

function toReported(f: FailureRecord, scenarioSeed: number): ReportedFailure {
  return {
    scenarioSeed,
    outcome: f.outcome,
    message: f.message,
    messageClass: f.messageClass,
    seed: f.seed,
    occurrences: f.occurrences,
    choices: [...f.shrunkChoices],
    traceHash: f.traceHash,
    shrunk: f.shrunk,
  };
}
