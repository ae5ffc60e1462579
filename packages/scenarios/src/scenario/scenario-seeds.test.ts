import { describe, expect, it } from 'vitest';
import { formatReplayFile, parseReplayFile } from '../explore/index.js';
import { exploreScenario } from './explore-report.js';
import { makeReplayFile, replayScenario } from './runner.js';

const SPEC = {
  scenario: 'migration',
  strategy: 'realize-once',
  params: { vcpus: 2, cycles: 0, iterationMaxUs: 100, qmpDuringMigration: 'system-reset', qmpCount: 6, systemResetAfter: false },
  qemuRevert: ['ddad81bd28'],
} as const;

describe('exploration over scenario seeds', () => {
  it('sweeps every scenario seed with the whole schedule budget and names the scenario seed of each failure', () => {
    const report = exploreScenario({ spec: SPEC, mode: 'random', budget: 3, seed: 1, scenarioSeeds: [3, 1], shrinkRuns: 0 });
    expect(report.scenarioSeeds).toEqual([3, 1]);
    expect(report.schedules).toBe(6);
    const f = report.failures.find((x) => x.outcome === 'abort');
    expect(f?.message).toBe("invalid runstate transition: 'prelaunch' -> 'postmigrate'");
    // Scenario seed 3 comes first in the sweep and shows the abort at its first schedule; seed 1 shows it
    // again (at its schedule 2), which only adds an occurrence to seed 3's record.
    expect(f === undefined ? [] : [f.scenarioSeed, f.seed, f.occurrences]).toEqual([3, 1, 2]);
  });

  it('a replay file records both seeds and the reverted fix, and replays the failure exactly', () => {
    const report = exploreScenario({ spec: SPEC, mode: 'random', budget: 3, seed: 1, scenarioSeeds: [1], shrinkRuns: 0 });
    const f = report.failures[0];
    if (f === undefined) throw new Error('no failure');
    const file = parseReplayFile(formatReplayFile(makeReplayFile({ ...SPEC, seed: f.scenarioSeed }, { ...f, seed: f.seed })));
    expect([file.version, file.scenarioSeed, file.scheduleSeed, file.qemuRevert]).toEqual([3, 1, 2, ['ddad81bd28']]);
    const r = replayScenario(file);
    expect([r.outcome, r.traceHash]).toEqual([file.outcome, file.traceHash]);
    // Without the reverted fix the same choices do not abort: the file's QEMU options matter.
    expect(replayScenario({ ...file, qemuRevert: [] }).outcome).not.toBe('abort');
  });
});
