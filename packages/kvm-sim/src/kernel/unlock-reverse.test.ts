// unlockReverse (kvm_unlock_all_vcpus's batched release) must be indistinguishable from one unlock per
// mutex in reverse order: the same events in the same order (so the same digest, including the
// one-loop hashing of its fast path), the same waiters woken, the same statistics, the same later run.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HeldCounter, Mutex } from './objects.js';
import { Simulator } from './sim.js';
import type { TraceMode } from './trace-sink.js';

interface Case {
  readonly n: number;
  readonly fifo: boolean;
  /** Virtual time before the walk: past 2^31 ns the event time takes its 64-bit form in the hash. */
  readonly startNs: number;
  /** Per contender: which mutex it locks and when (some land while the walker holds everything). */
  readonly contenders: readonly { readonly i: number; readonly at: number; readonly hold: number }[];
  readonly rounds: number;
  /** Holds of 2^31 ns or more: the held time takes its 64-bit form in the hash. */
  readonly longHold: boolean;
  readonly seed: number;
}

function runCase(c: Case, batched: boolean, trace: TraceMode) {
  const sim = new Simulator({ seed: c.seed, trace, costs: { futexWakeNs: 11, mutexFastPathNs: 0 } });
  const counter = new HeldCounter();
  const ms = Array.from({ length: c.n }, (_, i) => new Mutex(`vcpu${i}.mutex`, c.fifo ? 'fifo' : 'barging', counter));
  const log: string[] = [];
  sim.spawn('walker', function* () {
    yield* sim.sleep(c.startNs);
    for (let r = 0; r < c.rounds; r++) {
      const failed = yield* sim.trylockWalk(ms, 3 + r);
      log.push(`${sim.now} walk ${failed} held ${counter.held}`);
      if (failed < 0) {
        yield* sim.sleep((c.longHold ? 2 ** 31 : 40) + 7 * r);
        if (batched) sim.unlockReverse(ms);
        else for (let i = ms.length - 1; i >= 0; i--) sim.unlock(ms[i] as Mutex);
        log.push(`${sim.now} unlocked held ${counter.held}`);
      }
      yield* sim.sleep(5);
    }
  });
  c.contenders.forEach((k, ci) => {
    sim.spawn(`contender${ci}`, function* () {
      yield* sim.sleep(c.startNs + k.at);
      const m = ms[k.i % c.n] as Mutex;
      yield* sim.lock(m);
      log.push(`${sim.now} contender${ci} got ${m.name}`);
      yield* sim.sleep(k.hold);
      sim.unlock(m);
    });
  });
  const r = sim.run();
  return {
    outcome: r.outcome.kind,
    now: r.now,
    steps: r.steps,
    choices: r.choiceCount,
    hash: r.traceHash,
    events: r.events.map((e) => `${e.seq} ${e.t} ${e.thread} ${e.kind} ${JSON.stringify(e.data ?? {})}`),
    log,
    stats: ms.map((m) => [m.acquisitions, m.contentions, m.maxHoldNs, m.owner?.name ?? null]),
    held: counter.held,
  };
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  n: fc.integer({ min: 1, max: 24 }),
  fifo: fc.boolean(),
  startNs: fc.constantFrom(0, 1_000, 2 ** 31 - 200, 2 ** 31 + 12_345),
  contenders: fc.array(fc.record({ i: fc.nat(30), at: fc.nat(400), hold: fc.nat(60) }), { maxLength: 5 }),
  rounds: fc.integer({ min: 1, max: 4 }),
  longHold: fc.boolean(),
  seed: fc.nat(10_000),
});

describe('unlockReverse', () => {
  it('one batched release is the same run as one unlock per mutex in reverse order (hash and full traces)', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        for (const mode of ['hash', 'full'] as const) {
          expect(runCase(c, true, mode)).toEqual(runCase(c, false, mode));
        }
        // The hash-only fast path and the event-building path agree on the digest.
        expect(runCase(c, true, 'hash').hash).toBe(runCase(c, false, 'full').hash);
      }),
      { numRuns: 150 },
    );
  });

  it('a release with a waiter wakes exactly it, after the unlock events of the mutexes above it', () => {
    const sim = new Simulator({ trace: 'full', costs: { futexWakeNs: 11, mutexFastPathNs: 0 } });
    const ms = [0, 1, 2].map((i) => new Mutex(`m${i}`, 'fifo'));
    sim.spawn('walker', function* () {
      expect(yield* sim.trylockWalk(ms, 10)).toBe(-1);
      yield* sim.sleep(100);
      sim.unlockReverse(ms);
    });
    sim.spawn('waiter', function* () {
      yield* sim.sleep(50);
      yield* sim.lock(ms[1] as Mutex);
      sim.unlock(ms[1] as Mutex);
    });
    const r = sim.run();
    const at130 = r.events.filter((e) => e.t === 130 && e.thread === 0 && e.kind !== 'exit').map((e) => `${e.kind} ${JSON.stringify(e.data)}`);
    expect(at130).toEqual([
      'unlock {"mutex":"m2","heldNs":100}',
      'unlock {"mutex":"m1","heldNs":110}',
      'handoff {"mutex":"m1","to":"waiter"}',
      'unlock {"mutex":"m0","heldNs":120}',
    ]);
  });

  it('a mutex the caller does not hold is refused as unlock refuses it, after releasing those above it', () => {
    const sim = new Simulator({ costs: { mutexFastPathNs: 0 } });
    const ms = [0, 1, 2].map((i) => new Mutex(`m${i}`));
    sim.spawn('t', function* () {
      yield* sim.lock(ms[0] as Mutex);
      yield* sim.lock(ms[2] as Mutex);
      sim.unlockReverse(ms);
    });
    expect(() => sim.run()).toThrow('t unlocks m1, held by nobody');
    expect(ms.map((m) => m.owner?.name ?? null)).toEqual(['t', null, null]);
  });
});
