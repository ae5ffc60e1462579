// Issue 6: exploration finds the nested-pause hazard of rfc-v6 on parallel-cpu-on, shrinks it, and the
// replay file reproduces it exactly; realize-once has nothing to find.
import { describe, expect, it } from 'vitest';
import { SeededChoice } from '@vgicsim/kvm-sim';
import { explore, formatReplayFile, parseReplayFile } from '../explore/index.js';
import { runScenario } from './run.js';
import { exploreScenario } from './explore-report.js';
import { makeReplayFile, replayScenario, scenarioRunner } from './runner.js';

describe('exploring parallel-cpu-on (4 vCPUs)', () => {
  const spec = { scenario: 'parallel-cpu-on', strategy: 'rfc-v6', params: { vcpus: 4 }, seed: 1 } as const;

  it('rfc-v6: random exploration finds a stranded pauser or an abort; shrunk, its replay file reproduces outcome and trace hash', () => {
    const summary = explore({ runner: scenarioRunner(spec), mode: 'random', budget: 10_000, stopOnFirstFailure: true });
    expect(summary.failures.length).toBe(1);
    const f = summary.failures[0];
    if (f === undefined) return;
    expect(['stranded-pauser', 'abort']).toContain(f.outcome);
    expect(summary.firstFailingSeed).toBe(876);
    expect(f.shrunkChoices.length).toBeLessThanOrEqual(f.choices.length);

    const file = parseReplayFile(formatReplayFile(makeReplayFile(spec, { choices: f.shrunkChoices, traceHash: f.traceHash, outcome: f.outcome })));
    const again = replayScenario(file);
    expect(again.outcome).toBe(f.outcome);
    expect(again.traceHash).toBe(file.traceHash);
    expect(replayScenario(file).traceHash).toBe(file.traceHash);
  });

  it('realize-once: the same exploration finds no failure', () => {
    const summary = explore({
      runner: scenarioRunner({ ...spec, strategy: 'realize-once' }),
      mode: 'random',
      budget: 300,
    });
    expect(summary.failures).toEqual([]);
    expect(summary.outcomes).toEqual({ ok: 300 });
  });
});

describe('scenarioRunner', () => {
  it('reports what runScenario reports for the same schedule (outcome, message, choices), failures included', () => {
    const spec = { scenario: 'parallel-cpu-on', strategy: 'rfc-v6', params: { vcpus: 4 }, seed: 1 } as const;
    const runner = scenarioRunner(spec);
    let failed = 0;
    for (const seed of [1, 2, 3, 876, 877]) {
      const run = runner(new SeededChoice(seed));
      const full = runScenario({ ...spec, choice: new SeededChoice(seed), trace: 'off', recordChoices: true });
      expect(run.outcome).toBe(full.outcome);
      expect(run.failed).toBe(full.outcome !== 'ok');
      expect(run.message).toBe(full.message);
      expect(run.choices).toEqual(full.choices);
      expect(run.choiceKinds).toEqual(full.choiceKinds);
      if (run.failed) failed++;
    }
    expect(failed).toBeGreaterThan(0);
  });
});

describe('exhaustive exploration says whether it finished (issue 13 item 7)', () => {
  const spec = { scenario: 'parallel-cpu-on', strategy: 'realize-once', params: { vcpus: 2, windowNs: 300 } };
  it('a search that runs out of schedules reports exhausted', () => {
    const r = exploreScenario({ spec, mode: 'exhaustive', budget: 100_000, seed: 1 });
    expect(r.exhausted).toBe(true);
    expect(r.exhaustiveBound).toBe(64);
    // 241 since issue 12's model (201 before it): the bounded tree of this run changed with it.
    expect(r.schedules).toBe(241);
    expect(r.failures).toEqual([]);
  });
  it('a search cut by the budget reports not exhausted', () => {
    const r = exploreScenario({ spec, mode: 'exhaustive', budget: 200, seed: 1 });
    expect(r.exhausted).toBe(false);
    expect(r.schedules).toBe(200);
  });
  it('pct and random have no exhausted verdict', () => {
    expect(exploreScenario({ spec, mode: 'random', budget: 3, seed: 1 }).exhausted).toBeNull();
  });
});
