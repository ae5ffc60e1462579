import { describe, expect, it } from 'vitest';
import { KernelOp, NO_OP, type OpCall } from './op-call.js';
import type { Op, Proc } from './objects.js';
import { CondVar, Mutex, SIGKILL, Simulator, WaitQueue } from './sim.js';
import { spawnHolder } from './test-holder.js';

// The kernel primitives used to be one-yield generators; these tests pin that the call objects behave the
// same to a thread body that yield*s them.

/** The generator a primitive used to be: one yield of the op, returning what the kernel resumed with. */
function* asGenerator<T>(call: OpCall<T>): Proc<T> {
  return yield* call;
}

describe('op call objects: the iterator protocol', () => {
  it('yield the op once, then return the resumed value', () => {
    const sim = new Simulator();
    const call = sim.sleep(250, 'nap');
    const it = call[Symbol.iterator]();
    expect(it).toBe(call);
    const first = it.next();
    expect(first.done).toBe(false);
    const op = first.value as Op;
    expect(op).toBe(call);
    expect(op.kind).toBe('sleep');
    if (op.kind === 'sleep') expect([op.ns, op.interruptible, op.label]).toEqual([250, false, 'nap']);
    const second = it.next(17);
    expect(second).toEqual(expect.objectContaining({ done: true, value: 17 }));
  });

  it('every op kind has the same class (one shape for the scheduler)', () => {
    const sim = new Simulator();
    const m = new Mutex('m');
    const calls = [
      sim.sleep(1),
      sim.sleepInterruptible(1),
      sim.schedPoint(),
      sim.lock(m),
      sim.trylock(m),
      sim.trylockWalk([m], 1),
      sim.condWait(new CondVar('c'), m),
      sim.block(new WaitQueue('q')),
    ];
    for (const c of calls) expect(c).toBeInstanceOf(KernelOp);
    expect(new Set(calls.map((c) => Object.keys(c).join(','))).size).toBe(1);
  });

  it('a call with nothing to wait for returns at once, shared or not', () => {
    const sim = new Simulator();
    expect(NO_OP[Symbol.iterator]().next()).toEqual(expect.objectContaining({ done: true, value: undefined }));
    expect(sim.trylockWalk([], 5)[Symbol.iterator]().next()).toEqual(expect.objectContaining({ done: true, value: -1 }));
  });
});

describe('op call objects: what yield* returns in a run', () => {
  /** One run exercising every primitive; `wrap` decides whether each is yield*ed bare or via a generator. */
  function scenario(wrap: <T>(c: OpCall<T>) => OpCall<T>): { log: string[]; hash: string; steps: number } {
    const sim = new Simulator({ seed: 7, trace: 'hash', costs: { signalWakeNs: 0 } });
    const m = new Mutex('m');
    const m2 = new Mutex('m2');
    const cond = new CondVar('c');
    const q = new WaitQueue('q');
    const sq = new WaitQueue('sig');
    const log: string[] = [];
    const sleeper = sim.spawn('sleeper', function* () {
      sim.setSignalHandler(sim.self(), 10, () => log.push('handler'));
      // Twice in a row: the second call is a fresh op.
      log.push(`sleep=${yield* wrap(sim.sleep(10))}`);
      log.push(`sleep=${yield* wrap(sim.sleep(10))}`);
      log.push(`interrupted-left=${yield* wrap(sim.sleepInterruptible(1_000))}`);
      yield* wrap(sim.waitSignal(sq));
      log.push(`signal-wait@${sim.now}`);
      return 'sleeper-result';
    });
    sim.spawn('locker', function* () {
      log.push(`lock=${yield* wrap(sim.lock(m))}`);
      log.push(`lock2=${yield* wrap(sim.lock(m2))}`);
      log.push(`walk-none=${yield* wrap(sim.trylockWalk([], 3))}`);
      yield* wrap(sim.schedPoint(5));
      yield* wrap(sim.condWait(cond, m));
      log.push(`cond-woken@${sim.now} owner=${m.owner?.name}`);
      sim.unlock(m);
      sim.unlock(m2);
      log.push(`timeout=${yield* wrap(sim.block(q, { timeoutNs: 40 }))}`);
      log.push(`join=${String(yield* wrap(sim.join(sleeper)))}`);
    });
    sim.spawn('other', function* () {
      yield* wrap(sim.sleep(1));
      log.push(`trylock-held=${yield* wrap(sim.trylock(m))}`);
      const walk = yield* wrap(sim.trylockWalk([m2], 2));
      log.push(`walk=${walk}`);
      if (walk === -1) sim.unlock(m2);
      yield* wrap(sim.sleep(100));
      sim.kill(sleeper, 10);
      yield* wrap(sim.sleep(30));
      sim.condSignal(cond);
      yield* wrap(sim.sleep(30));
      sim.kill(sleeper, 10);
    });
    const r = sim.run();
    expect(r.outcome.kind).toBe('ok');
    return { log, hash: r.traceHash, steps: r.steps };
  }

  it('returns what the generators returned: results, order, trace and steps identical', () => {
    const bare = scenario((c) => c);
    const generated = scenario((c) => asGenerator(c));
    expect(bare.log).toEqual([
      'sleep=0',
      'sleep=0',
      'lock=true',
      'trylock-held=false',
      'walk=-1',
      'lock2=true',
      'walk-none=-1',
      'handler',
      'interrupted-left=877',
      'handler',
      'signal-wait@203',
      'cond-woken@4673 owner=locker',
      'timeout=timeout',
      'join=sleeper-result',
    ]);
    expect(generated).toEqual(bare);
  });

  it('a thread killed mid-op resumes with the interrupted result; one aborted never resumes', () => {
    const sim = new Simulator({ costs: { signalWakeNs: 0 } });
    const m = new Mutex('m');
    const log: string[] = [];
    spawnHolder(sim, m, 1_000);
    const victim = sim.spawn('victim', function* () {
      yield* sim.sleep(10);
      log.push(`killable=${yield* sim.lock(m, 'killable')}`);
      yield* sim.sleep(10_000);
      log.push('after-sleep');
    });
    sim.spawn('killer', function* () {
      yield* sim.sleep(200);
      sim.kill(victim, SIGKILL);
      yield* sim.sleep(100);
      sim.abort('stop here');
    });
    const r = sim.run();
    expect(r.outcome).toEqual(expect.objectContaining({ kind: 'abort', message: 'stop here' }));
    expect(log).toEqual(['killable=false']);
  });
});
