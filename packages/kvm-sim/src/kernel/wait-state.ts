// Descriptions of who waits on what: the wait-for list a deadlock reports, the deadlock outcome itself,
// and the state digest (fingerprint) an explorer compares choice points by.
import type { SimThread } from './objects.js';
import { type Outcome, type WaitForEntry, describeWaitFor } from './outcome.js';
import { HashedString, TraceHasher } from './trace.js';

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

const STATE = new HashedString('state');
const OP = new HashedString('op');
const WAIT = new HashedString('wait');
const SIG = new HashedString('sig');
const CONTRIBUTOR = new HashedString('x');
const VALUE = new HashedString('v');

/**
 * Digest of the present state (not of the history): see ChoicePoint.fingerprint. It is the trace hash of
 * one event per thread, `{ t: 0, thread: -1, kind: <thread name>, data: { state, op, wait, sig } }`, then one
 * `{ kind: 'x', data: { v: <contributor> } }` per contributor; the words are mixed in place (names by the
 * hash words their objects keep) rather than through event objects, as an explorer asks at every choice
 * point. wait-state.test.ts checks it against TraceHasher.update of those events.
 */
export function fingerprint(threads: readonly SimThread[], contributors: readonly (() => string)[]): string {
  const h = new TraceHasher();
  for (const t of threads) {
    h.beginW(0, -1, t.traceName.a, t.traceName.b);
    h.strWs(STATE.a, STATE.b, t.state);
    h.strWs(OP.a, OP.b, t.pending?.kind ?? '');
    const on = t.blockedOn;
    if (on === null) h.strWs(WAIT.a, WAIT.b, '');
    else h.strW(WAIT.a, WAIT.b, on.kind === 'mutex' ? on.mutex.traceName : on.kind === 'cond' ? on.cond.traceName : on.kind === 'queue' ? on.queue.traceName : on.thread.traceName);
    h.numW(SIG.a, SIG.b, t.signals);
  }
  for (const c of contributors) {
    h.beginW(0, -1, CONTRIBUTOR.a, CONTRIBUTOR.b);
    h.strWs(VALUE.a, VALUE.b, c());
  }
  return h.digest();
}
