import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import type { CommandSpec } from './flags.js';
import { parseArgs, usageLine } from './flags.js';
import { closest, editDistance } from './suggest.js';

const SPEC = {
  name: 'demo',
  summary: 's',
  description: 'd',
  positionals: [
    { name: 'A', description: 'a', required: true },
    { name: 'REST', description: 'r', required: false, variadic: true },
  ],
  flags: {
    seed: { type: 'number', description: 'seed', integer: true, min: 0, default: 1 },
    scale: { type: 'number', description: 'scale' },
    name: { type: 'string', description: 'name' },
    tag: { type: 'string[]', description: 'tags', valueName: 'TAG' },
    verbose: { type: 'boolean', description: 'v' },
  },
  examples: [],
} as const satisfies CommandSpec;

describe('parseArgs', () => {
  it('applies typed defaults', () => {
    const r = parseArgs(SPEC, ['x']);
    expect(r).toEqual({ help: false, positionals: ['x'], flags: { seed: 1, scale: undefined, name: undefined, tag: [], verbose: false } });
  });

  it('parses every flag type and form', () => {
    const r = parseArgs(SPEC, ['x', '--seed=0x10', '--scale', '-0.5', '--name', 'n', '--tag', 'a', '--tag=b', '--verbose', 'y', '--', '--not-a-flag']);
    if (r.help) throw new Error('unexpected help');
    expect(r.flags).toEqual({ seed: 16, scale: -0.5, name: 'n', tag: ['a', 'b'], verbose: true });
    expect(r.positionals).toEqual(['x', 'y', '--not-a-flag']);
    // Typed access: these lines only compile if the value types are inferred from the table.
    const seed: number = r.flags.seed;
    const scale: number | undefined = r.flags.scale;
    const tags: readonly string[] = r.flags.tag;
    expect([seed, scale, tags.length]).toEqual([16, -0.5, 2]);
  });

  it('treats negative-number-looking tokens as positionals', () => {
    const r = parseArgs(SPEC, ['-1', '-0x2']);
    expect(r).toMatchObject({ positionals: ['-1', '-0x2'] });
  });

  it('reports help', () => {
    expect(parseArgs(SPEC, ['--help', '--bogus'])).toEqual({ help: true });
  });

  it.each([
    [['x', '--seed', '-1'], /--seed out of range/],
    [['x', '--seed', '1.5'], /--seed needs an integer/],
    [['x', '--verbose=maybe'], /--verbose is a switch/],
    [['x', '--name'], /--name needs a value/],
    [['x', '-q'], /unknown option/],
    [[], /missing argument <A>/],
    [['x', '--name', '--verbose'], /--name needs a value, not an option; accepted: --name VALUE, or --name=--verbose for a value that starts with -/],
    [['x', '--name', '-q'], /--name needs a value, not an option/],
    [['x', '--seed', '2', '--seed', '3'], /--seed given twice/],
    [['x', '--verbose', '--verbose'], /--verbose given twice/],
    [['x', '--name=a', '--name', 'b'], /--name given twice/],
  ])('rejects %j', (argv, pattern) => {
    expect(() => parseArgs(SPEC, argv)).toThrow(UsageError);
    expect(() => parseArgs(SPEC, argv)).toThrow(pattern);
  });

  it('takes an option-like value given as --flag=value, `-` as a value, and repeats list flags', () => {
    const r = parseArgs(SPEC, ['x', '--name=--verbose', '--tag', '-', '--tag', 'b']);
    expect(r).toMatchObject({ help: false, flags: { name: '--verbose', tag: ['-', 'b'], verbose: false } });
  });

  it('builds the usage line', () => {
    expect(usageLine(SPEC)).toBe('vgicsim demo <A> [REST…] [--seed VALUE] [--scale VALUE] [--name VALUE] [--tag TAG] [--verbose]');
  });
});

describe('suggestions', () => {
  it('edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('suggests only close names', () => {
    expect(closest('icc_ctrl_el1', ['ICC_CTLR_EL1', 'ICC_PMR_EL1'])).toBe('ICC_CTLR_EL1');
    expect(closest('zzzzzz', ['decode', 'encode'])).toBeUndefined();
    expect(closest('', ['decode'])).toBeUndefined();
  });
});
