import { describe, expect, it } from 'vitest';
import type { ExploreReport } from './explore-report.js';
import { mergeReports } from './merge-reports.js';
import { ScenarioInputError } from './params.js';
import { parseExploreReport } from './report-schema.js';

const VALID: ExploreReport = {
  version: 1,
  scenario: 'parallel-cpu-on',
  strategy: 'rfc-v6',
  lockPolicy: 'all-vcpus',
  host: 'cortex-a76',
  params: { vcpus: 4, windowNs: 2000 },
  mode: 'pct',
  scenarioSeeds: [1],
  seedStart: 1,
  budget: 30,
  pctDepth: 3,
  pctSteps: 228,
  shards: { count: 2, indices: [1] },
  schedules: 15,
  outcomes: { ok: 12, 'stranded-pauser': 3 },
  failingRuns: 3,
  firstFailingSeed: 4,
  failures: [
    { scenarioSeed: 1, outcome: 'stranded-pauser', message: 'CPU 2/KVM stranded at 321 ns', messageClass: 'CPU #/KVM stranded at # ns', seed: 4, occurrences: 3, choices: [0, 1, 2], traceHash: '26d8302a7835872a', shrunk: true },
  ],
  interrupted: false,
  exhausted: null,
  exhaustiveBound: null,
  reduction: null,
  pruned: null,
  wallMs: 1234,
};

function tampered(edit: (doc: Record<string, unknown>) => void): string {
  const doc = JSON.parse(JSON.stringify(VALID)) as Record<string, unknown>;
  edit(doc);
  return JSON.stringify(doc);
}

function failure(doc: Record<string, unknown>): Record<string, unknown> {
  return (doc['failures'] as Record<string, unknown>[])[0] ?? {};
}

describe('parseExploreReport', () => {
  it('accepts what explore --json writes (with replayFiles) and returns only the report fields', () => {
    const r = parseExploreReport(JSON.stringify({ ...VALID, replayFiles: ['f/stranded-pauser-1.json'] }), 's1.json');
    expect(r).toEqual(VALID);
  });

  it('reads a report written before interrupted/shrunk existed as not interrupted and shrunk', () => {
    const r = parseExploreReport(
      tampered((d) => {
        delete d['interrupted'];
        delete failure(d)['shrunk'];
      }),
      's1.json',
    );
    expect(r.interrupted).toBe(false);
    expect(r.failures[0]?.shrunk).toBe(true);
  });

  // [what was tampered, edit, field named, received]
  const CASES: [string, (d: Record<string, unknown>) => void, string, string][] = [
    ['an outcome count that is a string', (d) => ((d['outcomes'] as Record<string, unknown>)['ok'] = 'x'), 'outcomes.ok', '"x"'],
    ['outcomes not adding up to schedules', (d) => ((d['outcomes'] as Record<string, unknown>)['ok'] = 11), 'outcomes', '14'],
    ['a failure of the wrong shape', (d) => (d['failures'] = [{ bogus: 1 }]), 'failures[0].bogus', '1'],
    ['a failure whose outcome never happened', (d) => (failure(d)['outcome'] = 'deadlock'), 'failures[0].outcome', '"deadlock"'],
    ['negative schedules', (d) => (d['schedules'] = -1), 'schedules', '-1'],
    ['fractional schedules', (d) => (d['schedules'] = 1.5), 'schedules', '1.5'],
    ['more schedules than the budget', (d) => (d['schedules'] = 31), 'schedules', '31'],
    ['shard index 7 of 3', (d) => (d['shards'] = { count: 3, indices: [7] }), 'shards.indices[0]', '7'],
    ['shard index 0', (d) => (d['shards'] = { count: 3, indices: [0] }), 'shards.indices[0]', '0'],
    ['no shard index', (d) => (d['shards'] = { count: 3, indices: [] }), 'shards.indices', 'an array of 0'],
    ['a shard listed twice in one report', (d) => (d['shards'] = { count: 3, indices: [1, 1] }), 'shards.indices[1]', '1'],
    ['failingRuns disagreeing with outcomes', (d) => (d['failingRuns'] = 2), 'failingRuns', '2'],
    ['occurrences disagreeing with failingRuns', (d) => (failure(d)['occurrences'] = 2), 'failures', '2'],
    ['a bad trace hash', (d) => (failure(d)['traceHash'] = 'XYZ'), 'failures[0].traceHash', '"XYZ"'],
    ['a negative choice', (d) => (failure(d)['choices'] = [0, -1]), 'failures[0].choices[1]', '-1'],
    ['an unknown mode', (d) => (d['mode'] = 'dfs'), 'mode', '"dfs"'],
    ['a missing scenario', (d) => delete d['scenario'], 'scenario', 'nothing (the field is missing)'],
    ['an unknown top-level field', (d) => (d['extra'] = true), 'extra', 'true'],
    ['another version', (d) => (d['version'] = 2), 'version', '2'],
    ['interrupted not a boolean', (d) => (d['interrupted'] = 'yes'), 'interrupted', '"yes"'],
    ['no scenario seeds', (d) => (d['scenarioSeeds'] = []), 'scenarioSeeds', 'an array of 0'],
    ['a scenario seed listed twice', (d) => (d['scenarioSeeds'] = [1, 1]), 'scenarioSeeds[1]', '1'],
    ['exhausted on a pct report', (d) => (d['exhausted'] = true), 'exhausted', 'true'],
    ['a failure from a scenario seed not swept', (d) => (failure(d)['scenarioSeed'] = 9), 'failures[0].scenarioSeed', '9'],
  ];
  it.each(CASES)('refuses %s, naming the file and the field', (_label, edit, field, received) => {
    let error: unknown = null;
    try {
      parseExploreReport(tampered(edit), 'shard-2.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScenarioInputError);
    const e = error as ScenarioInputError;
    expect(e.problem).toBe(`shard-2.json: bad field ${field}`);
    expect(e.received).toBe(received);
    expect(e.message).not.toContain('\n');
  });

  it('refuses text that is not JSON or not an object', () => {
    expect(() => parseExploreReport('{', 'a.json')).toThrow(/a.json is not JSON/);
    expect(() => parseExploreReport('[1]', 'a.json')).toThrow(/a.json is not an exploration report/);
  });
});

describe('mergeReports refuses reports of different explorations, naming the file and field', () => {
  const other = (patch: Partial<ExploreReport>): ExploreReport => ({ ...VALID, shards: { count: 2, indices: [2] }, ...patch });
  it.each([
    ['scenario', { scenario: 'boot' }],
    ['strategy', { strategy: 'pause-always' }],
    ['budget', { budget: 40 }],
    ['seedStart', { seedStart: 2 }],
  ] as const)('%s', (field, patch) => {
    expect(() => mergeReports([VALID, other(patch)], ['a.json', 'b.json'])).toThrow(`b.json: field ${field} differs from a.json`);
  });

  it('a shard given twice names both files', () => {
    expect(() => mergeReports([VALID, VALID], ['a.json', 'b.json'])).toThrow('shard 1 appears twice (a.json and b.json)');
  });

  it('an interrupted shard makes the merge interrupted', () => {
    const m = mergeReports([VALID, other({ interrupted: true })]);
    expect(m.interrupted).toBe(true);
    expect(m.shards.indices).toEqual([1, 2]);
  });
});
