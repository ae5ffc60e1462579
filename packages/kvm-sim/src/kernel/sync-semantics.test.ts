import { describe, expect, it } from 'vitest';
import { CondVar, Mutex, Simulator, WaitQueue } from './sim.js';

const kinds = (events: readonly { kind: string; t: number; data?: unknown }[], keep: readonly string[]): string[] =>
  events.filter((e) => keep.includes(e.kind)).map((e) => `${e.t} ${e.kind} ${JSON.stringify(e.data ?? {})}`);

describe('sync semantics', () => {
  it('fifo hand-off: the waiter owns the mutex from the release on, before it runs again', () => {
    const sim = new Simulator({ trace: 'full', costs: { futexWakeNs: 30, mutexFastPathNs: 0 } });
    const m = new Mutex('m', 'fifo');
    let ownerAfterUnlock = '';
    sim.spawn('holder', function* () {
      yield* sim.lock(m);
      yield* sim.sleep(100);
      sim.unlock(m);
      ownerAfterUnlock = m.owner?.name ?? 'nobody';
      // Handed off: the holder cannot take it back although it runs first.
      expect(yield* sim.trylock(m)).toBe(false);
    });
    let lockedAt = -1;
    sim.spawn('waiter', function* () {
      yield* sim.sleep(10);
      yield* sim.lock(m);
      lockedAt = sim.now;
      sim.unlock(m);
    });
    const r = sim.run();
    expect(ownerAfterUnlock).toBe('waiter');
    expect(lockedAt).toBe(130);
    expect(m.acquisitions).toBe(2);
    expect(kinds(r.events, ['lock-wait', 'handoff', 'trylock-fail'])).toEqual([
      '10 lock-wait {"mutex":"m","owner":"holder"}',
      '100 handoff {"mutex":"m","to":"waiter"}',
      '100 trylock-fail {"mutex":"m","owner":"waiter"}',
    ]);
  });

  it('barging: the woken waiter retries its lock op and waits again if the mutex was re-taken', () => {
    const sim = new Simulator({ trace: 'full', costs: { futexWakeNs: 30, mutexFastPathNs: 0 } });
    const m = new Mutex('m', 'barging');
    sim.spawn('holder', function* () {
      yield* sim.lock(m);
      yield* sim.sleep(100);
      sim.unlock(m);
      yield* sim.lock(m);
      yield* sim.sleep(100);
      sim.unlock(m);
    });
    sim.spawn('waiter', function* () {
      yield* sim.sleep(10);
      yield* sim.lock(m);
      sim.unlock(m);
    });
    const r = sim.run();
    expect(m.contentions).toBe(2);
    expect(kinds(r.events, ['lock-wait', 'lock-wake'])).toEqual([
      '10 lock-wait {"mutex":"m","owner":"holder"}',
      '100 lock-wake {"mutex":"m","target":"waiter"}',
      '130 lock-wait {"mutex":"m","owner":"holder"}',
      '200 lock-wake {"mutex":"m","target":"waiter"}',
    ]);
  });

  it('a timed block that nobody wakes leaves the queue and returns timeout at the deadline', () => {
    const sim = new Simulator({ trace: 'full' });
    const q = new WaitQueue('q');
    let result = '';
    sim.spawn('t', function* () {
      yield* sim.sleep(20);
      result = yield* sim.block(q, { timeoutNs: 5_000 });
      expect(q.waiters).toEqual([]);
    });
    const r = sim.run();
    expect(result).toBe('timeout');
    expect(kinds(r.events, ['block', 'timeout'])).toEqual(['20 block {"queue":"q"}', '5020 timeout {"queue":"q"}']);
  });

  it('a condvar wake re-locks the mutex before the waiter returns, at condWakeNs', () => {
    const sim = new Simulator({ trace: 'full', costs: { condWakeNs: 40, mutexFastPathNs: 0 } });
    const m = new Mutex('m');
    const c = new CondVar('c');
    let flag = false;
    let wokeAt = -1;
    sim.spawn('waiter', function* () {
      yield* sim.lock(m);
      while (!flag) yield* sim.condWait(c, m);
      wokeAt = sim.now;
      expect(m.owner?.name).toBe('waiter');
      sim.unlock(m);
    });
    sim.spawn('signaller', function* () {
      yield* sim.sleep(50);
      yield* sim.lock(m);
      flag = true;
      sim.condSignal(c);
      sim.unlock(m);
    });
    const r = sim.run();
    expect(wokeAt).toBe(90);
    expect(kinds(r.events, ['cond-wait', 'cond-wake'])).toEqual([
      '0 cond-wait {"cond":"c","mutex":"m"}',
      '50 cond-wake {"cond":"c","target":"waiter"}',
    ]);
  });

  it('join returns the exited thread\'s result to every joiner', () => {
    const sim = new Simulator();
    const worker = sim.spawn('worker', function* () {
      yield* sim.sleep(70);
      return 42;
    });
    const got: unknown[] = [];
    for (const name of ['j1', 'j2']) {
      sim.spawn(name, function* () {
        got.push(yield* sim.join(worker));
        got.push(sim.now);
      });
    }
    sim.run();
    expect(got).toEqual([42, 70, 42, 70]);
  });
});
