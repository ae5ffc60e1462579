import { describe, expect, it } from 'vitest';
import { type ExploreProgress, explore, messageClass } from './explore.js';
import { toyRunner } from './test-toy.js';
import { syntheticRunner } from './test-synthetic.js';

describe('explore driver', () => {
  it('counts every schedule in exactly one outcome', () => {
    const summary = explore({ runner: toyRunner('lost-update'), mode: 'random', budget: 120 });
    const total = Object.values(summary.outcomes).reduce((a, b) => a + b, 0);
    expect(total).toBe(120);
    expect(summary.failingRuns).toBe(summary.outcomes['lost-update']);
    expect(summary.failures.reduce((a, f) => a + f.occurrences, 0)).toBe(summary.failingRuns);
    expect(Number.isFinite(summary.wallMs)).toBe(true); // wall-clock: type only, never a value
  });

  it('keeps failures distinct by outcome and message class', () => {
    // Fails with message "answers …": the class masks the digits, so all failures are one class.
    const runner = syntheticRunner(Array.from({ length: 4 }, () => ({ kind: 'schedule' as const, n: 2 })), (a) => a[0] === 1);
    const summary = explore({ runner, mode: 'random', budget: 50 });
    expect(summary.failures).toHaveLength(1);
    expect(summary.failures[0]?.messageClass).toBe('answers #,#,#,#');
    expect(summary.failures[0]?.shrunkChoices).toEqual([1]);
    expect(messageClass('no thread can run again at t=542 ns at 0x1f')).toBe('no thread can run again at t=# ns at #');
  });

  it('stops before the next schedule once shouldStop says so, and says it was interrupted', () => {
    let asked = 0;
    const summary = explore({ runner: toyRunner('lost-update'), mode: 'random', budget: 120, shouldStop: () => ++asked > 17 });
    expect(summary.schedules).toBe(17);
    expect(summary.interrupted).toBe(true);
    expect(Object.values(summary.outcomes).reduce((a, b) => a + b, 0)).toBe(17);
    expect(explore({ runner: toyRunner('lost-update'), mode: 'random', budget: 20 }).interrupted).toBe(false);
  });

  it('stops at the first failure when asked, on the first failing seed', () => {
    const summary = explore({ runner: toyRunner('lock-order'), mode: 'random', budget: 200, stopOnFirstFailure: true });
    expect(summary.firstFailingSeed).toBe(21);
    expect(summary.schedules).toBe(summary.firstFailingSeed);
    expect(summary.failingRuns).toBe(1);
  });

  it('reports progress every N schedules and once at the end', () => {
    const seen: ExploreProgress[] = [];
    const summary = explore({
      runner: toyRunner('lost-update'),
      mode: 'pct',
      budget: 45,
      progressEvery: 10,
      onProgress: (p) => seen.push(p),
    });
    expect(seen.map((p) => p.done)).toEqual([10, 20, 30, 40, 45]);
    expect(seen.at(-1)?.failures).toBe(summary.failingRuns);
    for (let i = 1; i < seen.length; i++) expect(seen[i]?.elapsedMs).toBeGreaterThanOrEqual(seen[i - 1]?.elapsedMs ?? 0);
  });

  it('can keep the original choices instead of shrinking', () => {
    const summary = explore({ runner: toyRunner('lock-order'), mode: 'random', budget: 200, stopOnFirstFailure: true, shrinkRuns: 0 });
    const f = summary.failures[0];
    expect(f?.shrunkChoices).toEqual(f?.choices);
    expect(f?.shrinkRuns).toBe(0);
  });

  it('runs nothing with a zero budget and rejects a negative one', () => {
    const summary = explore({ runner: toyRunner('lock-order'), mode: 'pct', budget: 0 });
    expect(summary.schedules).toBe(0);
    expect(summary.outcomes).toEqual({});
    expect(() => explore({ runner: toyRunner('lock-order'), mode: 'random', budget: -1 })).toThrow(RangeError);
  });
});
