// The one way a waiting thread becomes runnable again. Every wake-up (wait queue, condvar, join), mutex
// hand-off or lock-wake, signal or kick interrupt, and timeout goes through `unblock`; all but the timeout
// then queue the thread's next step through `makeRunnable`. A timeout needs no queueing: its step is the
// one running when it fires, and it resumes the thread in that same step.
import { removeAt } from './arrays.js';
import type { KernelCore } from './core.js';
import type { Duration } from './durations.js';
import type { PendingOp, SimThread } from './objects.js';

/**
 * Ends t's wait: t is runnable and blocked on nothing. Its next step performs `pending` (a lock op still
 * to win, a condvar's re-lock) or, when that is null, resumes its body with `resumeValue`.
 */
export function unblock(t: SimThread, pending: PendingOp | null, resumeValue: unknown): void {
  t.state = 'runnable';
  t.blockedOn = null;
  t.pending = pending;
  t.resumeValue = resumeValue;
}

/**
 * Unblocks t (see `unblock`) and queues its next step `delay` from now, superseding any queued one. A
 * ranged delay is drawn after t is unblocked: a choice source reading the fingerprint sees it runnable.
 */
export function makeRunnable(k: KernelCore, t: SimThread, pending: PendingOp | null, resumeValue: unknown, delay: Duration): void {
  unblock(t, pending, resumeValue);
  k.schedule(t, k.resolve(delay));
}

/** Takes t off a waiter list (an interrupted or timed-out waiter leaves from anywhere in it). */
export function removeWaiter(list: SimThread[], t: SimThread): void {
  const i = list.indexOf(t);
  if (i >= 0) removeAt(list, i);
}
