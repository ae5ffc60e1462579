// Descriptions of who waits on what: the wait-for list a deadlock reports, the deadlock outcome itself,
// and the state digest (fingerprint) an explorer compares choice points by.
import type { SimThread } from './objects.js';
import { type Outcome, type WaitForEntry, describeWaitFor } from './outcome.js';
import { type TraceData, TraceHasher } from './trace.js';

/** Who waits on what, held by whom: every blocked thread. */
export function waitFor(threads: readonly SimThread[]): WaitForEntry[] {
  const out: WaitForEntry[] = [];
  for (const t of threads) {
    const on = t.blockedOn;
    if (t.state !== 'blocked' || on === null) continue;
    switch (on.kind) {
      case 'mutex':
        out.push({ thread: t.name, daemon: t.daemon, kind: 'mutex', on: on.mutex.name, heldBy: on.mutex.owner?.name ?? null });
        break;
      case 'cond':
        out.push({ thread: t.name, daemon: t.daemon, kind: 'cond', on: on.cond.name, heldBy: null });
        break;
      case 'queue':
        out.push({ thread: t.name, daemon: t.daemon, kind: 'queue', on: on.queue.name, heldBy: null });
        break;
      case 'join':
        out.push({ thread: t.name, daemon: t.daemon, kind: 'join', on: on.thread.name, heldBy: null });
        break;
    }
  }
  return out;
}

/**
 * The outcome of a run whose queue ran empty at `now`: `ok` when every non-daemon thread has exited,
 * otherwise a deadlock naming every blocked thread (daemons included: they may hold what others wait for).
 */
export function idleOutcome(threads: readonly SimThread[], now: number): Outcome {
  if (threads.every((t) => t.daemon || t.state === 'done')) return { kind: 'ok' };
  const entries = waitFor(threads);
  return {
    kind: 'deadlock',
    message: `no thread can run again at t=${now} ns: ${describeWaitFor(entries)}`,
    waitFor: entries,
    time: now,
  };
}

/** Digest of the present state (not of the history): see ChoicePoint.fingerprint. */
export function fingerprint(threads: readonly SimThread[], contributors: readonly (() => string)[]): string {
  const h = new TraceHasher();
  let seq = 0;
  const put = (kind: string, data?: TraceData): void => {
    h.update({ seq: seq++, t: 0, thread: -1, kind, data });
  };
  for (const t of threads) {
    const on = t.blockedOn;
    const wait = on === null ? '' : on.kind === 'mutex' ? on.mutex.name : on.kind === 'cond' ? on.cond.name : on.kind === 'queue' ? on.queue.name : on.thread.name;
    put(t.name, { state: t.state, op: t.pending?.kind ?? '', wait, sig: t.signals });
  }
  for (const c of contributors) put('x', { v: c() });
  return h.digest();
}
