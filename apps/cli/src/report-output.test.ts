// The verdict line of an exploration: only an exhausted exhaustive search says "verified".
import type { ExploreReport } from '@vgicsim/scenarios';
import { describe, expect, it } from 'vitest';
import { formatReport, verdictLine } from './report-output.js';

const base: ExploreReport = {
  version: 1,
  scenario: 'parallel-cpu-on',
  strategy: 'realize-once',
  lockPolicy: 'all-vcpus',
  host: 'cortex-a76',
  params: {},
  mode: 'exhaustive',
  scenarioSeeds: [1],
  seedStart: 1,
  budget: 500,
  pctDepth: 3,
  pctSteps: null,
  shards: { count: 1, indices: [1] },
  schedules: 201,
  outcomes: { ok: 201 },
  failingRuns: 0,
  firstFailingSeed: null,
  failures: [],
  interrupted: false,
  exhausted: true,
  exhaustiveBound: 64,
  reduction: 'sleep-sets+state-hash',
  pruned: { statePruned: 40, sleepSkipped: 3, sleepBlocked: 2 },
  wallMs: 10,
};

describe('verdictLine', () => {
  it('exhausted exhaustive search: verified', () => {
    expect(verdictLine(base)).toBe(
      'completed: all 201 schedules within the scheduling window (first 64 choice points branching) explored, reduction sleep-sets+state-hash: 40 choice points pruned by state hash (a heuristic), 3 alternatives and 2 redundant runs cut by sleep sets: verified',
    );
    expect(verdictLine({ ...base, reduction: 'none', pruned: { statePruned: 0, sleepSkipped: 0, sleepBlocked: 0 } })).toBe(
      'completed: all 201 schedules within the scheduling window (first 64 choice points branching) explored, no reduction: verified',
    );
  });
  it('exhaustive search cut by the budget: incomplete, never a bare "no failure found"', () => {
    const text = formatReport({ ...base, exhausted: false, schedules: 500 });
    expect(text).toContain('exhaustive search INCOMPLETE: cut by --budget 500');
    expect(text).toContain('nothing verified');
    expect(text).not.toMatch(/no failure found/);
  });
  it('names what cut an unfinished exhaustive search: the budget, --stop-on-first or a signal', () => {
    const failure = { scenarioSeed: 1, outcome: 'abort', message: 'm', messageClass: 'm', seed: null, occurrences: 1, choices: [0], traceHash: '0'.repeat(16), shrunk: false };
    const cut = { ...base, exhausted: false, reduction: null, pruned: null };
    expect(verdictLine({ ...cut, schedules: 500 })).toBe(
      'exhaustive search INCOMPLETE: cut by --budget 500 after 500 schedule(s) within the scheduling window (first 64 choice points branching); no failure among them, nothing verified',
    );
    expect(verdictLine({ ...cut, schedules: 37, failures: [failure] })).toBe(
      'exhaustive search INCOMPLETE: cut by --stop-on-first at the first failure after 37 schedule(s) within the scheduling window (first 64 choice points branching); 1 distinct failure(s)',
    );
    expect(verdictLine({ ...cut, schedules: 12, interrupted: true })).toBe(
      'exhaustive search INCOMPLETE: cut by a stop signal after 12 schedule(s) within the scheduling window (first 64 choice points branching); no failure among them, nothing verified',
    );
  });
  it('random sampling says it is a sample', () => {
    expect(verdictLine({ ...base, mode: 'random', exhausted: null, exhaustiveBound: null, reduction: null, pruned: null })).toBe('no failure found in 201 schedule(s) (a sample, not a proof)');
  });
});
