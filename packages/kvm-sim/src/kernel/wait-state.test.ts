import { describe, expect, it } from 'vitest';
import { HookChoice } from './choice.js';
import type { SimThread } from './objects.js';
import { CondVar, Mutex, Simulator, WaitQueue } from './sim.js';
import { type TraceData, TraceHasher } from './trace.js';
import { fingerprint, idleOutcome, waitFor } from './wait-state.js';

/** The fingerprint's definition: one trace event per thread, then one per contributor, hashed as events. */
function referenceFingerprint(threads: readonly SimThread[], contributors: readonly (() => string)[]): string {
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

describe('deadlock diagnosis', () => {
  it('waitFor names each blocked thread, what it waits on and, for a mutex, its holder', () => {
    const sim = new Simulator();
    const m = new Mutex('m');
    const c = new CondVar('c');
    const cm = new Mutex('cm');
    const q = new WaitQueue('q');
    const holder = sim.spawn('holder', function* () {
      yield* sim.lock(m);
      yield* sim.block(q);
    });
    sim.spawn('locker', function* () {
      yield* sim.sleep(1);
      yield* sim.lock(m);
    });
    sim.spawn('waiter', function* () {
      yield* sim.lock(cm);
      yield* sim.condWait(c, cm);
    }, { daemon: true });
    sim.spawn('joiner', function* () {
      yield* sim.join(holder);
    });
    const r = sim.run();
    expect(r.outcome.kind).toBe('deadlock');
    expect(waitFor(sim.threads)).toEqual([
      { thread: 'holder', daemon: false, kind: 'queue', on: 'q', heldBy: null },
      { thread: 'locker', daemon: false, kind: 'mutex', on: 'm', heldBy: 'holder' },
      { thread: 'waiter', daemon: true, kind: 'cond', on: 'c', heldBy: null },
      { thread: 'joiner', daemon: false, kind: 'join', on: 'holder', heldBy: null },
    ]);
    if (r.outcome.kind === 'deadlock') expect(r.outcome.waitFor).toEqual(waitFor(sim.threads));
  });

  it('an empty queue with only daemons left is ok, with a non-daemon blocked a deadlock at that time', () => {
    const sim = new Simulator();
    sim.spawn('d', function* () {
      yield* sim.block(new WaitQueue('forever'));
    }, { daemon: true });
    sim.run();
    expect(idleOutcome(sim.threads, 7)).toEqual({ kind: 'ok' });

    const stuck = new Simulator();
    stuck.spawn('t', function* () {
      yield* stuck.sleep(30);
      yield* stuck.block(new WaitQueue('wq'));
    });
    const r = stuck.run();
    expect(r.outcome).toEqual({
      kind: 'deadlock',
      message: 'no thread can run again at t=30 ns: t sleeps on wq',
      waitFor: [{ thread: 't', daemon: false, kind: 'queue', on: 'wq', heldBy: null }],
      time: 30,
    });
  });

  it('the fingerprint changes with a thread\'s state and a contributor, not with virtual time', () => {
    const sim = new Simulator();
    const q = new WaitQueue('q');
    sim.spawn('t', function* () {
      yield* sim.block(q);
    });
    const before = fingerprint(sim.threads, []);
    sim.run();
    const after = fingerprint(sim.threads, []);
    expect(after).not.toBe(before);
    expect(fingerprint(sim.threads, [() => 'x'])).not.toBe(after);
    expect(fingerprint(sim.threads, [])).toBe(after);
  });

  it('is the trace hash of its defining events, at every choice point and at a deadlock with every kind of wait', () => {
    let compared = 0;
    let sim: Simulator | null = null;
    let flag = 0;
    const choice = new HookChoice((point) => {
      if (sim !== null) {
        expect(point.fingerprint()).toBe(referenceFingerprint(sim.threads, sim.fingerprintContributors));
        compared++;
      }
      return point.n - 1;
    });
    sim = new Simulator({ choice, windowNs: 5 });
    const s = sim;
    s.fingerprintContributors.push(() => `flag=${flag}`);
    const m = new Mutex('m');
    const c = new CondVar('c');
    const cm = new Mutex('cm');
    const q = new WaitQueue('q');
    const holder = s.spawn('holder', function* () {
      yield* s.lock(m);
      flag = 1;
      yield* s.sleep(3);
      yield* s.block(q);
    });
    for (const name of ['a', 'b', 'c']) {
      s.spawn(name, function* () {
        yield* s.sleep(1);
        yield* s.lock(m);
      });
    }
    s.spawn('waiter', function* () {
      yield* s.lock(cm);
      yield* s.condWait(c, cm);
    }, { daemon: true });
    s.spawn('joiner', function* () {
      yield* s.sleep(2);
      yield* s.join(holder);
    });
    const before = referenceFingerprint(s.threads, s.fingerprintContributors);
    expect(fingerprint(s.threads, s.fingerprintContributors)).toBe(before);
    const r = s.run();
    expect(r.outcome.kind).toBe('deadlock');
    expect(compared).toBeGreaterThan(3);
    expect(fingerprint(s.threads, s.fingerprintContributors)).toBe(referenceFingerprint(s.threads, s.fingerprintContributors));
    expect(fingerprint(s.threads, s.fingerprintContributors)).not.toBe(before);
  });
});
