// Worker-thread entry: explores one shard and posts its report, or shrinks a group of failures.
import { parentPort, workerData } from 'node:worker_threads';
import { exploreScenario, shrinkReported } from './explore-report.js';
import type { WorkerMessage, WorkerTask } from './explore-parallel.js';

const port = parentPort;
if (port !== null) {
  const task = workerData as WorkerTask;
  try {
    if (task.task === 'shrink') {
      const failures = task.failures.map((f) => shrinkReported(task.spec, f, task.maxRuns));
      port.postMessage({ kind: 'shrunk', failures } satisfies WorkerMessage);
    } else {
      const report = exploreScenario({
        ...task,
        onProgress: (done, failures, distinct) => {
          port.postMessage({ kind: 'progress', done, failures, distinct } satisfies WorkerMessage);
        },
      });
      port.postMessage({ kind: 'report', report } satisfies WorkerMessage);
    }
  } catch (e) {
    port.postMessage({ kind: 'error', message: e instanceof Error ? e.message : String(e) } satisfies WorkerMessage);
  }
}
