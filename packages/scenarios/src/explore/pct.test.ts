import type { ChoicePoint } from '@vgicsim/kvm-sim';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ExploreSummary, explore } from './explore.js';
import { PctChoice, PctStrategy, estimatePctSteps } from './pct.js';
import { toyRunner } from './test-toy.js';

const withoutWall = ({ wallMs: _wallMs, ...rest }: ExploreSummary): Omit<ExploreSummary, 'wallMs'> => rest;

function schedulePoint(index: number, ids: readonly number[]): ChoicePoint {
  return { kind: 'schedule', n: ids.length, ids, index, time: index, fingerprint: () => '' };
}

describe('PCT', () => {
  it('finds the lock-order deadlock', () => {
    const summary = explore({ runner: toyRunner('lock-order'), mode: 'pct', budget: 200, pctDepth: 3 });
    expect(summary.failures.map((f) => f.outcome)).toEqual(['deadlock']);
    expect(summary.firstFailingSeed).toBe(4);
    expect(summary.pctSteps).toBe(estimatePctSteps(toyRunner('lock-order'), 1));
  });

  it('is deterministic per (seed, d, k)', () => {
    const run = (): ExploreSummary => explore({ runner: toyRunner('lock-order'), mode: 'pct', budget: 100, seed: 3, pctDepth: 2, pctSteps: 8 });
    expect(withoutWall(run())).toEqual(withoutWall(run()));
    const runner = toyRunner('lost-update');
    const a = runner(new PctChoice(11, 3, 6));
    const b = runner(new PctChoice(11, 3, 6));
    expect(b.choices).toEqual(a.choices);
    expect(b.traceHash).toBe(a.traceHash);
  });

  it('with depth 1 always runs the same highest-priority thread among the same candidates', () => {
    const pct = new PctChoice(5, 1, 10);
    const answers = Array.from({ length: 10 }, (_, i) => pct.choose(schedulePoint(i, [4, 7, 9])));
    expect(new Set(answers).size).toBe(1);
  });

  it('switches threads only at its d−1 change points and demotes to priorities below d', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 30 }), (seed, depth, k) => {
        const pct = new PctChoice(seed, depth, k);
        const ids = [0, 1, 2, 3];
        let switches = 0;
        let prev: number | null = null;
        for (let i = 0; i < k + 5; i++) {
          const c = pct.choose(schedulePoint(i, ids));
          if (prev !== null && c !== prev) switches++;
          prev = c;
        }
        expect(switches).toBeLessThanOrEqual(depth - 1);
        const priorities = ids.map((id) => pct.priorityOf(id) ?? Number.NaN);
        expect(new Set(priorities).size).toBe(ids.length);
        // Initial priorities are > d, demoted ones are change-point labels 1 .. d−1: never d itself.
        for (const p of priorities) expect(p >= 1 && p !== depth).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects a depth or k below 1', () => {
    expect(() => new PctChoice(1, 0, 5)).toThrow(RangeError);
    expect(() => new PctStrategy({ count: 1, depth: 2, steps: 0 })).toThrow(RangeError);
  });
});
