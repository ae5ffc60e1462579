// Exploration on worker threads: the seed range of this process's shard (the whole range if unsharded) is cut
// into chunks that the workers pull until none are left, the chunk reports are merged — the same outcomes
// per seed as one process — and the same workers then shrink the distinct failures.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type ExploreReport, type ExploreRequest, type ReportedFailure, exploreScenario } from './explore-report.js';
import { PoolWorker, type WorkerInit, type WorkerTask } from './explore-pool.js';
import { mergeReports } from './merge-reports.js';
import { shardSeeds } from './shard.js';
import { moduleOf } from './strategy-module.js';

export type { WorkerInit, WorkerMessage, WorkerTask } from './explore-pool.js';

export interface ParallelOptions {
  readonly workers: number;
  /** The compiled worker script (defaults to the one beside this module in dist/). */
  readonly workerUrl?: URL;
  /** Schedules per chunk (default CHUNK_SCHEDULES); tests make it small to exercise many chunks. */
  readonly chunkSchedules?: number;
}

/**
 * Schedules per chunk a worker takes at a time: small enough that the workers finish within a fraction of
 * a second of each other (PCT runs differ in length by seed), large enough that a chunk's report is noise.
 */
export const CHUNK_SCHEDULES = 50;

/**
 * Schedules per worker below which another worker costs more than it saves: each worker is a fresh isolate
 * whose start-up and JIT warm-up cost ~1.4 s of CPU (the first 50 `parallel-cpu-on` PCT schedules of a cold
 * isolate take 1.2–1.4 s, warm ones ~2 ms each), paid on both cores at once.
 */
export const SCHEDULES_PER_WORKER = 2000;

/**
 * `--workers auto`: one worker per core, but only as many as the budget keeps busy. On the 2-core machines
 * of issue 17, two workers against one at PCT budget 2000 measured 1.05×, 1.27× and 0.98× in three bench
 * runs (1.60×, 1.29×, 1.59× at 8000): at 2000 the second warm-up eats the gain, so auto keeps one worker
 * below 4000 schedules and never runs slower than one worker there.
 */
export function autoWorkers(budget: number, mode: ExploreRequest['mode'], cores: number): number {
  if (mode === 'exhaustive') return 1;
  return Math.max(1, Math.min(cores, Math.floor(budget / SCHEDULES_PER_WORKER)));
}

/**
 * With a stop flag (req.stop) the exploration always runs on worker threads, one at least, so that this
 * thread stays free to take the signal that raises the flag; interrupted, the failures found so far are
 * reported unshrunk (`shrunk: false`) rather than spending more time.
 */
export async function exploreParallel(req: ExploreRequest, options: ParallelOptions): Promise<ExploreReport> {
  const outer = req.shard ?? { index: 1, count: 1 };
  const w = req.mode === 'exhaustive' ? 1 : Math.max(1, Math.floor(options.workers));
  const url = options.workerUrl ?? new URL('./explore-worker.js', import.meta.url);
  // Run from sources (tests) there is no compiled worker beside this module: one process it is.
  const haveWorker = options.workerUrl !== undefined || existsSync(fileURLToPath(url));
  if (w === 1 && (req.stop === undefined || !haveWorker)) return exploreScenario(req);
  const t0 = performance.now();
  const mod = moduleOf(req.spec.strategy);
  if (typeof req.spec.strategy !== 'string' && mod === null) {
    throw new TypeError('exploreParallel: a strategy object must come from loadStrategyModule to run on workers (or pass a built-in name)');
  }
  const init: WorkerInit = {
    spec: { ...req.spec, strategy: typeof req.spec.strategy === 'string' ? req.spec.strategy : req.spec.strategy.name },
    strategyModule: mod,
  };
  const progress = new Array<{ done: number; failures: number; distinct: number }>(w).fill({ done: 0, failures: 0, distinct: 0 });
  const pool = Array.from(
    { length: w },
    (_, j) =>
      new PoolWorker(url, init, `exploration worker ${j + 1}`, (p) => {
        progress[j] = p;
        const sum = progress.reduce((a, q) => ({ done: a.done + q.done, failures: a.failures + q.failures, distinct: Math.max(a.distinct, q.distinct) }));
        req.onProgress?.(sum.done, sum.failures, sum.distinct, performance.now() - t0);
      }),
  );
  try {
    const range = shardSeeds(req.seed, req.budget, outer);
    const task: WorkerTask = {
      task: 'explore',
      // Workers do not shrink: the same failure class found in several chunks would be shrunk several times.
      // One worker takes the one chunk and explores the seeds in order, as this process would: stopping at the
      // first failure is the same.
      request: {
        mode: req.mode,
        budget: req.budget,
        seed: req.seed,
        shrinkRuns: 0,
        stopOnFirstFailure: w === 1 && req.stopOnFirstFailure === true,
        ...(req.pctDepth === undefined ? {} : { pctDepth: req.pctDepth }),
        ...(req.reduction === undefined ? {} : { reduction: req.reduction }),
        ...(req.stop === undefined ? {} : { stop: req.stop }),
        ...(req.scenarioSeeds === undefined ? {} : { scenarioSeeds: req.scenarioSeeds }),
      },
      next: new Int32Array(new SharedArrayBuffer(4)),
      chunks: w === 1 ? 1 : Math.max(1, Math.min(range.budget, Math.ceil(range.budget / Math.max(1, options.chunkSchedules ?? CHUNK_SCHEDULES)))),
      range,
    };
    const answers = await Promise.all(pool.map((p) => p.run(task)));
    const chunks = answers.flatMap((a) => a.reports);
    // A chunk taken after a stop ran nothing and knows no PCT k (which would make the merge refuse the reports
    // as of different explorations): it only says the exploration was interrupted.
    const ran = chunks.filter((r) => !(r.interrupted && r.schedules === 0));
    const merged = { ...mergeReports(ran.length > 0 ? ran : chunks), ...(ran.length < chunks.length ? { interrupted: true } : {}) };
    // Shrink each distinct failure once, from its lowest seed's run: what one process would have done.
    // Interrupted, they are reported as found (only hashed: one replay each).
    const failures = await shrinkAll(pool, merged.failures, merged.interrupted ? 0 : (req.shrinkRuns ?? 200));
    // Re-express the merge (of chunks 1..C) in this process's own shard (1 of 1 when unsharded) for the caller.
    return { ...merged, failures, shards: { count: outer.count, indices: [outer.index] }, wallMs: Math.round(performance.now() - t0) };
  } finally {
    for (const p of pool) p.close();
  }
}

/**
 * Shrinks failures (maxRuns 0: only computes their trace hashes, which the chunks leave out) on the
 * exploration's workers, each taking the next failure when it is free, longest recorded run first (a shrink
 * replays a run up to maxRuns times): the answers go back to the merged order.
 */
async function shrinkAll(pool: readonly PoolWorker[], failures: readonly ReportedFailure[], maxRuns: number): Promise<ReportedFailure[]> {
  if (failures.length === 0) return [];
  const shrunk = new Array<ReportedFailure | undefined>(failures.length);
  const queue = failures.map((_, i) => i).sort((a, b) => (failures[b]?.choices.length ?? 0) - (failures[a]?.choices.length ?? 0) || a - b);
  await Promise.all(
    pool.map(async (p) => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
        const failure = failures[i] as ReportedFailure;
        shrunk[i] = (await p.run({ task: 'shrink', failure, maxRuns })).failure;
      }
    }),
  );
  return shrunk.map((f, i) => f ?? (failures[i] as ReportedFailure));
}
