import { describe, expect, it } from 'vitest';
import { type ReplayFile, ReplayFileError, formatReplayFile, parseReplayFile } from './replay-file.js';

const VALID: ReplayFile = {
  version: 1,
  scenario: 'reset-storm',
  params: { vcpus: 4, guest: 'wfi-loop', smp: true },
  strategy: 'kvm-get-retry',
  lockPolicy: 'all-vcpus',
  host: 'neoverse-n1',
  seed: 42,
  choices: [0, 2, 1, 0, 3],
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
    expect(parseReplayFile(formatReplayFile({ ...VALID, seed: null, choices: [], params: {} }))).toEqual({ ...VALID, seed: null, choices: [], params: {} });
  });

  it('formats with a stable key order, sorted params, 2-space indentation and a trailing newline', () => {
    const text = formatReplayFile({ ...VALID, params: { b: 1, a: 'x' } });
    expect(text.endsWith('}\n')).toBe(true);
    const keys = [...text.matchAll(/^ {2}"(\w+)":/gm)].map((m) => m[1]);
    expect(keys).toEqual(['version', 'scenario', 'params', 'strategy', 'lockPolicy', 'host', 'seed', 'choices', 'outcome', 'traceHash']);
    expect(text).toContain('  "params": {\n    "a": "x",\n    "b": 1\n  },\n');
    expect(text).toContain('  "choices": [0, 2, 1, 0, 3],\n');
    // Same input, same bytes, whatever the key order of the object given.
    const reordered: ReplayFile = {
      traceHash: VALID.traceHash,
      outcome: VALID.outcome,
      choices: VALID.choices,
      seed: VALID.seed,
      host: VALID.host,
      lockPolicy: VALID.lockPolicy,
      strategy: VALID.strategy,
      params: { smp: true, guest: 'wfi-loop', vcpus: 4 },
      scenario: VALID.scenario,
      version: 1,
    };
    expect(formatReplayFile(reordered)).toBe(formatReplayFile(VALID));
  });

  const cases: [string, string, string, string][] = [
    // [text, field, accepted (fragment), received (fragment)]
    ['{not json', '(file)', 'a JSON object', 'invalid JSON'],
    ['[1, 2]', '(file)', 'a JSON object', 'an array of 2'],
    [withField('version', 2), 'version', 'the number 1', 'got 2'],
    [without('version'), 'version', 'the number 1', 'missing'],
    [withField('extra', 1), 'extra', 'absent (a version 1 file has only version, scenario', 'got 1'],
    [withField('scenario', ''), 'scenario', 'a non-empty string', 'got ""'],
    [without('scenario'), 'scenario', 'a non-empty string', 'missing'],
    [withField('params', [1]), 'params', 'an object of string, number or boolean values', 'an array of 1'],
    [withField('params', { vcpus: null }), 'params.vcpus', 'a string, a finite number or a boolean', 'got null'],
    [withField('params', { nested: { a: 1 } }), 'params.nested', 'a string, a finite number or a boolean', 'an object'],
    [withField('strategy', 3), 'strategy', 'a non-empty string', 'got 3'],
    [withField('lockPolicy', false), 'lockPolicy', 'a non-empty string', 'got false'],
    [without('host'), 'host', 'a non-empty string', 'missing'],
    [withField('seed', 1.5), 'seed', 'an integer or null', 'got 1.5'],
    [withField('seed', '7'), 'seed', 'an integer or null', 'got "7"'],
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
