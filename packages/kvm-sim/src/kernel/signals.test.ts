import { describe, expect, it } from 'vitest';
import { KICK, SIGKILL } from './signals.js';
import { Mutex, Simulator, WaitQueue } from './sim.js';
import { spawnHolder } from './test-holder.js';

describe('signals and kicks', () => {
  it('KICK is no signal number: it can never name a pending-signal bit', () => {
    expect(typeof KICK).toBe('symbol');
    expect(SIGKILL).toBe(9);
  });

  it('a kick cuts an interruptible wait short but leaves no signal pending and runs no handler', () => {
    const sim = new Simulator({ costs: { signalWakeNs: 0 } });
    const q = new WaitQueue('wfi');
    const log: string[] = [];
    const target = sim.spawn('vcpu', function* () {
      sim.setSignalHandler(sim.self(), 12, () => log.push('handler'));
      const r = yield* sim.block(q, { interruptible: true });
      log.push(`block:${r}:pending=${sim.signalPending(sim.self())}`);
    });
    let kicked: boolean | undefined;
    sim.spawn('kicker', function* () {
      yield* sim.sleep(50);
      kicked = sim.kick(target);
    });
    sim.run();
    expect(kicked).toBe(true);
    expect(log).toEqual(['block:interrupted:pending=false']);
  });

  it('a kick does not break an interruptible mutex wait; a signal does, and the lock returns false', () => {
    for (const how of ['kick', 'signal'] as const) {
      const sim = new Simulator({ costs: { signalWakeNs: 0 } });
      const m = new Mutex('m');
      let got: boolean | undefined;
      let at = -1;
      spawnHolder(sim, m, 1_000);
      const waiter = sim.spawn('waiter', function* () {
        yield* sim.sleep(10);
        got = yield* sim.lock(m, 'interruptible');
        at = sim.now;
        if (got) sim.unlock(m);
      });
      sim.spawn('interrupter', function* () {
        yield* sim.sleep(100);
        if (how === 'kick') expect(sim.kick(waiter)).toBe(false);
        else sim.kill(waiter, 10);
      });
      expect(sim.run().outcome.kind).toBe('ok');
      if (how === 'kick') {
        expect(got).toBe(true);
        expect(at).toBeGreaterThanOrEqual(1_000);
      } else {
        expect(got).toBe(false);
        expect(at).toBe(100);
      }
    }
  });

  it('a killable mutex wait ends only for SIGKILL', () => {
    const results: (boolean | undefined)[] = [];
    for (const signal of [10, SIGKILL]) {
      const sim = new Simulator({ costs: { signalWakeNs: 0 } });
      const m = new Mutex('m');
      let got: boolean | undefined;
      spawnHolder(sim, m, 1_000);
      const waiter = sim.spawn('waiter', function* () {
        yield* sim.sleep(10);
        got = yield* sim.lock(m, 'killable');
        if (got) sim.unlock(m);
      });
      sim.spawn('killer', function* () {
        yield* sim.sleep(100);
        sim.kill(waiter, signal);
      });
      sim.run();
      results.push(got);
    }
    expect(results).toEqual([true, false]);
  });

  it('a thread blocked in user space runs its handler at once and keeps waiting', () => {
    const sim = new Simulator();
    const m = new Mutex('m');
    const log: string[] = [];
    spawnHolder(sim, m, 1_000);
    const waiter = sim.spawn('waiter', function* () {
      sim.setSignalHandler(sim.self(), 12, (_t, sig) => log.push(`handler ${sig}@${sim.now}`));
      yield* sim.sleep(10);
      yield* sim.lock(m);
      log.push(`locked@${sim.now}`);
      sim.unlock(m);
    });
    sim.spawn('killer', function* () {
      yield* sim.sleep(100);
      sim.kill(waiter, 12);
    });
    sim.run();
    expect(log[0]).toBe('handler 12@100');
    expect(log[1]?.startsWith('locked@')).toBe(true);
    expect(Number(log[1]?.slice('locked@'.length))).toBeGreaterThanOrEqual(1_000);
  });

  it('an interrupted timed wait ends with interrupted and its timeout never fires', () => {
    const sim = new Simulator({ costs: { signalWakeNs: 5 }, trace: 'full' });
    const q = new WaitQueue('q');
    let result = '';
    const t = sim.spawn('t', function* () {
      result = yield* sim.block(q, { interruptible: true, timeoutNs: 10_000 });
    });
    sim.spawn('kicker', function* () {
      yield* sim.sleep(200);
      sim.kick(t);
    });
    const r = sim.run();
    expect(result).toBe('interrupted');
    expect(r.now).toBe(205);
    expect(r.events.filter((e) => e.kind === 'timeout')).toEqual([]);
    expect(q.waiters).toEqual([]);
  });
});
