// The schema of an exploration report (`vgicsim explore --json`), checked field by field when a report is
// read back (`vgicsim merge`): a tampered or truncated shard must be refused with the file and the field
// named, never merged into nonsense. Beyond types and ranges, the counts must agree with each other the
// way an explorer writes them (outcomes add up to schedules; failing runs are the non-ok ones).
import type { ExhaustiveStats, Reduction } from '../explore/index.js';
import { REDUCTIONS } from '../explore/index.js';
import type { ExploreReport, ReportedFailure } from './explore-report.js';
import { ScenarioInputError } from './params.js';

const MODES = ['pct', 'random', 'exhaustive'] as const;
const TRACE_HASH = /^[0-9a-f]{8,64}$/;
const MAX_SEED = 0xffffffff;
/** Keys a report may carry: the report's own plus `replayFiles`, which `explore --json` adds. */
const KNOWN_KEYS = new Set([
  'version',
  'scenario',
  'strategy',
  'lockPolicy',
  'host',
  'params',
  'mode',
  'scenarioSeeds',
  'seedStart',
  'budget',
  'pctDepth',
  'pctSteps',
  'shards',
  'schedules',
  'outcomes',
  'failingRuns',
  'firstFailingSeed',
  'failures',
  'interrupted',
  'exhausted',
  'exhaustiveBound',
  'reduction',
  'pruned',
  'wallMs',
  'replayFiles',
]);
const FAILURE_KEYS = new Set(['scenarioSeed', 'outcome', 'message', 'messageClass', 'seed', 'occurrences', 'choices', 'traceHash', 'shrunk']);

type Doc = Record<string, unknown>;

function isRecord(v: unknown): v is Doc {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What was received, on one short line. */
function describe(v: unknown): string {
  if (v === undefined) return 'nothing (the field is missing)';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (isRecord(v)) return 'an object';
  const text = JSON.stringify(v);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

class Checker {
  constructor(private readonly source: string) {}

  fail(field: string, accepted: string, value: unknown): never {
    throw new ScenarioInputError(`${this.source}: bad field ${field}`, accepted, describe(value));
  }

  string(doc: Doc, key: string, path = key): string {
    const v = doc[key];
    if (typeof v !== 'string' || v.length === 0) this.fail(path, 'a non-empty string', v);
    return v;
  }

  int(doc: Doc, key: string, min: number, max: number, path = key): number {
    const v = doc[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) this.fail(path, `an integer in ${min}..${max}`, v);
    return v;
  }

  intOrNull(doc: Doc, key: string, min: number, max: number, path = key): number | null {
    return doc[key] === null ? null : this.int(doc, key, min, max, path);
  }

  bool(doc: Doc, key: string, fallback: boolean, path = key): boolean {
    const v = doc[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') this.fail(path, 'true or false', v);
    return v;
  }

  record(doc: Doc, key: string): Doc {
    const v = doc[key];
    if (!isRecord(v)) this.fail(key, 'an object', v);
    return v;
  }

  unknownKeys(doc: Doc, known: ReadonlySet<string>, prefix: string): void {
    for (const k of Object.keys(doc)) if (!known.has(k)) this.fail(`${prefix}${k}`, `absent (known fields: ${[...known].join(', ')})`, doc[k]);
  }
}

/**
 * Parses and checks a report written by `vgicsim explore --json`.
 * @throws ScenarioInputError naming `source` and the first bad field.
 */
export function parseExploreReport(text: string, source: string): ExploreReport {
  const c: Checker = new Checker(source);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new ScenarioInputError(`${source} is not JSON`, 'a report written by `vgicsim explore --json`', text.slice(0, 40));
  }
  if (!isRecord(doc)) throw new ScenarioInputError(`${source} is not an exploration report`, 'a JSON object written by `vgicsim explore --json`', describe(doc));
  if (doc['version'] !== 1) c.fail('version', '1', doc['version']);
  c.unknownKeys(doc, KNOWN_KEYS, '');
  const paramsDoc = c.record(doc, 'params');
  const params: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(paramsDoc)) {
    if (typeof v !== 'string' && typeof v !== 'boolean' && !(typeof v === 'number' && Number.isFinite(v))) c.fail(`params.${k}`, 'a string, a finite number or a boolean', v);
    params[k] = v;
  }
  const mode = doc['mode'];
  if (typeof mode !== 'string' || !(MODES as readonly string[]).includes(mode)) c.fail('mode', MODES.join(', '), mode);
  const budget = c.int(doc, 'budget', 1, Number.MAX_SAFE_INTEGER);
  const rawSeeds = doc['scenarioSeeds'];
  if (!Array.isArray(rawSeeds) || rawSeeds.length === 0) c.fail('scenarioSeeds', `a non-empty array of seeds in 0..${MAX_SEED}`, rawSeeds);
  const scenarioSeeds: number[] = [];
  (rawSeeds as unknown[]).forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > MAX_SEED) c.fail(`scenarioSeeds[${i}]`, `a seed in 0..${MAX_SEED}`, v);
    if (scenarioSeeds.includes(v)) c.fail(`scenarioSeeds[${i}]`, 'each seed once', v);
    scenarioSeeds.push(v);
  });
  const shardsDoc = c.record(doc, 'shards');
  const count = c.int(shardsDoc, 'count', 1, 1_000_000, 'shards.count');
  const rawIndices = shardsDoc['indices'];
  if (!Array.isArray(rawIndices) || rawIndices.length === 0) c.fail('shards.indices', `a non-empty array of shard numbers in 1..${count}`, rawIndices);
  const indices: number[] = [];
  (rawIndices as unknown[]).forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1 || v > count) c.fail(`shards.indices[${i}]`, `a shard number in 1..${count}`, v);
    if (indices.includes(v)) c.fail(`shards.indices[${i}]`, 'each shard once', v);
    indices.push(v);
  });
  c.unknownKeys(shardsDoc, new Set(['count', 'indices']), 'shards.');
  const schedules = c.int(doc, 'schedules', 0, budget);
  const outcomesDoc = c.record(doc, 'outcomes');
  const outcomes: Record<string, number> = {};
  let total = 0;
  for (const k of Object.keys(outcomesDoc)) {
    outcomes[k] = c.int(outcomesDoc, k, 0, schedules, `outcomes.${k}`);
    total += outcomes[k];
  }
  if (total !== schedules) c.fail('outcomes', `counts adding up to schedules (${schedules})`, total);
  const failingRuns = c.int(doc, 'failingRuns', 0, schedules);
  if (failingRuns !== schedules - (outcomes['ok'] ?? 0)) c.fail('failingRuns', `the non-ok schedules (${schedules - (outcomes['ok'] ?? 0)})`, failingRuns);
  const rawFailures = doc['failures'];
  if (!Array.isArray(rawFailures)) c.fail('failures', 'an array of failures', rawFailures);
  const failures = (rawFailures as unknown[]).map((f, i) => parseFailure(c, f, `failures[${i}]`, outcomes, scenarioSeeds));
  const occurrences = failures.reduce((s, f) => s + f.occurrences, 0);
  if (occurrences !== failingRuns) c.fail('failures', `occurrences adding up to failingRuns (${failingRuns})`, occurrences);
  const rawFiles = doc['replayFiles'];
  if (rawFiles !== undefined && !(Array.isArray(rawFiles) && rawFiles.every((f) => typeof f === 'string'))) c.fail('replayFiles', 'an array of paths', rawFiles);
  const wallMs = doc['wallMs'];
  if (typeof wallMs !== 'number' || !Number.isFinite(wallMs) || wallMs < 0) c.fail('wallMs', 'a number ≥ 0', wallMs);
  return {
    version: 1,
    scenario: c.string(doc, 'scenario'),
    strategy: c.string(doc, 'strategy'),
    lockPolicy: c.string(doc, 'lockPolicy'),
    host: c.string(doc, 'host'),
    params,
    mode: mode as (typeof MODES)[number],
    scenarioSeeds,
    seedStart: c.int(doc, 'seedStart', 0, MAX_SEED),
    budget,
    pctDepth: c.int(doc, 'pctDepth', 1, 100),
    pctSteps: c.intOrNull(doc, 'pctSteps', 1, Number.MAX_SAFE_INTEGER),
    shards: { count, indices },
    schedules,
    outcomes,
    failingRuns,
    firstFailingSeed: c.intOrNull(doc, 'firstFailingSeed', 0, Number.MAX_SAFE_INTEGER),
    failures,
    interrupted: c.bool(doc, 'interrupted', false),
    ...exhaustiveFields(c, doc, mode),
    wallMs,
  };
}

function parseFailure(c: Checker, v: unknown, path: string, outcomes: Readonly<Record<string, number>>, scenarioSeeds: readonly number[]): ReportedFailure {
  if (!isRecord(v)) c.fail(path, 'an object with outcome, message, seed, occurrences, choices, traceHash', v);
  c.unknownKeys(v, FAILURE_KEYS, `${path}.`);
  const outcome = c.string(v, 'outcome', `${path}.outcome`);
  const seen = outcomes[outcome] ?? 0;
  if (outcome === 'ok' || seen === 0) c.fail(`${path}.outcome`, 'a failing outcome counted in outcomes', outcome);
  const message = v['message'];
  if (typeof message !== 'string') c.fail(`${path}.message`, 'a string', message);
  const messageClass = v['messageClass'];
  if (typeof messageClass !== 'string') c.fail(`${path}.messageClass`, 'a string', messageClass);
  const rawChoices = v['choices'];
  if (!Array.isArray(rawChoices)) c.fail(`${path}.choices`, 'an array of integers ≥ 0', rawChoices);
  const choices = (rawChoices as unknown[]).map((x, i) => {
    if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) c.fail(`${path}.choices[${i}]`, 'an integer ≥ 0', x);
    return x;
  });
  const traceHash = v['traceHash'];
  if (typeof traceHash !== 'string' || !TRACE_HASH.test(traceHash)) c.fail(`${path}.traceHash`, 'a lowercase hex string of 8 to 64 digits', traceHash);
  const scenarioSeed = v['scenarioSeed'];
  if (typeof scenarioSeed !== 'number' || !scenarioSeeds.includes(scenarioSeed)) c.fail(`${path}.scenarioSeed`, `one of scenarioSeeds (${scenarioSeeds.join(', ')})`, scenarioSeed);
  return {
    scenarioSeed,
    outcome,
    message,
    messageClass,
    seed: c.intOrNull(v, 'seed', 0, Number.MAX_SAFE_INTEGER, `${path}.seed`),
    occurrences: c.int(v, 'occurrences', 1, seen, `${path}.occurrences`),
    choices,
    traceHash,
    shrunk: c.bool(v, 'shrunk', true, `${path}.shrunk`),
  };
}

/** `exhausted`/`exhaustiveBound`: booleans and counts for exhaustive reports, null otherwise (absent in older reports: null). */
function exhaustiveFields(
  c: Checker,
  doc: Doc,
  mode: string,
): { exhausted: boolean | null; exhaustiveBound: number | null; reduction: Reduction | null; pruned: ExhaustiveStats | null } {
  const exhausted = doc['exhausted'] ?? null;
  if (exhausted !== null && (typeof exhausted !== 'boolean' || mode !== 'exhaustive')) c.fail('exhausted', 'a boolean for an exhaustive report, else null', exhausted);
  const bound = doc['exhaustiveBound'] === undefined ? null : c.intOrNull(doc, 'exhaustiveBound', 1, 1_000_000);
  if (bound !== null && mode !== 'exhaustive') c.fail('exhaustiveBound', 'null for a pct or random report', bound);
  const reduction = doc['reduction'] ?? null;
  if (reduction !== null && (mode !== 'exhaustive' || !(REDUCTIONS as readonly unknown[]).includes(reduction))) {
    c.fail('reduction', `one of ${REDUCTIONS.join(', ')} for an exhaustive report, else null`, reduction);
  }
  const rawPruned = doc['pruned'] ?? null;
  let pruned: ExhaustiveStats | null = null;
  if (rawPruned !== null) {
    if (!isRecord(rawPruned) || mode !== 'exhaustive') c.fail('pruned', 'an object of counts for an exhaustive report, else null', rawPruned);
    pruned = {
      statePruned: c.int(rawPruned, 'statePruned', 0, Number.MAX_SAFE_INTEGER, 'pruned.statePruned'),
      sleepSkipped: c.int(rawPruned, 'sleepSkipped', 0, Number.MAX_SAFE_INTEGER, 'pruned.sleepSkipped'),
      sleepBlocked: c.int(rawPruned, 'sleepBlocked', 0, Number.MAX_SAFE_INTEGER, 'pruned.sleepBlocked'),
    };
  }
  return { exhausted, exhaustiveBound: bound, reduction: reduction as Reduction | null, pruned };
}
