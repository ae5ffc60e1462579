import { describe, expect, it } from 'vitest';
import { ExhaustiveStrategy, NondeterministicRunnerError } from './exhaustive.js';
import { explore } from './explore.js';
import { toyRunner } from './test-toy.js';
import { syntheticRunner } from './test-synthetic.js';
import type { Runner, ScheduleRun } from './types.js';

function recording(runner: Runner): { runner: Runner; runs: ScheduleRun[] } {
  const runs: ScheduleRun[] = [];
  return {
    runs,
    runner: (choice) => {
      const r = runner(choice);
      runs.push(r);
      return r;
    },
  };
}

describe('exhaustive exploration', () => {
  it('finds the lock-order deadlock within its budget', () => {
    const summary = explore({ runner: toyRunner('lock-order'), mode: 'exhaustive', budget: 500, stopOnFirstFailure: true });
    expect(summary.failures.map((f) => f.outcome)).toEqual(['deadlock']);
    expect(summary.failures[0]?.seed).toBeNull();
    expect(summary.firstFailingSeed).toBeNull();
    expect(summary.schedules).toBeLessThan(500);
  });

  it('reports no failure on the race-free toy and stops once the tree is exhausted', () => {
    for (const prune of [true, false]) {
      const summary = explore({ runner: toyRunner('race-free'), mode: 'exhaustive', budget: 5000, prune });
      expect(summary.failures).toEqual([]);
      expect(summary.exhausted).toBe(true);
      expect(summary.schedules).toBeLessThan(5000);
      expect(summary.outcomes).toEqual({ ok: summary.schedules });
    }
  });

  it('pruning explores fewer schedules than the plain enumeration', () => {
    const pruned = explore({ runner: toyRunner('race-free'), mode: 'exhaustive', budget: 5000 });
    const plain = explore({ runner: toyRunner('race-free'), mode: 'exhaustive', budget: 5000, prune: false });
    expect(pruned.schedules).toBeLessThan(plain.schedules);
  });

  it('enumerates every sequence exactly once, duration points only at their extremes', () => {
    const rec = recording(
      syntheticRunner(
        [
          { kind: 'schedule', n: 3 },
          { kind: 'duration', n: 11 },
          { kind: 'lock-wake', n: 2 },
        ],
        () => false,
      ),
    );
    const summary = explore({ runner: rec.runner, mode: 'exhaustive', budget: 100, prune: false });
    expect(summary.exhausted).toBe(true);
    expect(summary.schedules).toBe(3 * 2 * 2);
    const seqs = rec.runs.map((r) => r.choices.join(','));
    expect(new Set(seqs).size).toBe(seqs.length);
    for (const r of rec.runs) expect([0, 10]).toContain(r.choices[1]);
  });

  it('takes alternative 0 beyond the bound', () => {
    const rec = recording(syntheticRunner(Array.from({ length: 6 }, () => ({ kind: 'schedule' as const, n: 2 })), () => false));
    const summary = explore({ runner: rec.runner, mode: 'exhaustive', budget: 100, exhaustiveBound: 3, prune: false });
    expect(summary.schedules).toBe(8);
    for (const r of rec.runs) expect(r.choices.slice(3)).toEqual([0, 0, 0]);
    expect(explore({ runner: rec.runner, mode: 'exhaustive', budget: 100, exhaustiveBound: 0 }).schedules).toBe(1);
  });

  it('stops at the run budget before the tree is exhausted', () => {
    const runner = syntheticRunner(Array.from({ length: 10 }, () => ({ kind: 'schedule' as const, n: 2 })), () => false);
    const summary = explore({ runner, mode: 'exhaustive', budget: 50, prune: false });
    expect(summary.schedules).toBe(50);
    expect(summary.exhausted).toBe(false);
  });

  it('reports a runner whose choice points change between replays of a prefix', () => {
    let calls = 0;
    const flaky: Runner = (choice) => {
      calls++;
      const n = calls === 1 ? 2 : 3;
      const c = choice.choose({ kind: 'schedule', n, ids: Array.from({ length: n }, (_, i) => i), index: 0, time: 0, fingerprint: () => '' });
      return { outcome: 'ok', failed: false, message: '', traceHash: '00000000', choices: [c], choiceKinds: ['schedule'] };
    };
    expect(() => explore({ runner: flaky, mode: 'exhaustive', budget: 10 })).toThrow(NondeterministicRunnerError);
  });

  it('rejects a negative bound', () => {
    expect(() => new ExhaustiveStrategy({ bound: -1 })).toThrow(RangeError);
  });
});
