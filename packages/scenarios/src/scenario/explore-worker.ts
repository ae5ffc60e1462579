// Worker-thread entry: takes tasks until the parent ends it — explore chunks of the seed range pulled from a
// shared counter, then shrink failures one at a time — in one isolate, warmed up once. A module strategy is
// imported here again (the parent sent its path and content hash), so a design runs in workers exactly as
// in the parent.
import { parentPort, workerData } from 'node:worker_threads';
import { type ExploreReport, exploreScenario, shrinkReported } from './explore-report.js';
import type { WorkerInit, WorkerMessage, WorkerTask } from './explore-pool.js';
import type { ExplorableSpec } from './runner.js';
import { shardSeeds } from './shard.js';
import { StrategyModuleError, loadStrategyModule } from './strategy-module.js';
import { StrategyRuntimeError } from '@vgicsim/qemu-arm-model';

const port = parentPort;
if (port !== null) {
  const init = workerData as WorkerInit;
  const ready: Promise<ExplorableSpec> = (async () => {
    const strategy = init.strategyModule === null ? init.spec.strategy : await loadStrategyModule(init.strategyModule.path, init.strategyModule.sha256);
    return { ...init.spec, strategy };
  })();
  // PCT k per scenario seed: the same in every chunk, so calibrated once.
  const calibration = new Map<number, number>();
  port.on('message', (task: WorkerTask) => {
    ready
      .then((spec) => {
        port.postMessage(task.task === 'shrink' ? { kind: 'shrunk', failure: shrinkReported(spec, task.failure, task.maxRuns) } : explored(spec, task));
      })
      .catch((e: unknown) => {
        port.postMessage(errorMessage(e));
      });
  });

  const explored = (spec: ExplorableSpec, task: Extract<WorkerTask, { task: 'explore' }>): WorkerMessage => {
    const reports: ExploreReport[] = [];
    let done = 0;
    let failures = 0;
    let distinct = 0;
    for (let c = Atomics.add(task.next, 0, 1); c < task.chunks; c = Atomics.add(task.next, 0, 1)) {
      const shard = { index: c + 1, count: task.chunks };
      const report = exploreScenario(
        {
          ...task.request,
          spec,
          shard,
          onProgress: (n, f, d) => {
            port.postMessage({ kind: 'progress', done: done + n, failures: failures + f, distinct: Math.max(distinct, d) } satisfies WorkerMessage);
          },
        },
        { range: shardSeeds(task.range.seed, task.range.budget, shard), calibration, unhashed: true },
      );
      reports.push(report);
      done += report.schedules;
      failures += report.failingRuns;
      distinct = Math.max(distinct, report.failures.length);
      // Stopped: the chunks nobody took are left, and the merged report says interrupted.
      if (report.interrupted) break;
    }
    return { kind: 'explored', reports };
  };
}

function errorMessage(e: unknown): WorkerMessage {
  if (e instanceof StrategyRuntimeError) return { kind: 'strategy-error', runtime: true, origin: e.origin, problem: e.problem };
  if (e instanceof StrategyModuleError) return { kind: 'strategy-error', runtime: false, origin: e.file, problem: e.problem };
  return { kind: 'error', message: e instanceof Error ? e.message : String(e) };
}
