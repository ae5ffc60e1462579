import { describe, expect, it } from 'vitest';
import { Mutex, SimThread, WaitQueue } from './objects.js';
import { makeRunnable, removeWaiter, unblock } from './runnable.js';
import { Simulator } from './sim.js';

function* idle(): Generator<never, void, unknown> {}

describe('the one make-runnable path', () => {
  it('unblock clears the wait and sets the next op and resume value, whatever the thread was blocked on', () => {
    const t = new SimThread(0, 't', false, idle());
    const m = new Mutex('m');
    t.state = 'blocked';
    t.blockedOn = { kind: 'mutex', mutex: m };
    t.pending = { kind: 'lock', mutex: m, mode: 'plain', costNs: undefined };
    unblock(t, null, 'woken');
    expect(t.state).toBe('runnable');
    expect(t.blockedOn).toBeNull();
    expect(t.pending).toBeNull();
    expect(t.resumeValue).toBe('woken');
  });

  it('makeRunnable queues the step at now + delay and supersedes a queued timeout step', () => {
    const sim = new Simulator();
    const q = new WaitQueue('q');
    let result = '';
    let at = -1;
    sim.spawn('waiter', function* () {
      result = yield* sim.block(q, { timeoutNs: 10_000 });
      at = sim.now;
    });
    sim.spawn('waker', function* () {
      yield* sim.sleep(3_000);
      sim.wake(q, true, 250);
    });
    const r = sim.run();
    expect(result).toBe('woken');
    expect(at).toBe(3_250);
    // The timeout step queued at 10,000 ns was superseded: the run ends when the waiter does.
    expect(r.now).toBe(3_250);
  });

  it('a ranged delay is drawn after the thread is unblocked (a choice source sees it runnable)', () => {
    const sim = new Simulator({
      choice: {
        choose: (point) => {
          if (point.kind === 'duration') seen.push(waiter.state);
          return 0;
        },
      },
    });
    const seen: string[] = [];
    const q = new WaitQueue('q');
    const waiter = sim.spawn('waiter', function* () {
      yield* sim.block(q);
    });
    sim.spawn('waker', function* () {
      yield* sim.sleep(100);
      sim.wake(q, true, [10, 20]);
    });
    sim.run();
    expect(seen).toEqual(['runnable']);
  });

  it('removeWaiter takes the thread out from anywhere in the list and ignores one not in it', () => {
    const [a, b, c] = [0, 1, 2].map((i) => new SimThread(i, `t${i}`, false, idle())) as [SimThread, SimThread, SimThread];
    const list = [a, b, c];
    removeWaiter(list, b);
    expect(list).toEqual([a, c]);
    removeWaiter(list, b);
    expect(list).toEqual([a, c]);
  });

  it('makeRunnable on a fresh thread of a kernel runs its body from the given delay', () => {
    const sim = new Simulator();
    let at = -1;
    const t = sim.spawn('t', function* () {
      yield* sim.block(new WaitQueue('never'));
      at = sim.now;
    });
    sim.spawn('waker', function* () {
      yield* sim.sleep(40);
      makeRunnable(sim, t, null, 'woken', 7);
    });
    sim.run();
    expect(at).toBe(47);
  });
});
