// Merging exploration reports from shards (other processes, worker threads, machines) into one. Per-seed
// results do not depend on where a seed ran, so the merge of all shards equals the unsharded exploration:
// outcome counts add up, and each distinct failure keeps the record of its lowest seed — the one the
// unsharded explorer, walking seeds in order, would have kept.
import type { ExploreReport, ReportedFailure } from './explore-report.js';
import { ScenarioInputError } from './params.js';

const SAME_KEYS = ['scenario', 'strategy', 'lockPolicy', 'host', 'mode', 'seedStart', 'budget', 'pctDepth', 'pctSteps'] as const;

/**
 * Merges reports of one exploration. `sources` names each report in messages (file names; default
 * "report 1", "report 2", …).
 * @throws ScenarioInputError when the reports are of different explorations or a shard appears twice.
 */
export function mergeReports(reports: readonly ExploreReport[], sources?: readonly string[]): ExploreReport {
  const first = reports[0];
  if (first === undefined) throw new ScenarioInputError('nothing to merge', 'one or more exploration reports', '(none)');
  const name = (i: number): string => sources?.[i] ?? `report ${i + 1}`;
  const seenAt = new Map<number, number>();
  reports.forEach((r, ri) => {
    for (const k of SAME_KEYS) {
      if (r[k] !== first[k]) throw new ScenarioInputError(`${name(ri)}: field ${k} differs from ${name(0)}`, `reports of one exploration (${k} = ${String(first[k])})`, String(r[k]));
    }
    if (JSON.stringify(r.scenarioSeeds) !== JSON.stringify(first.scenarioSeeds)) {
      throw new ScenarioInputError('reports differ in scenarioSeeds', `scenario seeds ${JSON.stringify(first.scenarioSeeds)}`, JSON.stringify(r.scenarioSeeds));
    }
    if (JSON.stringify(r.params) !== JSON.stringify(first.params)) {
      throw new ScenarioInputError(`${name(ri)}: field params differs from ${name(0)}`, `params ${JSON.stringify(first.params)}`, JSON.stringify(r.params));
    }
    if (r.shards.count !== first.shards.count) {
      throw new ScenarioInputError(`${name(ri)}: field shards.count differs from ${name(0)}`, `shards of ${first.shards.count}`, String(r.shards.count));
    }
    for (const i of r.shards.indices) {
      const earlier = seenAt.get(i);
      if (earlier !== undefined) throw new ScenarioInputError(`shard ${i} appears twice (${name(earlier)} and ${name(ri)})`, 'each shard once', `${i}/${r.shards.count}`);
      seenAt.set(i, ri);
    }
  });
  const seen = new Set(seenAt.keys());
  const outcomes: Record<string, number> = {};
  for (const r of reports) for (const [o, n] of Object.entries(r.outcomes)) outcomes[o] = (outcomes[o] ?? 0) + n;
  const byClass = new Map<string, { best: ReportedFailure; occurrences: number }>();
  for (const r of reports) {
    for (const f of r.failures) {
      const key = `${f.outcome}\u0000${f.messageClass}`;
      const cur = byClass.get(key);
      if (cur === undefined) byClass.set(key, { best: f, occurrences: f.occurrences });
      else {
        cur.occurrences += f.occurrences;
        if (failureOrder(first.scenarioSeeds, f) < failureOrder(first.scenarioSeeds, cur.best)) cur.best = f;
      }
    }
  }
  const failures = [...byClass.values()]
    .map(({ best, occurrences }) => ({ ...best, occurrences }))
    .sort((a, b) => failureOrder(first.scenarioSeeds, a) - failureOrder(first.scenarioSeeds, b));
  // With several scenario seeds the first failing run is the first in sweep order (scenario seed, then schedule
  // seed) — the lowest schedule seed of any shard may belong to a later scenario seed. Each failure record is
  // its class's first run, so the first record in that order is the first failing run.
  const firsts = reports.map((r) => r.firstFailingSeed).filter((s): s is number => s !== null);
  const firstRun = failures[0]?.seed ?? null;
  return {
    ...first,
    shards: { count: first.shards.count, indices: [...seen].sort((a, b) => a - b) },
    schedules: reports.reduce((s, r) => s + r.schedules, 0),
    outcomes,
    failingRuns: reports.reduce((s, r) => s + r.failingRuns, 0),
    firstFailingSeed: firstRun ?? (firsts.length === 0 ? null : Math.min(...firsts)),
    failures,
    interrupted: reports.some((r) => r.interrupted),
    wallMs: Math.max(...reports.map((r) => r.wallMs)),
  };
}

function seedOrder(seed: number | null): number {
  return seed ?? Number.POSITIVE_INFINITY;
}

/** The order an unsharded exploration meets failures in: scenario seeds in sweep order, then schedule seeds. */
function failureOrder(scenarioSeeds: readonly number[], f: ReportedFailure): number {
  const i = scenarioSeeds.indexOf(f.scenarioSeed);
  return (i < 0 ? scenarioSeeds.length : i) * 2 ** 32 + seedOrder(f.seed);
}

/** Whether the merged report covers every shard of its exploration. */
export function isComplete(report: ExploreReport): boolean {
  return report.shards.indices.length === report.shards.count;
}
