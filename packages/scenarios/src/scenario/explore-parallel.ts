// Exploration on worker threads: the seed range is split into one shard per worker (within the shard this
// process was given, if any) and the reports are merged — the same outcomes per seed as one process.
import { Worker } from 'node:worker_threads';
import { type ExploreReport, type ExploreRequest, type ReportedFailure, exploreScenario, shrinkReported } from './explore-report.js';
import type { ExplorableSpec } from './runner.js';
import { mergeReports } from './merge-reports.js';

export interface ParallelOptions {
  readonly workers: number;
  /** The compiled worker script (defaults to the one beside this module in dist/). */
  readonly workerUrl?: URL;
}

export type WorkerMessage =
  | { readonly kind: 'progress'; readonly done: number; readonly failures: number; readonly distinct: number }
  | { readonly kind: 'report'; readonly report: ExploreReport }
  | { readonly kind: 'shrunk'; readonly failures: readonly ReportedFailure[] }
  | { readonly kind: 'error'; readonly message: string };

/** What a worker is asked to do: explore a shard, or shrink some failures. */
export type WorkerTask =
  | ({ readonly task?: 'explore' } & ExploreRequest)
  | { readonly task: 'shrink'; readonly spec: ExplorableSpec; readonly failures: readonly ReportedFailure[]; readonly maxRuns: number };

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

export async function exploreParallel(req: ExploreRequest, options: ParallelOptions): Promise<ExploreReport> {
  const outer = req.shard ?? { index: 1, count: 1 };
  const w = Math.max(1, Math.floor(options.workers));
  if (w === 1 || req.mode === 'exhaustive') return exploreScenario(req);
  const url = options.workerUrl ?? new URL('./explore-worker.js', import.meta.url);
  const t0 = performance.now();
  const progress = new Array<{ done: number; failures: number; distinct: number }>(w).fill({ done: 0, failures: 0, distinct: 0 });
  const jobs = Array.from({ length: w }, (_, j) => {
    // Sub-shard j of this process's shard K of N is shard (K-1)·W + j + 1 of N·W.
    const shard = { index: (outer.index - 1) * w + j + 1, count: outer.count * w };
    // Workers do not shrink: the same failure class found by several shards would be shrunk several times.
    const data: ExploreRequest = { spec: req.spec, mode: req.mode, budget: req.budget, seed: req.seed, shard, shrinkRuns: 0, ...(req.pctDepth === undefined ? {} : { pctDepth: req.pctDepth }) };
    return new Promise<ExploreReport>((resolve, reject) => {
      const worker = new Worker(url, { workerData: data });
      worker.on('message', (m: WorkerMessage) => {
        if (m.kind === 'progress') {
          progress[j] = m;
          const sum = progress.reduce((a, p) => ({ done: a.done + p.done, failures: a.failures + p.failures, distinct: Math.max(a.distinct, p.distinct) }));
          req.onProgress?.(sum.done, sum.failures, sum.distinct, performance.now() - t0);
        } else if (m.kind === 'report') resolve(m.report);
        else if (m.kind === 'error') reject(new Error(`exploration worker ${j + 1}: ${m.message}`));
      });
      worker.on('error', reject);
      worker.on('exit', (code) => {
        if (code !== 0) reject(new Error(`exploration worker ${j + 1} exited with code ${code}`));
      });
    });
  });
  const merged = mergeReports(await Promise.all(jobs));
  // Shrink each distinct failure once, from its lowest seed's run: what one process would have done;
  // several failures are shrunk on several workers at once.
  const failures = await shrinkAll(req.spec, merged.failures, req.shrinkRuns ?? 200, w, url);
  // Re-express the merge in this process's own shard (1 of 1 when unsharded) for the caller.
  return { ...merged, failures, shards: { count: outer.count, indices: [outer.index] }, wallMs: Math.round(performance.now() - t0) };
}

/** Shrinks failures on up to `workers` worker threads (round-robin), in place of a serial loop. */
async function shrinkAll(spec: ExplorableSpec, failures: readonly ReportedFailure[], maxRuns: number, workers: number, url: URL): Promise<ReportedFailure[]> {
  if (maxRuns === 0 || failures.length === 0) return [...failures];
  const w = Math.min(workers, failures.length);
  if (w <= 1) return failures.map((f) => shrinkReported(spec, f, maxRuns));
  const groups = Array.from({ length: w }, (_, j) => failures.filter((_, i) => i % w === j));
  const shrunk = await Promise.all(
    groups.map(
      (group, j) =>
        new Promise<readonly ReportedFailure[]>((resolve, reject) => {
          const data: WorkerTask = { task: 'shrink', spec, failures: group, maxRuns };
          const worker = new Worker(url, { workerData: data });
          worker.on('message', (m: WorkerMessage) => {
            if (m.kind === 'shrunk') resolve(m.failures);
            else if (m.kind === 'error') reject(new Error(`shrink worker ${j + 1}: ${m.message}`));
          });
          worker.on('error', reject);
          worker.on('exit', (code) => {
            if (code !== 0) reject(new Error(`shrink worker ${j + 1} exited with code ${code}`));
          });
        }),
    ),
  );
  // Back to the merged order: failure i was shrunk by worker i % w as its (i / w)-th item.
  return failures.map((_, i) => shrunk[i % w]?.[Math.floor(i / w)] as ReportedFailure);
}
