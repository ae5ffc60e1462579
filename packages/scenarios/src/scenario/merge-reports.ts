// Merging exploration reports from shards (other processes, worker threads, machines) into one. Per-seed
// results do not depend on where a seed ran, so the merge of all shards equals the unsharded exploration:
// outcome counts add up, and each distinct failure keeps the record of its lowest seed — the one the
// unsharded explorer, walking seeds in order, would have kept.
import type { ExploreReport, ReportedFailure } from './explore-report.js';
import { ScenarioInputError } from './params.js';

const SAME_KEYS = ['scenario', 'strategy', 'lockPolicy', 'host', 'mode', 'seedStart', 'budget', 'pctDepth', 'pctSteps'] as const;

export function mergeReports(reports: readonly ExploreReport[]): ExploreReport {
  const first = reports[0];
  if (first === undefined) throw new ScenarioInputError('nothing to merge', 'one or more exploration reports', '(none)');
  const seen = new Set<number>();
  for (const r of reports) {
    for (const k of SAME_KEYS) {
      if (r[k] !== first[k]) throw new ScenarioInputError(`reports differ in ${k}`, `reports of one exploration (${k} = ${String(first[k])})`, String(r[k]));
    }
    if (JSON.stringify(r.params) !== JSON.stringify(first.params)) {
      throw new ScenarioInputError('reports differ in params', `params ${JSON.stringify(first.params)}`, JSON.stringify(r.params));
    }
    if (r.shards.count !== first.shards.count) {
      throw new ScenarioInputError('reports differ in shard count', `shards of ${first.shards.count}`, String(r.shards.count));
    }
    for (const i of r.shards.indices) {
      if (seen.has(i)) throw new ScenarioInputError(`shard ${i} appears twice`, 'each shard once', `${i}/${r.shards.count}`);
      seen.add(i);
    }
  }
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
        if (seedOrder(f.seed) < seedOrder(cur.best.seed)) cur.best = f;
      }
    }
  }
  const failures = [...byClass.values()]
    .map(({ best, occurrences }) => ({ ...best, occurrences }))
    .sort((a, b) => seedOrder(a.seed) - seedOrder(b.seed));
  const firsts = reports.map((r) => r.firstFailingSeed).filter((s): s is number => s !== null);
  return {
    ...first,
    shards: { count: first.shards.count, indices: [...seen].sort((a, b) => a - b) },
    schedules: reports.reduce((s, r) => s + r.schedules, 0),
    outcomes,
    failingRuns: reports.reduce((s, r) => s + r.failingRuns, 0),
    firstFailingSeed: firsts.length === 0 ? null : Math.min(...firsts),
    failures,
    wallMs: Math.max(...reports.map((r) => r.wallMs)),
  };
}

function seedOrder(seed: number | null): number {
  return seed ?? Number.POSITIVE_INFINITY;
}

/** Whether the merged report covers every shard of its exploration. */
export function isComplete(report: ExploreReport): boolean {
  return report.shards.indices.length === report.shards.count;
}

/** Parses a report written by `vgicsim explore --json`; a wrong shape is a ScenarioInputError naming the field. */
export function parseExploreReport(text: string, source: string): ExploreReport {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new ScenarioInputError(`${source} is not JSON`, 'a report written by `vgicsim explore --json`', text.slice(0, 40));
  }
  if (typeof doc !== 'object' || doc === null) throw new ScenarioInputError(`${source} is not an exploration report`, 'a JSON object', typeof doc);
  const o = doc as Record<string, unknown>;
  const need: Record<string, string> = {
    version: 'number',
    scenario: 'string',
    strategy: 'string',
    mode: 'string',
    seedStart: 'number',
    budget: 'number',
    schedules: 'number',
    outcomes: 'object',
    failures: 'object',
    shards: 'object',
  };
  for (const [k, t] of Object.entries(need)) {
    if (typeof o[k] !== t || o[k] === null) throw new ScenarioInputError(`${source}: field ${k} missing or not a ${t}`, 'a report written by `vgicsim explore --json`', String(o[k]));
  }
  if (o['version'] !== 1) throw new ScenarioInputError(`${source}: unsupported report version`, '1', String(o['version']));
  // Reports written before exhaustive search said whether it finished carry neither field.
  const report: ExploreReport = { exhausted: null, exhaustiveBound: null, ...(doc as Omit<ExploreReport, 'exhausted' | 'exhaustiveBound'>) };
  return report;
}
