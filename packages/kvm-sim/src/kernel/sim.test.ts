import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReplayChoice } from './choice.js';
import { CondVar, Mutex, Simulator, WaitQueue } from './sim.js';
import { spawnHolder } from './test-holder.js';

describe('Simulator: time and ordering', () => {
  it('advances virtual time by exact sleep durations and ends ok', () => {
    const sim = new Simulator({ trace: 'full' });
    const log: string[] = [];
    sim.spawn('a', function* () {
      yield* sim.sleep(100);
      log.push(`a@${sim.now}`);
      yield* sim.sleep(50);
      log.push(`a@${sim.now}`);
    });
    sim.spawn('b', function* () {
      yield* sim.sleep(120);
      log.push(`b@${sim.now}`);
    });
    const r = sim.run();
    expect(r.outcome.kind).toBe('ok');
    expect(log).toEqual(['a@100', 'b@120', 'a@150']);
    expect(r.now).toBe(150);
  });

  it('records no choice when only one thread is runnable in the window', () => {
    const sim = new Simulator({ windowNs: 10 });
    sim.spawn('a', function* () {
      yield* sim.sleep(100);
    });
    sim.spawn('b', function* () {
      yield* sim.sleep(200);
    }, { delayNs: 50 });
    expect(sim.run().choices).toEqual([]);
  });
});

describe('Simulator: mutexes', () => {
  it('FIFO hand-off gives the mutex to waiters in arrival order', () => {
    const sim = new Simulator({ seed: 3 });
    const m = new Mutex('m', 'fifo');
    const order: string[] = [];
    spawnHolder(sim, m, 1000);
    for (const [name, at] of [['w1', 100], ['w2', 200], ['w3', 300]] as const) {
      sim.spawn(name, function* () {
        yield* sim.sleep(at);
        yield* sim.lock(m);
        order.push(name);
        yield* sim.sleep(10);
        sim.unlock(m);
      });
    }
    expect(sim.run().outcome.kind).toBe('ok');
    expect(order).toEqual(['w1', 'w2', 'w3']);
    expect(m.contentions).toBe(3);
  });

  it('barging lets the releasing thread re-take the mutex before the woken waiter runs', () => {
    const sim = new Simulator({ seed: 1 });
    const m = new Mutex('bql', 'barging');
    const order: string[] = [];
    sim.spawn('releaser', function* () {
      yield* sim.lock(m);
      yield* sim.sleep(100);
      sim.unlock(m);
      yield* sim.lock(m); // the unlock/relock window of pause_all_vcpus
      order.push('releaser-again');
      yield* sim.sleep(100);
      sim.unlock(m);
    });
    sim.spawn('waiter', function* () {
      yield* sim.sleep(10);
      yield* sim.lock(m);
      order.push('waiter');
      sim.unlock(m);
    });
    expect(sim.run().outcome.kind).toBe('ok');
    expect(order).toEqual(['releaser-again', 'waiter']);
  });

  it('trylock fails while held and succeeds once released', () => {
    const sim = new Simulator();
    const m = new Mutex('vcpu0.mutex');
    const results: boolean[] = [];
    spawnHolder(sim, m, 500);
    sim.spawn('prober', function* () {
      yield* sim.sleep(100);
      results.push(yield* sim.trylock(m));
      yield* sim.sleep(1000);
      results.push(yield* sim.trylock(m));
      sim.unlock(m);
    });
    sim.run();
    expect(results).toEqual([false, true]);
  });

  it('unlocking a mutex one does not hold is a model error thrown out of run()', () => {
    const sim = new Simulator();
    const m = new Mutex('m');
    sim.spawn('bad', function* () {
      yield* sim.sleep(1);
      sim.unlock(m);
    });
    expect(() => sim.run()).toThrow(/bad unlocks m, held by nobody/);
  });
});

describe('Simulator: condition variables, signals, wait queues', () => {
  it('cond wait releases the mutex and re-acquires it before returning', () => {
    const sim = new Simulator();
    const m = new Mutex('bql');
    const c = new CondVar('pause_cond');
    let flag = false;
    let ownerSeenAfterWait: string | undefined;
    sim.spawn('waiter', function* () {
      yield* sim.lock(m);
      while (!flag) yield* sim.condWait(c, m);
      ownerSeenAfterWait = m.owner?.name;
      sim.unlock(m);
    });
    sim.spawn('setter', function* () {
      yield* sim.sleep(100);
      yield* sim.lock(m); // possible only because the waiter released it
      flag = true;
      sim.condBroadcast(c);
      sim.unlock(m);
    });
    expect(sim.run().outcome.kind).toBe('ok');
    expect(ownerSeenAfterWait).toBe('waiter');
  });

  it('cond broadcast wakes every waiter once, in arrival order, one waiter or several', () => {
    for (const n of [1, 3]) {
      const sim = new Simulator();
      const m = new Mutex('bql');
      const c = new CondVar('halt_cond');
      const woken: string[] = [];
      let go = false;
      for (let i = 0; i < n; i++) {
        sim.spawn(`w${i}`, function* () {
          yield* sim.sleep(i);
          yield* sim.lock(m);
          while (!go) yield* sim.condWait(c, m);
          woken.push(sim.self().name);
          sim.unlock(m);
        });
      }
      sim.spawn('waker', function* () {
        yield* sim.sleep(100);
        yield* sim.lock(m);
        expect(c.waiters.length).toBe(n);
        go = true;
        sim.condBroadcast(c);
        expect(c.waiters.length).toBe(0);
        sim.unlock(m);
      });
      expect(sim.run().outcome.kind).toBe('ok');
      expect(woken).toEqual(Array.from({ length: n }, (_, i) => `w${i}`));
    }
  });

  it('a signal cuts an interruptible sleep short and reports the time left', () => {
    const sim = new Simulator({ costs: { signalWakeNs: 0 } });
    let left = -1;
    const target = sim.spawn('vcpu', function* () {
      left = yield* sim.sleepInterruptible(10_000);
    });
    sim.spawn('kicker', function* () {
      yield* sim.sleep(4_000);
      sim.kill(target, 12);
    });
    sim.run();
    expect(left).toBe(6_000);
  });

  it('defers a signal handler while in the kernel and runs it on leaveKernel', () => {
    const sim = new Simulator({ costs: { signalWakeNs: 0 } });
    const q = new WaitQueue('wfi');
    const log: string[] = [];
    const target = sim.spawn('vcpu', function* () {
      const self = sim.self();
      sim.setSignalHandler(self, 12, () => log.push('handler'));
      sim.enterKernel();
      const r = yield* sim.block(q, { interruptible: true });
      log.push(`block:${r}`);
      sim.leaveKernel();
      log.push('user');
    });
    sim.spawn('kicker', function* () {
      yield* sim.sleep(50);
      sim.kill(target, 12);
    });
    sim.run();
    expect(log).toEqual(['block:interrupted', 'handler', 'user']);
  });

  it('a block whose condition already holds does not sleep (no lost wake-up)', () => {
    const sim = new Simulator();
    const q = new WaitQueue('q');
    let ready = true;
    let result = '';
    sim.spawn('t', function* () {
      result = yield* sim.block(q, { until: () => ready });
    });
    ready = true;
    sim.run();
    expect(result).toBe('woken');
  });

  it('a block with a timeout times out', () => {
    const sim = new Simulator();
    const q = new WaitQueue('q');
    let result = '';
    sim.spawn('t', function* () {
      result = yield* sim.block(q, { timeoutNs: 5_000 });
    });
    const r = sim.run();
    expect(result).toBe('timeout');
    expect(r.now).toBe(5_000);
  });
});

describe('Simulator: outcomes', () => {
  it('detects an ABBA deadlock and names who waits for what, held by whom', () => {
    const sim = new Simulator();
    const a = new Mutex('A');
    const b = new Mutex('B');
    sim.spawn('t1', function* () {
      yield* sim.lock(a);
      yield* sim.sleep(100);
      yield* sim.lock(b);
    });
    sim.spawn('t2', function* () {
      yield* sim.lock(b);
      yield* sim.sleep(100);
      yield* sim.lock(a);
    });
    const r = sim.run();
    expect(r.outcome.kind).toBe('deadlock');
    if (r.outcome.kind !== 'deadlock') return;
    expect(r.outcome.waitFor).toEqual([
      { thread: 't1', daemon: false, kind: 'mutex', on: 'B', heldBy: 't2' },
      { thread: 't2', daemon: false, kind: 'mutex', on: 'A', heldBy: 't1' },
    ]);
    expect(r.outcome.message).toContain('t1 waits for mutex B held by t2');
  });

  it('the run ends when the last non-daemon thread exits, whatever daemons still do', () => {
    const sim = new Simulator();
    sim.spawn('guest', function* () {
      for (;;) yield* sim.sleep(1000);
    }, { daemon: true });
    sim.spawn('main', function* () {
      yield* sim.sleep(10_500);
    });
    const r = sim.run();
    expect(r.outcome.kind).toBe('ok');
    expect(r.now).toBe(10_500);
  });

  it('a daemon left blocked is not a deadlock', () => {
    const sim = new Simulator();
    sim.spawn('idler', function* () {
      yield* sim.block(new WaitQueue('never'));
    }, { daemon: true });
    sim.spawn('main', function* () {
      yield* sim.sleep(10);
    });
    expect(sim.run().outcome.kind).toBe('ok');
  });

  it('abort() ends the run with its message', () => {
    const sim = new Simulator();
    sim.spawn('qemu', function* () {
      yield* sim.sleep(10);
      sim.abort('Unexpected error: Device or resource busy');
    });
    const r = sim.run();
    expect(r.outcome).toEqual({ kind: 'abort', message: 'Unexpected error: Device or resource busy', thread: 'qemu', time: 10 });
  });

  it('a livelock ends with budget-exceeded', () => {
    const sim = new Simulator({ stepBudget: 1000 });
    sim.spawn('spin', function* () {
      for (;;) yield* sim.sleep(1);
    });
    expect(sim.run().outcome.kind).toBe('budget-exceeded');
  });
});

/** A racy program: two threads increment a shared counter non-atomically across a scheduling point. */
function racy(seed: number, choices?: readonly number[]): { hash: string; choices: readonly number[]; value: number } {
  const sim = new Simulator({
    trace: 'hash',
    windowNs: 100,
    ...(choices === undefined ? { seed } : { choice: new ReplayChoice(choices) }),
  });
  let counter = 0;
  for (const name of ['x', 'y', 'z']) {
    sim.spawn(name, function* () {
      for (let i = 0; i < 5; i++) {
        const v = counter;
        yield* sim.sleep(10);
        counter = v + 1;
        sim.emit('write', { value: counter });
      }
    });
  }
  const r = sim.run();
  return { hash: r.traceHash, choices: r.choices, value: counter };
}

describe('Simulator: determinism and replay', () => {
  it('the same seed gives the same trace hash; different seeds give different interleavings', () => {
    expect(racy(42).hash).toBe(racy(42).hash);
    const hashes = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((s) => racy(s).hash));
    expect(hashes.size).toBe(8); // every seed its own interleaving
  });

  it('replaying the recorded choices reproduces the trace hash exactly (property over seeds)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7fffffff }), (seed) => {
        const first = racy(seed);
        const again = racy(0, first.choices);
        expect(again.hash).toBe(first.hash);
        expect(again.value).toBe(first.value);
      }),
      { numRuns: 50 },
    );
  });
});
