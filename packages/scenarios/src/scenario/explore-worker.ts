// Worker-thread entry: explores one shard and posts its report.
import { parentPort, workerData } from 'node:worker_threads';
import { type ExploreRequest, exploreScenario } from './explore-report.js';
import type { WorkerMessage } from './explore-parallel.js';

const port = parentPort;
if (port !== null) {
  const req = workerData as ExploreRequest;
  try {
    const report = exploreScenario({
      ...req,
      onProgress: (done, failures, distinct) => {
        port.postMessage({ kind: 'progress', done, failures, distinct } satisfies WorkerMessage);
      },
    });
    port.postMessage({ kind: 'report', report } satisfies WorkerMessage);
  } catch (e) {
    port.postMessage({ kind: 'error', message: e instanceof Error ? e.message : String(e) } satisfies WorkerMessage);
  }
}
