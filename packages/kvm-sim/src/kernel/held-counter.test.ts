// A HeldCounter must equal, at every point a thread can observe, the number of its mutexes that have an
// owner: every way a mutex changes hands (lock, trylock, trylock walks and their roll-back, fifo hand-off,
// barging wake-up, condvar wait and re-lock, batched unlocks) goes through the kernel's acquire/release.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HeldCounter, Mutex } from './objects.js';
import { CondVar, Simulator } from './sim.js';

const ownedCount = (ms: readonly Mutex[]): number => ms.filter((m) => m.owner !== null).length;

describe('HeldCounter', () => {
  it('counts lock, trylock, a fifo hand-off and unlock; mutexes outside the set do not count', () => {
    const sim = new Simulator({ costs: { futexWakeNs: 30, mutexFastPathNs: 0 } });
    const c = new HeldCounter();
    const a = new Mutex('a', 'fifo', c);
    const b = new Mutex('b', 'barging', c);
    const other = new Mutex('other');
    const seen: number[] = [];
    sim.spawn('holder', function* () {
      yield* sim.lock(a);
      seen.push(c.held);
      yield* sim.lock(other);
      seen.push(c.held);
      expect(yield* sim.trylock(b)).toBe(true);
      seen.push(c.held);
      yield* sim.sleep(100);
      sim.unlock(a); // handed to the waiter: still held
      seen.push(c.held);
      sim.unlock(b);
      seen.push(c.held);
      sim.unlock(other);
    });
    sim.spawn('waiter', function* () {
      yield* sim.sleep(10);
      yield* sim.lock(a);
      seen.push(c.held);
      sim.unlock(a);
      seen.push(c.held);
    });
    sim.run();
    expect(seen).toEqual([1, 1, 2, 2, 1, 1, 0]);
  });

  it('equals the number of owned mutexes of its set wherever a thread looks (random programs)', () => {
    const action = fc.oneof(
      fc.record({ op: fc.constantFrom('lock' as const, 'trylock' as const), i: fc.nat(3), hold: fc.nat(50) }),
      fc.record({ op: fc.constant('walk' as const), hold: fc.nat(50) }),
      fc.record({ op: fc.constant('broadcast' as const), i: fc.nat(3) }),
    );
    fc.assert(
      fc.property(fc.array(fc.array(action, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 4 }), fc.boolean(), fc.nat(1000), (programs, fifo, seed) => {
        const sim = new Simulator({ seed, costs: { futexWakeNs: 7, mutexFastPathNs: 0 } });
        const c = new HeldCounter();
        const counted = [0, 1, 2].map((i) => new Mutex(`m${i}`, fifo ? 'fifo' : 'barging', c));
        const all = [...counted, new Mutex('uncounted')];
        const cond = new CondVar('cv');
        let checks = 0;
        const check = (): void => {
          checks++;
          expect(c.held).toBe(ownedCount(counted));
        };
        programs.forEach((program, ti) => {
          sim.spawn(`t${ti}`, function* () {
            for (const a of program) {
              if (a.op === 'walk') {
                const failed = yield* sim.trylockWalk(counted, 3);
                check();
                if (failed < 0) {
                  yield* sim.sleep(a.hold);
                  for (let j = counted.length - 1; j >= 0; j--) sim.unlock(counted[j] as Mutex);
                  check();
                }
              } else if (a.op === 'broadcast') {
                const m = all[a.i] as Mutex;
                yield* sim.lock(m);
                check();
                // A broadcast with the mutex held (nobody waits on cv here: it must change no count).
                sim.condBroadcast(cond);
                sim.unlock(m);
                check();
              } else {
                const m = all[a.i] as Mutex;
                const got = a.op === 'lock' ? yield* sim.lock(m) : yield* sim.trylock(m);
                check();
                if (got) {
                  yield* sim.sleep(a.hold);
                  check();
                  sim.unlock(m);
                  check();
                }
              }
            }
          });
        });
        sim.run();
        expect(checks).toBeGreaterThan(0);
        expect(c.held).toBe(ownedCount(counted));
      }),
      { numRuns: 200 },
    );
  });

  it('counts a condvar wait (release) and its re-lock', () => {
    const sim = new Simulator({ costs: { futexWakeNs: 30, mutexFastPathNs: 0, condWakeNs: 20 } });
    const c = new HeldCounter();
    const m = new Mutex('m', 'barging', c);
    const cv = new CondVar('cv');
    let flag = false;
    const seen: string[] = [];
    sim.spawn('waiter', function* () {
      yield* sim.lock(m);
      while (!flag) yield* sim.condWait(cv, m);
      seen.push(`waiter after wait ${c.held}`);
      sim.unlock(m);
      seen.push(`waiter unlocked ${c.held}`);
    });
    sim.spawn('signaller', function* () {
      yield* sim.sleep(10);
      seen.push(`signaller before lock ${c.held}`);
      yield* sim.lock(m);
      flag = true;
      sim.condSignal(cv);
      sim.unlock(m);
      seen.push(`signaller unlocked ${c.held}`);
    });
    sim.run();
    expect(seen).toEqual(['signaller before lock 0', 'signaller unlocked 0', 'waiter after wait 1', 'waiter unlocked 0']);
  });
});
