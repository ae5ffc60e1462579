// The worker threads of a parallel exploration, kept alive from exploring to shrinking: a Worker isolate
// pays module loading and JIT warm-up once, not once per phase. Each worker runs one task at a time; the
// messages both ways are typed here.
import { Worker } from 'node:worker_threads';
import { StrategyRuntimeError } from '@vgicsim/qemu-arm-model';
import type { ExploreReport, ExploreRequest, ReportedFailure } from './explore-report.js';
import type { ExplorableSpec } from './runner.js';
import { StrategyModuleError, type StrategyModuleRef } from './strategy-module.js';

/**
 * What a worker starts with: the spec without callbacks, and a module strategy as its reference (functions
 * do not cross threads) — the worker imports the same file and checks it has the same content hash.
 */
export interface WorkerInit {
  readonly spec: Omit<ExplorableSpec, 'strategy'> & { readonly strategy: string };
  readonly strategyModule: StrategyModuleRef | null;
}

/**
 * Explore: take chunk numbers from the shared counter `next` (Atomics.add) until `chunks` are taken; chunk c
 * is part c + 1 of `chunks` of the seed range `range` (shardSeeds). Workers that pull chunks finish together
 * however long each seed's runs are; the reports are merged by seed, so who ran a chunk does not matter.
 */
export type WorkerTask =
  | {
      readonly task: 'explore';
      readonly request: Omit<ExploreRequest, 'onProgress' | 'spec' | 'shard'>;
      readonly next: Int32Array;
      readonly chunks: number;
      readonly range: { readonly seed: number; readonly budget: number };
    }
  | { readonly task: 'shrink'; readonly failure: ReportedFailure; readonly maxRuns: number };

export type WorkerMessage =
  | { readonly kind: 'progress'; readonly done: number; readonly failures: number; readonly distinct: number }
  /** One report per chunk the worker ran (shards: part c + 1 of `chunks`), none if the others took them all. */
  | { readonly kind: 'explored'; readonly reports: readonly ExploreReport[] }
  | { readonly kind: 'shrunk'; readonly failure: ReportedFailure }
  | { readonly kind: 'error'; readonly message: string }
  /** A design's own failure (StrategyRuntimeError / StrategyModuleError), re-raised as such in the parent. */
  | { readonly kind: 'strategy-error'; readonly runtime: boolean; readonly origin: string; readonly problem: string };

type Answer = Extract<WorkerMessage, { kind: 'explored' | 'shrunk' }>;
type Progress = Extract<WorkerMessage, { kind: 'progress' }>;

export class PoolWorker {
  private readonly worker: Worker;
  private pending: { readonly resolve: (m: Answer) => void; readonly reject: (e: Error) => void } | null = null;
  /** Why the worker can take no more tasks (it exited or failed between tasks). */
  private dead: Error | null = null;
  private closing = false;

  constructor(
    url: URL,
    init: WorkerInit,
    private readonly name: string,
    onProgress: (p: Progress) => void,
  ) {
    this.worker = new Worker(url, { workerData: init });
    this.worker.on('message', (m: WorkerMessage) => {
      if (m.kind === 'progress') onProgress(m);
      else if (m.kind === 'strategy-error') this.fail(strategyError(m));
      else if (m.kind === 'error') this.fail(new Error(`${this.name}: ${m.message}`));
      else {
        const p = this.pending;
        this.pending = null;
        p?.resolve(m);
      }
    });
    this.worker.on('error', (e) => { this.fail(e); });
    this.worker.on('exit', (code) => {
      if (this.closing) return;
      if (code !== 0) {
        this.fail(new Error(`${this.name} exited with code ${code}`));
        return;
      }
      // A message posted just before a normal exit is delivered first: wait a turn before calling the exit
      // answerless (a worker bug, which would otherwise leave the exploration waiting forever).
      setImmediate(() => { this.fail(new Error(`${this.name} exited without a report`)); });
    });
  }

  run(task: Extract<WorkerTask, { task: 'explore' }>): Promise<Extract<Answer, { kind: 'explored' }>>;
  run(task: Extract<WorkerTask, { task: 'shrink' }>): Promise<Extract<Answer, { kind: 'shrunk' }>>;
  run(task: WorkerTask): Promise<Answer> {
    if (this.dead !== null) return Promise.reject(this.dead);
    if (this.pending !== null) return Promise.reject(new Error(`${this.name}: a task is already running`));
    return new Promise<Answer>((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(task);
    });
  }

  /** Ends the worker (idle, or busy with a task nobody waits for any more: after another worker failed). */
  close(): void {
    this.closing = true;
    void this.worker.terminate();
  }

  private fail(e: Error): void {
    this.dead ??= e;
    const p = this.pending;
    this.pending = null;
    p?.reject(e);
  }
}

function strategyError(m: Extract<WorkerMessage, { kind: 'strategy-error' }>): Error {
  return m.runtime ? new StrategyRuntimeError(m.origin, m.problem) : new StrategyModuleError(m.origin, m.problem);
}
