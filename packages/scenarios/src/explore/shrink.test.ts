import { SeededChoice } from '@vgicsim/kvm-sim';
import { describe, expect, it } from 'vitest';
import { replay } from './replay.js';
import { sameOutcome, shrink, stripTrailingZeros } from './shrink.js';
import { toyRunner } from './test-toy.js';
import { syntheticRunner } from './test-synthetic.js';
import type { ScheduleRun } from './types.js';

function firstFailure(program: 'lock-order' | 'lost-update'): ScheduleRun {
  const runner = toyRunner(program);
  for (let s = 1; s <= 500; s++) {
    const r = runner(new SeededChoice(s));
    if (r.failed) return r;
  }
  throw new Error(`no failing seed for ${program}`);
}

describe('shrink', () => {
  for (const program of ['lock-order', 'lost-update'] as const) {
    it(`returns a list no longer than the original that still fails the same way (${program})`, () => {
      const runner = toyRunner(program);
      const original = firstFailure(program);
      const result = shrink(runner, original.choices, sameOutcome(original.outcome), { maxRuns: 150 });
      expect(result.reproduced).toBe(true);
      expect(result.choices.length).toBeLessThanOrEqual(original.choices.length);
      expect(result.runs).toBeLessThanOrEqual(150);
      expect(result.run.outcome).toBe(original.outcome);
      expect(result.run.failed).toBe(true);
      // The shrunk list is a faithful recording of its run.
      const again = replay(runner, result.choices);
      expect(again.faithful).toBe(true);
      expect(again.run.outcome).toBe(original.outcome);
      expect(again.run.traceHash).toBe(result.run.traceHash);
      // Deterministic.
      expect(shrink(runner, original.choices, sameOutcome(original.outcome), { maxRuns: 150 })).toEqual(result);
    });
  }

  it('truncates and lowers to the minimal list when failure depends on one position', () => {
    const runner = syntheticRunner(Array.from({ length: 20 }, () => ({ kind: 'schedule' as const, n: 3 })), (a) => a[7] !== 0);
    const start = [2, 1, 2, 1, 2, 1, 0, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2];
    const result = shrink(runner, start, sameOutcome('synthetic-failure'));
    expect(result.choices).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('removes chunks when the failure does not depend on positions', () => {
    const runner = syntheticRunner(Array.from({ length: 30 }, () => ({ kind: 'schedule' as const, n: 3 })), (a) => a.reduce((x, y) => x + y, 0) >= 2);
    const start = [1, 0, 1, 2, 1, 0, 1, 2, 0, 1];
    const result = shrink(runner, start, sameOutcome('synthetic-failure'));
    // Shrinking never raises a value, so [2] is out of reach: two ones is the best it can do.
    expect(result.choices).toEqual([1, 1]);
  });

  it('respects the run bound', () => {
    const runner = syntheticRunner(Array.from({ length: 40 }, () => ({ kind: 'schedule' as const, n: 3 })), (a) => a.filter((x) => x === 2).length >= 3);
    const start = Array.from({ length: 40 }, (_, i) => (i * 7) % 3);
    const result = shrink(runner, start, sameOutcome('synthetic-failure'), { maxRuns: 5 });
    expect(result.runs).toBeLessThanOrEqual(5);
    expect(result.run.failed).toBe(true);
    expect(result.choices.length).toBeLessThanOrEqual(start.length);
  });

  it('reports a list that does not reproduce instead of shrinking it', () => {
    const runner = toyRunner('lock-order');
    const ok = runner(new SeededChoice(1));
    expect(ok.failed).toBe(false);
    const result = shrink(runner, ok.choices, sameOutcome('deadlock'));
    expect(result.reproduced).toBe(false);
    expect(result.runs).toBe(1);
    expect(result.choices).toEqual(ok.choices);
  });

  it('strips trailing zeros only', () => {
    expect(stripTrailingZeros([0, 1, 0, 0])).toEqual([0, 1]);
    expect(stripTrailingZeros([0, 0])).toEqual([]);
  });
});
