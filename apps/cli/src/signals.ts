// SIGINT/SIGTERM while a long command runs. An exploration (worker threads, this thread free) takes the
// first signal as "stop cleanly": the command writes what it has and exits 128 + signal number; a second
// signal exits at once. Temporary output files are removed by the output writer's exit hook on every exit
// that runs code, and by a guard process on the others (a run killed by its default signal action).
import { spawn } from 'node:child_process';
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

/**
 * Removes `tmp` once this process is gone, however it ended (a default-action signal, SIGKILL): a detached
 * shell polls for the process and deletes the file, which no longer exists if it was committed or
 * abandoned. Costs one `sh`, only for outputs streamed during a run.
 */
export function guardTempFile(tmp: string): void {
  if (process.platform === 'win32') return;
  try {
    const guard = spawn('sh', ['-c', 'while kill -0 "$0" 2>/dev/null; do sleep 1; done; rm -f -- "$1"', String(process.pid), tmp], {
      detached: true,
      stdio: 'ignore',
    });
    guard.on('error', () => undefined);
    guard.unref();
  } catch {
    // No shell: the exit hook still covers every exit that runs code.
  }
}
