import { describe, expect, it } from 'vitest';
import { type ReplayFile, ReplayFileError, formatReplayFile, parseReplayFile } from './replay-file.js';

const VALID: ReplayFile = {
  version: 3,
  scenario: 'reset-storm',
  params: { vcpus: 4, guest: 'wfi-loop', smp: true },
  strategy: 'kvm-get-retry',
  lockPolicy: 'all-vcpus',
  host: 'neoverse-n1',
  scenarioSeed: 42,
  scheduleSeed: 7,
  qemuOptions: { 'halt-in-kernel': false },
  qemuRevert: ['f962cac4c2'],
  choices: [0, 2, 1, 0, 3],
  outcome: 'deadlock',
  traceFormat: 2,
  traceHash: '0123456789abcdef',
};

const V1 = {
  version: 1,
  scenario: 'reset-storm',
  params: { vcpus: 4 },
  strategy: 'kvm-get-retry',
  lockPolicy: 'all-vcpus',
  host: 'neoverse-n1',
  seed: 42,
  choices: [0, 2],
  outcome: 'deadlock',
  traceHash: '0123456789abcdef',
};

function withField(field: string, value: unknown): string {
  return JSON.stringify({ ...VALID, [field]: value });
}

function without(field: keyof ReplayFile): string {
  const { [field]: _dropped, ...rest } = VALID;
  return JSON.stringify(rest);
}

function errorOf(text: string): ReplayFileError {
  try {
    parseReplayFile(text);
  } catch (e) {
    if (e instanceof ReplayFileError) return e;
    throw e;
  }
  throw new Error('expected a ReplayFileError');
}

describe('replay file format', () => {
  it('round-trips through format and parse', () => {
    expect(parseReplayFile(formatReplayFile(VALID))).toEqual(VALID);
    const bare = { ...VALID, scheduleSeed: null, choices: [], params: {}, qemuOptions: {}, qemuRevert: [] };
    expect(parseReplayFile(formatReplayFile(bare))).toEqual(bare);
  });

  it('refuses files of trace hash format 1 (versions 1 and 2, no traceFormat) with one line saying how to re-record', () => {
    const { traceFormat: _f, ...v2 } = { ...VALID, version: 2 };
    for (const old of [V1, v2]) {
      const e = errorOf(JSON.stringify(old));
      expect(e.received).toBe(`a version ${old.version} file: written before trace format 2`);
      expect(e.field).toBe('traceFormat');
      expect(e.problem).toBe(
        'replay file recorded with trace hash format 1, which this build cannot check; re-record it with this build (vgicsim explore reset-storm --strategy kvm-get-retry --out DIR, or vgicsim history --replay-dir DIR)',
      );
      expect(e.accepted).toBe('replay files of trace hash format 2');
      expect(e.message).not.toContain('\n');
    }
    // A traceFormat field does not make an older file one of this build.
    expect(errorOf(JSON.stringify({ ...V1, traceFormat: 2 })).field).toBe('traceFormat');
  });

  it('refuses a version 3 file of another or no trace format, naming what it has', () => {
    expect(errorOf(withField('traceFormat', 1)).problem).toContain('recorded with trace hash format 1, which this build cannot check');
    expect(errorOf(withField('traceFormat', 3)).received).toBe('traceFormat 3');
    expect(errorOf(withField('traceFormat', '2')).received).toBe('traceFormat "2"');
    expect(errorOf(without('traceFormat')).received).toBe('no traceFormat field: a file written before trace format 2');
    // A strange scenario name is not echoed into the advice.
    expect(errorOf(JSON.stringify({ ...V1, scenario: 'a b\nc' })).problem).toContain('vgicsim explore <scenario> --strategy kvm-get-retry');
  });

  it('refuses a version 1 field in a version 3 file, naming the version', () => {
    expect(errorOf(withField('seed', 3)).message).toContain('absent (not a field of a version 3 file)');
  });

  it('formats with a stable key order, sorted params, 2-space indentation and a trailing newline', () => {
    const text = formatReplayFile({ ...VALID, params: { b: 1, a: 'x' } });
    expect(text.endsWith('}\n')).toBe(true);
    const keys = [...text.matchAll(/^ {2}"(\w+)":/gm)].map((m) => m[1]);
    expect(keys).toEqual([
      'version',
      'scenario',
      'params',
      'strategy',
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
    ]);
    expect(text).toContain('  "qemuRevert": ["f962cac4c2"],\n');
    expect(text).toContain('  "params": {\n    "a": "x",\n    "b": 1\n  },\n');
    expect(text).toContain('  "choices": [0, 2, 1, 0, 3],\n');
    // Same input, same bytes, whatever the key order of the object given.
    const reordered: ReplayFile = {
      traceHash: VALID.traceHash,
      traceFormat: VALID.traceFormat,
      outcome: VALID.outcome,
      choices: VALID.choices,
      qemuRevert: VALID.qemuRevert,
      qemuOptions: VALID.qemuOptions,
      scheduleSeed: VALID.scheduleSeed,
      scenarioSeed: VALID.scenarioSeed,
      host: VALID.host,
      lockPolicy: VALID.lockPolicy,
      strategy: VALID.strategy,
      params: { smp: true, guest: 'wfi-loop', vcpus: 4 },
      scenario: VALID.scenario,
      version: 3,
    };
    expect(formatReplayFile(reordered)).toBe(formatReplayFile(VALID));
  });

  const cases: [string, string, string, string][] = [
    // [text, field, accepted (fragment), received (fragment)]
    ['{not json', '(file)', 'a JSON object', 'invalid JSON'],
    ['[1, 2]', '(file)', 'a JSON object', 'an array of 2'],
    [withField('version', 4), 'version', 'the number 3', 'got 4'],
    [without('version'), 'version', 'the number 3', 'missing'],
    [withField('extra', 1), 'extra', 'absent (not a field of a version 3 file)', 'got 1'],
    [withField('scenario', ''), 'scenario', 'a non-empty string', 'got ""'],
    [without('scenario'), 'scenario', 'a non-empty string', 'missing'],
    [withField('params', [1]), 'params', 'an object of string, number or boolean values', 'an array of 1'],
    [withField('params', { vcpus: null }), 'params.vcpus', 'a string, a finite number or a boolean', 'got null'],
    [withField('params', { nested: { a: 1 } }), 'params.nested', 'a string, a finite number or a boolean', 'an object'],
    [withField('strategy', 3), 'strategy', 'a non-empty string', 'got 3'],
    [withField('lockPolicy', false), 'lockPolicy', 'a non-empty string', 'got false'],
    [without('host'), 'host', 'a non-empty string', 'missing'],
    [withField('scheduleSeed', 1.5), 'scheduleSeed', 'an integer or null', 'got 1.5'],
    [withField('scenarioSeed', '7'), 'scenarioSeed', 'an integer or null', 'got "7"'],
    [withField('scenarioSeed', null), 'scenarioSeed', 'an integer', 'got null'],
    [withField('qemuOptions', [1]), 'qemuOptions', 'an object of string, number or boolean values', 'an array of 1'],
    [withField('qemuRevert', 'f962cac4c2'), 'qemuRevert', 'an array of non-empty strings', 'got "f962cac4c2"'],
    [withField('qemuRevert', ['']), 'qemuRevert[0]', 'a non-empty string', 'got ""'],
    [withField('choices', 'abc'), 'choices', 'an array of integers ≥ 0', 'got "abc"'],
    [withField('choices', [0, 1, -1]), 'choices[2]', 'an integer ≥ 0', 'got -1'],
    [withField('choices', [0, 0.5]), 'choices[1]', 'an integer ≥ 0', 'got 0.5'],
    [withField('outcome', null), 'outcome', 'a non-empty string', 'got null'],
    [withField('traceHash', 'XYZ'), 'traceHash', 'a lowercase hex string of 8 to 64 digits', 'got "XYZ"'],
    [withField('traceHash', 'a'.repeat(100)), 'traceHash', 'a lowercase hex string', '(100 characters)'],
  ];
  for (const [text, field, accepted, received] of cases) {
    it(`rejects a bad ${field} (${received})`, () => {
      const e = errorOf(text);
      expect(e.field).toBe(field);
      expect(e.message).toContain(field === '(file)' ? 'the file' : `field "${field}"`);
      expect(e.message).toContain(`must be ${accepted}`);
      expect(e.message).toContain(received);
      expect(e.message).not.toContain('\n');
      expect(e.message.length).toBeLessThan(200);
    });
  }
});
