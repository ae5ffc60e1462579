// How a run ends, and the errors that end it. A model assertion failure is a bug in the model, not a
// finding about QEMU, so it is thrown out of run() instead of being reported as an outcome.

export interface WaitForEntry {
  readonly thread: string;
  readonly daemon: boolean;
  readonly kind: 'mutex' | 'cond' | 'queue' | 'join';
  /** The mutex, condition variable, wait queue or thread waited on. */
  readonly on: string;
  /** For a mutex: its owner. */
  readonly heldBy: string | null;
}

export type Outcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'deadlock'; readonly message: string; readonly waitFor: readonly WaitForEntry[]; readonly time: number }
  | { readonly kind: 'abort'; readonly message: string; readonly thread: string; readonly time: number }
  | { readonly kind: 'budget-exceeded'; readonly message: string }
  | { readonly kind: 'time-limit'; readonly message: string }
  /** Ended by a layer above with a verdict of its own (e.g. `stranded-pauser`, `guest-timeout`). */
  | { readonly kind: 'stopped'; readonly verdict: string; readonly message: string };

export function describeWaitFor(entries: readonly WaitForEntry[]): string {
  if (entries.length === 0) return 'no thread is blocked';
  return entries
    .map((e) => {
      switch (e.kind) {
        case 'mutex':
          return `${e.thread} waits for mutex ${e.on} held by ${e.heldBy ?? 'nobody'}`;
        case 'cond':
          return `${e.thread} waits on condvar ${e.on}`;
        case 'queue':
          return `${e.thread} sleeps on ${e.on}`;
        case 'join':
          return `${e.thread} joins ${e.on}`;
      }
    })
    .join('; ');
}

/** Thrown by Simulator.abort(): QEMU's abort() ends the whole process. */
export class SimAbort extends Error {
  override readonly name = 'SimAbort';
}

/** A broken model invariant (an assertion QEMU or Linux would also make). */
export class SimModelError extends Error {
  override readonly name = 'SimModelError';
  thread: string | undefined;
  time: number | undefined;
  at(thread: string, time: number): this {
    if (this.thread === undefined) {
      this.thread = thread;
      this.time = time;
      this.message = `${this.message} [thread ${thread}, t=${time} ns]`;
    }
    return this;
  }
}
