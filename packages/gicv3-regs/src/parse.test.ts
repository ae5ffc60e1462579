import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RegsInputError } from './errors.js';
import { U64_MAX, formatHex, parseRegisterValue } from './parse.js';

function rejection(input: string | bigint | number): RegsInputError {
  try {
    parseRegisterValue(input);
  } catch (e) {
    if (e instanceof RegsInputError) return e;
    throw e;
  }
  throw new Error(`expected ${String(input)} to be rejected`);
}

describe('parseRegisterValue', () => {
  it('accepts hex, decimal, bigint and safe numbers', () => {
    expect(parseRegisterValue('0x8400')).toBe(0x8400n);
    expect(parseRegisterValue('0X8400')).toBe(0x8400n);
    expect(parseRegisterValue('0xFFFFffffFFFFffff')).toBe(U64_MAX);
    expect(parseRegisterValue('33792')).toBe(0x8400n);
    expect(parseRegisterValue(' 0x10 ')).toBe(16n);
    expect(parseRegisterValue(0x000001030000c664n)).toBe(0x000001030000c664n);
    expect(parseRegisterValue(7)).toBe(7n);
    expect(parseRegisterValue('18446744073709551615')).toBe(U64_MAX);
  });

  it.each([
    ['-1', 'negative value'],
    ['-0x10', 'negative value'],
    ['0x10000000000000000', 'value above 2^64-1'],
    ['18446744073709551616', 'value above 2^64-1'],
    ['zz', 'not a number'],
    ['0x', 'not a number'],
    ['0x8400g', 'not a number'],
    ['1.5', 'not a number'],
    ['', 'empty value'],
    ['   ', 'empty value'],
  ])('rejects %j (%s) naming the problem, what is accepted and the text', (text, problem) => {
    const e = rejection(text);
    expect(e.kind).toBe('value');
    expect(e.problem).toBe(problem);
    expect(e.received).toBe(text);
    expect(e.message).toBe(`${problem}; ${e.accepted} (got '${text}')`);
    expect(e.accepted).toMatch(/0x-prefixed hex/);
  });

  it('rejects negative and oversized bigints and bad numbers', () => {
    expect(rejection(-1n).problem).toBe('negative value');
    expect(rejection(U64_MAX + 1n).problem).toBe('value above 2^64-1');
    expect(rejection(1.5).problem).toBe('not an integer');
    expect(rejection(2 ** 60).problem).toMatch(/precision/);
    expect(rejection(-3).problem).toBe('negative value');
  });

  it('round-trips every u64 through its hex and decimal text', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: U64_MAX }), (v) => {
        expect(parseRegisterValue(formatHex(v))).toBe(v);
        expect(parseRegisterValue(v.toString(10))).toBe(v);
      }),
    );
  });
});

describe('formatHex', () => {
  it('pads to 16 lower-case digits by default', () => {
    expect(formatHex(0xc664n)).toBe('0x000000000000c664');
    expect(formatHex(0xc664, 4)).toBe('0xc664');
  });
});
