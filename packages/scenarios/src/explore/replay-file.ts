// The replay file: everything needed to re-run one failing schedule (`vgicsim replay FILE`). A failing
// exploration produces exactly what the parser accepts, so a report can be replayed as-is. The parser is
// strict (unknown or missing fields are errors) because a silently ignored typo would replay a different
// run; its errors are one line naming the field, what is accepted and what was received.
import { TRACE_FORMAT_VERSION } from '@vgicsim/kvm-sim';

export type ReplayParamValue = string | number | boolean;

/**
 * Version 3: both seeds (the scenario's own, which drives its choices such as injection times, and the
 * schedule seed of the exploration run, null when the choices came from exhaustive search or shrinking),
 * the QEMU model options (named settings and reverted upstream fixes) the run used, and the format of its
 * trace hash (`traceFormat`, @vgicsim/kvm-sim's TRACE_FORMAT_VERSION). Versions 1 and 2 had no
 * `traceFormat`: their hashes are of trace format 1, which this build cannot check, so they are refused.
 */
export interface ReplayFile {
  version: 3;
  scenario: string;
  params: Record<string, ReplayParamValue>;
  strategy: string;
  /** Present when the strategy is a module: its absolute path and content hash (a changed module is refused). */
  strategyModule?: { path: string; sha256: string };
  lockPolicy: string;
  host: string;
  scenarioSeed: number;
  scheduleSeed: number | null;
  qemuOptions: Record<string, ReplayParamValue>;
  qemuRevert: string[];
  choices: number[];
  outcome: string;
  traceFormat: number;
  traceHash: string;
}

/** Field order of the format, which is also the order of formatReplayFile's output. */
export const REPLAY_FILE_FIELDS = [
  'version',
  'scenario',
  'params',
  'strategy',
  'strategyModule',
  'lockPolicy',
  'host',
  'scenarioSeed',
  'scheduleSeed',
  'qemuOptions',
  'qemuRevert',
  'choices',
  'outcome',
  'traceFormat',
  'traceHash',
] as const satisfies readonly (keyof ReplayFile)[];

export class ReplayFileError extends Error {
  override readonly name = 'ReplayFileError';
  constructor(
    /** The offending field (`choices[3]`, `params.vcpus`), or `(file)` for the document as a whole. */
    readonly field: string,
    readonly expected: string,
    readonly received: string,
    /** Replaces the default "malformed replay file" problem (a well-formed file this build refuses). */
    private readonly why?: string,
  ) {
    super(
      why === undefined
        ? `replay file: ${field === '(file)' ? 'the file' : `field "${field}"`} must be ${expected}; got ${received}`
        : `${why}; accepted: ${expected} (got ${received})`,
    );
  }

  /** The problem/accepted/received shape every input error shares (see apps/cli "Errors"). */
  get problem(): string {
    if (this.why !== undefined) return this.why;
    return this.field === '(file)' ? 'malformed replay file' : `malformed replay file: field ${this.field}`;
  }

  get accepted(): string {
    return this.expected;
  }
}

const TRACE_HASH = /^[0-9a-f]{8,64}$/;

export function parseReplayFile(text: string): ReplayFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new ReplayFileError('(file)', 'a JSON object', `invalid JSON (${oneLine(why)})`);
  }
  if (!isRecord(doc)) throw new ReplayFileError('(file)', 'a JSON object', describe(doc));
  // Version and trace format first: a file of another version is reported as such, not as a list of
  // odd fields, and one whose hash this build cannot check is refused before anything else.
  const version = doc['version'];
  if (version === 1 || version === 2) refuseTraceFormat(doc, 1, `a version ${version} file: written before trace format 2`);
  if (version !== 3) throw new ReplayFileError('version', 'the number 3', describe(version));
  const format = doc['traceFormat'];
  if (format === undefined) refuseTraceFormat(doc, 1, 'no traceFormat field: a file written before trace format 2');
  if (format !== TRACE_FORMAT_VERSION) refuseTraceFormat(doc, describe(format), `traceFormat ${describe(format)}`);
  const known = new Set<string>(REPLAY_FILE_FIELDS);
  for (const key of Object.keys(doc)) {
    if (!known.has(key)) {
      throw new ReplayFileError(key, `absent (not a field of a version ${version} file)`, describe(doc[key]));
    }
  }
  const mod = doc['strategyModule'] === undefined ? undefined : strategyModule(doc['strategyModule']);
  const common = {
    scenario: nonEmptyString(doc, 'scenario'),
    params: params(doc['params'], 'params'),
    strategy: nonEmptyString(doc, 'strategy'),
    ...(mod === undefined ? {} : { strategyModule: mod }),
    lockPolicy: nonEmptyString(doc, 'lockPolicy'),
    host: nonEmptyString(doc, 'host'),
  };
  const scenarioSeed = seed(doc['scenarioSeed'], 'scenarioSeed');
  if (scenarioSeed === null) throw new ReplayFileError('scenarioSeed', 'an integer', 'null');
  return {
    version: 3,
    ...common,
    scenarioSeed,
    scheduleSeed: seed(doc['scheduleSeed'], 'scheduleSeed'),
    qemuOptions: params(doc['qemuOptions'], 'qemuOptions'),
    qemuRevert: strings(doc['qemuRevert'], 'qemuRevert'),
    choices: choices(doc['choices']),
    outcome: nonEmptyString(doc, 'outcome'),
    traceFormat: TRACE_FORMAT_VERSION,
    traceHash: traceHash(doc['traceHash']),
  };
}

/**
 * A file whose trace hash is of another format cannot be checked by this build (the run it names may still
 * be fine): one line saying what the file has, what this build accepts and how to record a new file.
 */
function refuseTraceFormat(doc: Record<string, unknown>, format: string | number, received: string): never {
  const name = (field: string): string => {
    const v = doc[field];
    return typeof v === 'string' && /^[\w./@-]{1,64}$/.test(v) ? v : `<${field}>`;
  };
  throw new ReplayFileError(
    'traceFormat',
    `replay files of trace hash format ${TRACE_FORMAT_VERSION}`,
    received,
    `replay file recorded with trace hash format ${format}, which this build cannot check; ` +
      `re-record it with this build (vgicsim explore ${name('scenario')} --strategy ${name('strategy')} --out DIR, or vgicsim history --replay-dir DIR)`,
  );
}

/** Stable key order (params sorted by name), 2-space indentation, the choice list on one line. */
export function formatReplayFile(f: ReplayFile): string {
  const params: Record<string, ReplayParamValue> = {};
  for (const key of Object.keys(f.params).sort()) {
    const v = f.params[key];
    if (v !== undefined) params[key] = v;
  }
  const qemuOptions: Record<string, ReplayParamValue> = {};
  for (const key of Object.keys(f.qemuOptions).sort()) {
    const v = f.qemuOptions[key];
    if (v !== undefined) qemuOptions[key] = v;
  }
  const fields: [string, unknown][] = [
    ['version', f.version],
    ['scenario', f.scenario],
    ['params', params],
    ['strategy', f.strategy],
    ...(f.strategyModule === undefined ? [] : [['strategyModule', { path: f.strategyModule.path, sha256: f.strategyModule.sha256 }] as [string, unknown]]),
    ['lockPolicy', f.lockPolicy],
    ['host', f.host],
    ['scenarioSeed', f.scenarioSeed],
    ['scheduleSeed', f.scheduleSeed],
    ['qemuOptions', qemuOptions],
    ['qemuRevert', f.qemuRevert],
    ['choices', f.choices],
    ['outcome', f.outcome],
    ['traceFormat', f.traceFormat],
    ['traceHash', f.traceHash],
  ];
  const lines = fields.map(([key, value], i) => {
    // A long run has thousands of choices: one per line would drown the rest of the file.
    const body =
      key === 'choices'
        ? `[${f.choices.join(', ')}]`
        : key === 'qemuRevert'
          ? JSON.stringify(value)
          : JSON.stringify(value, null, 2).replace(/\n/g, '\n  ');
    return `  ${JSON.stringify(key)}: ${body}${i < fields.length - 1 ? ',' : ''}`;
  });
  return `{\n${lines.join('\n')}\n}\n`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nonEmptyString(doc: Record<string, unknown>, field: string): string {
  const v = doc[field];
  if (typeof v !== 'string' || v.length === 0) throw new ReplayFileError(field, 'a non-empty string', describe(v));
  return v;
}

function params(v: unknown, field: string): Record<string, ReplayParamValue> {
  if (!isRecord(v)) throw new ReplayFileError(field, 'an object of string, number or boolean values', describe(v));
  const out: Record<string, ReplayParamValue> = {};
  for (const [key, value] of Object.entries(v)) {
    const ok = typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
    if (!ok) throw new ReplayFileError(`${field}.${key}`, 'a string, a finite number or a boolean', describe(value));
    out[key] = value;
  }
  return out;
}

function strategyModule(v: unknown): { path: string; sha256: string } {
  const expected = 'an object {path, sha256} with a non-empty path and a 64-digit lowercase hex sha256';
  if (!isRecord(v)) throw new ReplayFileError('strategyModule', expected, describe(v));
  const keys = Object.keys(v).sort().join(',');
  const path = v['path'];
  const sha = v['sha256'];
  if (keys !== 'path,sha256' || typeof path !== 'string' || path.length === 0 || typeof sha !== 'string' || !/^[0-9a-f]{64}$/.test(sha)) {
    throw new ReplayFileError('strategyModule', expected, keys === 'path,sha256' ? `path ${describe(path)}, sha256 ${describe(sha)}` : `keys ${keys || '(none)'}`);
  }
  return { path, sha256: sha };
}

function strings(v: unknown, field: string): string[] {
  if (!Array.isArray(v)) throw new ReplayFileError(field, 'an array of non-empty strings', describe(v));
  const list: unknown[] = v;
  return list.map((x, i) => {
    if (typeof x !== 'string' || x.length === 0) throw new ReplayFileError(`${field}[${i}]`, 'a non-empty string', describe(x));
    return x;
  });
}

function seed(v: unknown, field: string): number | null {
  if (v === null) return null;
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new ReplayFileError(field, 'an integer or null', describe(v));
  return v;
}

function choices(v: unknown): number[] {
  if (!Array.isArray(v)) throw new ReplayFileError('choices', 'an array of integers ≥ 0', describe(v));
  const list: unknown[] = v;
  return list.map((c, i) => {
    if (typeof c !== 'number' || !Number.isSafeInteger(c) || c < 0) {
      throw new ReplayFileError(`choices[${i}]`, 'an integer ≥ 0', describe(c));
    }
    return c;
  });
}

function traceHash(v: unknown): string {
  if (typeof v !== 'string' || !TRACE_HASH.test(v)) {
    throw new ReplayFileError('traceHash', 'a lowercase hex string of 8 to 64 digits', describe(v));
  }
  return v;
}

/** What was received, on one short line. */
function describe(v: unknown): string {
  if (v === undefined) return 'nothing (the field is missing)';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object' && v !== null) return 'an object';
  if (typeof v === 'string' && v.length > 32) return `${JSON.stringify(v.slice(0, 32))}… (${v.length} characters)`;
  return JSON.stringify(v);
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
