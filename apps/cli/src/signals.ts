// SIGINT/SIGTERM while a long command runs: the first signal asks the work to stop cleanly (the command
// then writes what it has and exits 128 + signal number); a second one exits at once. Temporary output
// files are removed on every exit path by the output writer's exit hook.
import { EXIT_SIGINT, EXIT_SIGTERM } from './errors.js';

export interface StopRequest {
  /** Shared with worker threads: element 0 becomes non-zero when a signal arrived. */
  readonly flag: Int32Array;
  /** The signal received, if any. */
  signal(): 'SIGINT' | 'SIGTERM' | null;
  /** The exit code for the signal received (undefined when none). */
  exitCode(): number | undefined;
  /** Removes the handlers (the command is done). */
  release(): void;
}

const CODES = { SIGINT: EXIT_SIGINT, SIGTERM: EXIT_SIGTERM } as const;

export function onStopSignals(): StopRequest {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  let received: 'SIGINT' | 'SIGTERM' | null = null;
  const handler = (sig: 'SIGINT' | 'SIGTERM'): void => {
    if (received !== null) process.exit(CODES[sig]);
    received = sig;
    Atomics.store(flag, 0, 1);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    flag,
    signal: () => received,
    exitCode: () => (received === null ? undefined : CODES[received]),
    release() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
