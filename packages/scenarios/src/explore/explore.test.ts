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

  it('marks a failure shrunk only when a replay reproduced it and shrinking ran', () => {
    const runner = syntheticRunner(Array.from({ length: 4 }, () => ({ kind: 'schedule' as const, n: 2 })), (a) => a[0] === 1);
    expect(explore({ runner, mode: 'random', budget: 50 }).failures[0]?.shrunk).toBe(true);
    const off = explore({ runner, mode: 'random', budget: 50, shrinkRuns: 0 }).failures[0];
    expect(off?.shrunk).toBe(false);
    // A runner that fails only the first time (nondeterministic): the replay does not reproduce the failure,
    // so its own choices stay and it is not called shrunk.
    let calls = 0;
    const flaky: typeof runner = (c) => {
      const r = runner(c);
      return ++calls === 1 ? { ...r, failed: true, outcome: 'synthetic-failure', message: 'flaky' } : { ...r, failed: false, outcome: 'ok', message: '' };
    };
    const first = explore({ runner: flaky, mode: 'random', budget: 1 }).failures[0];
    expect(first?.outcome).toBe('synthetic-failure');
    expect(first?.shrunk).toBe(false);
    expect(first?.shrunkChoices).toEqual(first?.choices);
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
