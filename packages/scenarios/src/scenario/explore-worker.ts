// Worker-thread entry: explores one shard and posts its report, or shrinks a group of failures. A module
// strategy is imported here again (the parent sent its path and content hash), so a design runs in workers
// exactly as in the parent.
import { parentPort, workerData } from 'node:worker_threads';
import { exploreScenario, shrinkReported } from './explore-report.js';
import type { WorkerMessage, WorkerTask } from './explore-parallel.js';
import { StrategyModuleError, loadStrategyModule } from './strategy-module.js';
import { StrategyRuntimeError } from '@vgicsim/qemu-arm-model';

const port = parentPort;
if (port !== null) {
  const task = workerData as WorkerTask;
  try {
    const strategy = task.strategyModule === null ? task.spec.strategy : await loadStrategyModule(task.strategyModule.path, task.strategyModule.sha256);
    const spec = { ...task.spec, strategy };
    if (task.task === 'shrink') {
      const failures = task.failures.map((f) => shrinkReported(spec, f, task.maxRuns));
      port.postMessage({ kind: 'shrunk', failures } satisfies WorkerMessage);
    } else {
      const report = exploreScenario({
        ...task,
        spec,
        onProgress: (done, failures, distinct) => {
          port.postMessage({ kind: 'progress', done, failures, distinct } satisfies WorkerMessage);
        },
      });
      port.postMessage({ kind: 'report', report } satisfies WorkerMessage);
    }
  } catch (e) {
    if (e instanceof StrategyRuntimeError) port.postMessage({ kind: 'strategy-error', runtime: true, origin: e.origin, problem: e.problem } satisfies WorkerMessage);
    else if (e instanceof StrategyModuleError) port.postMessage({ kind: 'strategy-error', runtime: false, origin: e.file, problem: e.problem } satisfies WorkerMessage);
    else port.postMessage({ kind: 'error', message: e instanceof Error ? e.message : String(e) } satisfies WorkerMessage);
  }
}
