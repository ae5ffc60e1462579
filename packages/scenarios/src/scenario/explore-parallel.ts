// Exploration on worker threads: the seed range is split into one shard per worker (within the shard this
// process was given, if any) and the reports are merged — the same outcomes per seed as one process.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type ExploreReport, type ExploreRequest, type ReportedFailure, exploreScenario, shrinkReported } from './explore-report.js';
import { mergeReports } from './merge-reports.js';
import type { ExplorableSpec } from './runner.js';
import { StrategyRuntimeError } from '@vgicsim/qemu-arm-model';
import { StrategyModuleError, type StrategyModuleRef, moduleOf } from './strategy-module.js';

export interface ParallelOptions {
  readonly workers: number;
  /** The compiled worker script (defaults to the one beside this module in dist/). */
  readonly workerUrl?: URL;
}

/**
 * What a worker is sent: the request without callbacks, and a module strategy as its reference (functions do
 * not cross threads) — the worker imports the same file and checks it has the same content hash.
 */
export type WorkerData = Omit<ExploreRequest, 'onProgress' | 'spec'> & {
  readonly spec: Omit<ExplorableSpec, 'strategy'> & { readonly strategy: string };
  readonly strategyModule: StrategyModuleRef | null;
};

export type WorkerMessage =
  | { readonly kind: 'progress'; readonly done: number; readonly failures: number; readonly distinct: number }
  | { readonly kind: 'report'; readonly report: ExploreReport }
  | { readonly kind: 'shrunk'; readonly failures: readonly ReportedFailure[] }
  | { readonly kind: 'error'; readonly message: string }
  /** A design's own failure (StrategyRuntimeError / StrategyModuleError), re-raised as such in the parent. */
  | { readonly kind: 'strategy-error'; readonly runtime: boolean; readonly origin: string; readonly problem: string };

/** What a worker is asked to do: explore a shard, or shrink some failures (a module strategy travels as its reference). */
export type WorkerTask =
  | ({ readonly task?: 'explore' } & WorkerData)
  | {
      readonly task: 'shrink';
      readonly spec: WorkerData['spec'];
      readonly strategyModule: StrategyModuleRef | null;
      readonly failures: readonly ReportedFailure[];
      readonly maxRuns: number;
    };

/** Schedules per worker below which another worker costs more (start-up, calibration) than it saves. */
export const SCHEDULES_PER_WORKER = 2000;

/**
 * `--workers auto`: one worker per core, but only as many as the budget keeps busy — on the 2-core
 * machines of issue 17 two workers were 0.85× of one at 2000 schedules and 1.33× at 8000.
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
  const workerSpec = { ...req.spec, strategy: typeof req.spec.strategy === 'string' ? req.spec.strategy : req.spec.strategy.name };
  const progress = new Array<{ done: number; failures: number; distinct: number }>(w).fill({ done: 0, failures: 0, distinct: 0 });
  const jobs = Array.from({ length: w }, (_, j) => {
    // Sub-shard j of this process's shard K of N is shard (K-1)·W + j + 1 of N·W.
    const shard = { index: (outer.index - 1) * w + j + 1, count: outer.count * w };
    // Workers do not shrink: the same failure class found by several shards would be shrunk several times.
    const data: WorkerData = {
      spec: workerSpec,
      strategyModule: mod,
      mode: req.mode,
      budget: req.budget,
      seed: req.seed,
      shard,
      shrinkRuns: 0,
      ...(req.pctDepth === undefined ? {} : { pctDepth: req.pctDepth }),
      ...(req.reduction === undefined ? {} : { reduction: req.reduction }),
      ...(req.stop === undefined ? {} : { stop: req.stop }),
      // One worker explores the seeds in order, as this process would: stopping at the first failure is the same.
      ...(w === 1 && req.stopOnFirstFailure === true ? { stopOnFirstFailure: true } : {}),
      ...(req.scenarioSeeds === undefined ? {} : { scenarioSeeds: req.scenarioSeeds }),
    };
    return new Promise<ExploreReport>((resolve, reject) => {
      const worker = new Worker(url, { workerData: data });
      worker.on('message', (m: WorkerMessage) => {
        if (m.kind === 'progress') {
          progress[j] = m;
          const sum = progress.reduce((a, p) => ({ done: a.done + p.done, failures: a.failures + p.failures, distinct: Math.max(a.distinct, p.distinct) }));
          req.onProgress?.(sum.done, sum.failures, sum.distinct, performance.now() - t0);
        } else if (m.kind === 'report') resolve(m.report);
        else if (m.kind === 'strategy-error') reject(strategyError(m));
        else if (m.kind === 'error') reject(new Error(`exploration worker ${j + 1}: ${m.message}`));
      });
      worker.on('error', reject);
      worker.on('exit', (code) => { exitWithout(`exploration worker ${j + 1}`, code, reject); });
    });
  });
  const merged = mergeReports(await Promise.all(jobs));
  // Shrink each distinct failure once, from its lowest seed's run: what one process would have done;
  // several failures are shrunk on several workers at once. Interrupted, they are reported as found.
  const failures = merged.interrupted ? merged.failures : await shrinkAll(req.spec, { spec: workerSpec, strategyModule: mod }, merged.failures, req.shrinkRuns ?? 200, w, url);
  // Re-express the merge in this process's own shard (1 of 1 when unsharded) for the caller.
  return { ...merged, failures, shards: { count: outer.count, indices: [outer.index] }, wallMs: Math.round(performance.now() - t0) };
}

/** Shrinks failures on up to `workers` worker threads (round-robin), in place of a serial loop. */
async function shrinkAll(
  spec: ExplorableSpec,
  remote: { readonly spec: WorkerData['spec']; readonly strategyModule: StrategyModuleRef | null },
  failures: readonly ReportedFailure[],
  maxRuns: number,
  workers: number,
  url: URL,
): Promise<ReportedFailure[]> {
  if (maxRuns === 0 || failures.length === 0) return [...failures];
  const w = Math.min(workers, failures.length);
  if (w <= 1) return failures.map((f) => shrinkReported(spec, f, maxRuns));
  const groups = Array.from({ length: w }, (_, j) => failures.filter((_, i) => i % w === j));
  const shrunk = await Promise.all(
    groups.map(
      (group, j) =>
        new Promise<readonly ReportedFailure[]>((resolve, reject) => {
          const data: WorkerTask = { task: 'shrink', spec: remote.spec, strategyModule: remote.strategyModule, failures: group, maxRuns };
          const worker = new Worker(url, { workerData: data });
          worker.on('message', (m: WorkerMessage) => {
            if (m.kind === 'shrunk') resolve(m.failures);
            else if (m.kind === 'strategy-error') reject(strategyError(m));
            else if (m.kind === 'error') reject(new Error(`shrink worker ${j + 1}: ${m.message}`));
          });
          worker.on('error', reject);
          worker.on('exit', (code) => { exitWithout(`shrink worker ${j + 1}`, code, reject); });
        }),
    ),
  );
  // Back to the merged order: failure i was shrunk by worker i % w as its (i / w)-th item.
  return failures.map((_, i) => shrunk[i % w]?.[Math.floor(i / w)] as ReportedFailure);
}

function strategyError(m: Extract<WorkerMessage, { kind: 'strategy-error' }>): Error {
  return m.runtime ? new StrategyRuntimeError(m.origin, m.problem) : new StrategyModuleError(m.origin, m.problem);
}

/**
 * A worker that exits before its answer settles the promise as failed: with a non-zero code, or with 0 but
 * no report (a worker bug), which would otherwise leave the exploration waiting forever. The check waits a
 * turn of the event loop so that a message posted just before a normal exit settles it first (a second
 * settle of a promise is a no-op).
 */
function exitWithout(who: string, code: number, reject: (e: Error) => void): void {
  if (code !== 0) {
    reject(new Error(`${who} exited with code ${code}`));
    return;
  }
  setImmediate(() => { reject(new Error(`${who} exited without a report`)); });
}
