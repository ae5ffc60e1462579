// The sleep-set reduction skips only schedules equivalent to explored ones: on small trees the reduced
// and the plain exhaustive searches reach the same final states and outcomes, and on rfc-v6 it still finds
// the stranded pauser and the abort, whose schedules replay with the same trace hash.
import { describe, expect, it } from 'vitest';
import { type Reduction, explore } from './explore.js';
import { replay } from './replay.js';
import { type Independence, type StepFootprint, independent, relationOf } from './step-footprint.js';
import { blockersRunner, prefixedRunner } from './test-blockers.js';
import { toyRunner } from './test-toy.js';
import type { Runner } from './types.js';
import { scenarioRunner } from '../scenario/runner.js';

/** Explores exhaustively and collects every run's (outcome, message): the message carries the final state. */
function finals(runner: Runner, reduction: Reduction, exhaustiveBound?: number) {
  const seen = new Set<string>();
  const summary = explore({
    runner: (c) => {
      const r = runner(c);
      seen.add(`${r.outcome}: ${r.message}`);
      return r;
    },
    mode: 'exhaustive',
    budget: 100_000,
    reduction,
    shrinkRuns: 0,
    ...(exhaustiveBound === undefined ? {} : { exhaustiveBound }),
  });
  expect(summary.exhausted).toBe(true);
  return { summary, finals: [...seen].sort() };
}

describe('sleep sets: same final states as the plain search', () => {
  it('waiters blocking on their own mutexes at one instant commute: fewer schedules, same final states', () => {
    for (const shared of [false, true]) {
      const plain = finals(blockersRunner(3, shared), 'none');
      const reduced = finals(blockersRunner(3, shared), 'sleep-sets');
      expect(reduced.finals).toEqual(plain.finals);
      expect(reduced.summary.reduction).toBe('sleep-sets');
      // 3! orders of the wake-ups at 300 ns times 3! orders of the three lock attempts at 340 ns. With the
      // attempts independent, sleep sets run 3 of those 6 orders: a sleeping thread is cut only at a choice
      // point, and the last step of an order is forced (no choice), so A;C;B and B;C;A still run. Sharing
      // M0, w0 and w1 also meet a lock-wake choice when the holder releases it.
      expect([plain.summary.schedules, reduced.summary.schedules]).toEqual(shared ? [72, 36] : [36, 18]);
      expect(reduced.summary.pruned?.sleepBlocked).toBeGreaterThan(0);
    }
  });

  it('toy programs: same outcomes and failure classes with and without sleep sets', () => {
    for (const [program, base] of [['lost-update', 'none'], ['race-free', 'none'], ['lock-order', 'state-hash']] as const) {
      const plain = finals(toyRunner(program), base);
      const reduced = finals(toyRunner(program), base === 'none' ? 'sleep-sets' : 'sleep-sets+state-hash');
      expect(Object.keys(reduced.summary.outcomes).sort()).toEqual(Object.keys(plain.summary.outcomes).sort());
      expect(reduced.summary.failures.map((f) => f.messageClass).sort()).toEqual(plain.summary.failures.map((f) => f.messageClass).sort());
    }
  });

  it('parallel-cpu-on, 2 vCPUs, first 8 choice points: same outcomes and messages under three designs', () => {
    for (const strategy of ['realize-once', 'rfc-v6', 'pause-always']) {
      const runner = scenarioRunner({ scenario: 'parallel-cpu-on', strategy, params: { vcpus: 2 } });
      const plain = finals(runner, 'none', 8);
      const reduced = finals(runner, 'sleep-sets', 8);
      expect(reduced.finals).toEqual(plain.finals);
      expect(reduced.summary.outcomes).toEqual(plain.summary.outcomes);
    }
  }, 120_000);
});

// Schedules PCT found (vgicsim explore parallel-cpu-on --strategy rfc-v6 --vcpus 4, seeds 75 and 15): the
// exhaustive search branches over their last six choice points.
const ABORT = [1, 1, 1, 1, 3, 3, 3, 3, 3, 3, 0, 2, 2, 0, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1];
const STRANDED = [2, 2, 2, 2, 3, 2, 3, 2, 2, 2, 2, 0, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1];

describe('sleep sets still find the rfc-v6 failures', () => {
  const spec = { scenario: 'parallel-cpu-on', strategy: 'rfc-v6', params: { vcpus: 4 } };
  for (const [outcome, choices] of [['abort', ABORT], ['stranded-pauser', STRANDED]] as const) {
    it(`${outcome}: found with and without the reduction, and its schedule replays`, () => {
      const runner = prefixedRunner(scenarioRunner(spec), choices.slice(0, -6));
      for (const reduction of ['none', 'sleep-sets', 'sleep-sets+state-hash'] as const) {
        const s = explore({ runner, mode: 'exhaustive', budget: 10_000, exhaustiveBound: 6, reduction, shrinkRuns: 0 });
        expect(s.exhausted).toBe(true);
        const f = s.failures.find((x) => x.outcome === outcome);
        expect(f, `${reduction} finds ${outcome}`).toBeDefined();
        if (f === undefined) continue;
        // The recorded list is the whole run's (prefix included): it replays on the plain scenario runner.
        const r = replay(scenarioRunner(spec), f.choices);
        expect(r.faithful).toBe(true);
        expect(r.run.outcome).toBe(outcome);
        expect(r.run.traceHash).toBe(f.traceHash);
      }
    }, 120_000);
  }
});

describe('the independence relation', () => {
  const base: StepFootprint = { thread: 1, instant: 100, queuedAt: 100, opaque: false, objects: [] };
  const m1 = {};
  const m2 = {};
  it('only non-opaque steps of different threads, at the same instant and queued time, on different objects', () => {
    const a = { ...base, objects: [m1] };
    expect(independent(a, { ...base, thread: 2, objects: [m2] })).toBe(true);
    expect(independent(a, { ...base, thread: 2, objects: [m1] })).toBe(false);
    expect(independent(a, { ...base, thread: 1, objects: [m2] })).toBe(false);
    expect(independent(a, { ...base, thread: 2, objects: [m2], instant: 101 })).toBe(false);
    expect(independent(a, { ...base, thread: 2, objects: [m2], queuedAt: 90 })).toBe(false);
    expect(independent(a, { ...base, thread: 2, objects: [m2], opaque: true })).toBe(false);
  });
});

describe('the ideal relations are instruments, not reductions', () => {
  const base: StepFootprint = { thread: 1, instant: 100, queuedAt: 100, opaque: true, objects: [] };
  const m1 = {};
  const m2 = {};
  it('ideal-timed ignores opacity but keeps the same instant; ideal-untimed drops time too', () => {
    const a = { ...base, objects: [m1] };
    const timed = relationOf('ideal-timed');
    const untimed = relationOf('ideal-untimed');
    expect(relationOf('sound')).toBe(independent);
    expect(timed(a, { ...base, thread: 2, objects: [m2] })).toBe(true);
    expect(timed(a, { ...base, thread: 2, objects: [m2], instant: 101 })).toBe(false);
    expect(timed(a, { ...base, thread: 2, objects: [m1] })).toBe(false);
    expect(untimed(a, { ...base, thread: 2, objects: [m2], instant: 101, queuedAt: 90 })).toBe(true);
    expect(untimed(a, { ...base, thread: 2, objects: [m1], instant: 101 })).toBe(false);
    expect(untimed(a, { ...base, objects: [m2] })).toBe(false);
  });

  it('they cut far more, and lose final states a sound search reaches: why they only measure', () => {
    const finalsUnder = (program: 'race-free' | 'lock-order', independence: Independence) => {
      const seen = new Set<string>();
      const runner: Runner = (c) => {
        const r = toyRunner(program)(c);
        seen.add(`${r.outcome}: ${r.message}`);
        return r;
      };
      const s = explore({ runner, mode: 'exhaustive', budget: 100_000, reduction: 'sleep-sets', independence, shrinkRuns: 0 });
      expect(s.exhausted).toBe(true);
      return { schedules: s.schedules, finals: seen };
    };
    // The toys' steps all run model code, so the sound relation cuts nothing there; the ideal ones pretend it
    // touched nothing shared.
    expect((['sound', 'ideal-timed', 'ideal-untimed'] as const).map((i) => finalsUnder('race-free', i).schedules)).toEqual([2016, 477, 90]);
    const sound = finalsUnder('lock-order', 'sound');
    const timed = finalsUnder('lock-order', 'ideal-timed');
    const untimed = finalsUnder('lock-order', 'ideal-untimed');
    expect([sound.schedules, timed.schedules, untimed.schedules]).toEqual([16014, 7275, 2928]);
    // Every final state they reach is a real one, but not every real one is reached: the deadlock still is,
    // at fewer of the instants it can happen at.
    for (const f of [...timed.finals, ...untimed.finals]) expect(sound.finals.has(f)).toBe(true);
    expect(untimed.finals.size).toBeLessThan(sound.finals.size);
    expect([...untimed.finals].some((f) => f.startsWith('deadlock'))).toBe(true);
  });
});
