// A trylock walk's lock events are emitted together when its step ends (evLockRun), each stamped with the
// time its mutex was taken: the trace must read exactly as one event per acquisition at that moment, and
// the hash-only digest (TraceHasher.lockRun) must equal the reference hash of the built events.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Mutex } from './objects.js';
import { Simulator } from './sim.js';
import type { TraceMode } from './trace-sink.js';
import { spawnHolder } from './test-holder.js';

const line = (e: { t: number; thread: number; kind: string; data?: unknown }): string => `${e.t} ${e.thread} ${e.kind} ${JSON.stringify(e.data ?? {})}`;

describe('trylock walk events', () => {
  it('a fast-forwarded walk: one lock event per mutex at its own time, in one step', () => {
    const sim = new Simulator({ trace: 'full', costs: { mutexFastPathNs: 0 } });
    const ms = [0, 1, 2, 3].map((i) => new Mutex(`m${i}`));
    sim.spawn('w', function* () {
      expect(yield* sim.trylockWalk(ms, 10)).toBe(-1);
      for (let i = 3; i >= 0; i--) sim.unlock(ms[i] as Mutex);
    });
    const r = sim.run();
    expect(r.events.filter((e) => e.kind === 'lock').map(line)).toEqual([
      '10 0 lock {"mutex":"m0"}',
      '20 0 lock {"mutex":"m1"}',
      '30 0 lock {"mutex":"m2"}',
      '40 0 lock {"mutex":"m3"}',
    ]);
    expect(r.steps).toBe(5);
  });

  it('a walk that meets a held mutex: its locks, the trylock-fail, then the roll-back in reverse', () => {
    const sim = new Simulator({ trace: 'full', costs: { mutexFastPathNs: 0 } });
    const ms = [0, 1, 2, 3].map((i) => new Mutex(`m${i}`));
    spawnHolder(sim, ms[2] as Mutex, 1000);
    sim.spawn('w', function* () {
      yield* sim.sleep(100);
      expect(yield* sim.trylockWalk(ms, 10)).toBe(2);
    });
    const r = sim.run();
    expect(r.events.filter((e) => e.thread === 1 && e.kind !== 'exit').map(line)).toEqual([
      '110 1 lock {"mutex":"m0"}',
      '120 1 lock {"mutex":"m1"}',
      '130 1 trylock-fail {"mutex":"m2","owner":"holder"}',
      '130 1 unlock {"mutex":"m1","heldNs":10}',
      '130 1 unlock {"mutex":"m0","heldNs":20}',
    ]);
  });

  it('hash-only digests equal the reference hash of the built events (random walks, interleaved, past 2^31 ns)', () => {
    const run = (trace: TraceMode, c: { n: number; start: number; cost: number; others: readonly { i: number; at: number; hold: number }[]; seed: number }) => {
      const sim = new Simulator({ seed: c.seed, trace, costs: { mutexFastPathNs: 0, futexWakeNs: 9 } });
      const ms = Array.from({ length: c.n }, (_, i) => new Mutex(`vcpu${i}.mutex`));
      for (const w of [0, 1]) {
        sim.spawn(`walker${w}`, function* () {
          yield* sim.sleep(c.start + w * 7);
          for (let r = 0; r < 3; r++) {
            if ((yield* sim.trylockWalk(ms, c.cost)) < 0) {
              yield* sim.sleep(c.cost * 2);
              sim.unlockReverse(ms);
            }
            yield* sim.sleep(c.cost * 5);
          }
        });
      }
      c.others.forEach((o, k) => {
        sim.spawn(`other${k}`, function* () {
          yield* sim.sleep(c.start + o.at);
          yield* sim.lock(ms[o.i % c.n] as Mutex);
          yield* sim.sleep(o.hold);
          sim.unlock(ms[o.i % c.n] as Mutex);
        });
      });
      const r = sim.run();
      return { hash: r.traceHash, steps: r.steps, choices: r.choiceCount, now: r.now };
    };
    fc.assert(
      fc.property(
        fc.record({
          n: fc.integer({ min: 1, max: 20 }),
          start: fc.constantFrom(0, 2 ** 31 - 150, 2 ** 31 + 3),
          cost: fc.integer({ min: 1, max: 40 }),
          others: fc.array(fc.record({ i: fc.nat(25), at: fc.nat(600), hold: fc.nat(80) }), { maxLength: 4 }),
          seed: fc.nat(1000),
        }),
        (c) => {
          expect(run('hash', c)).toEqual(run('full', c));
        },
      ),
      { numRuns: 150 },
    );
  });
});
