import { describe, expect, it } from 'vitest';
import { CondVar, Mutex, Simulator, WaitQueue } from './sim.js';
import { fingerprint, idleOutcome, waitFor } from './wait-state.js';

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
});
