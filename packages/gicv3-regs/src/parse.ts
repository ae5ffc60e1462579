// Parsing and formatting of register values. Register values are bigint because every register here is
// (or may be) 64 bits wide and JavaScript numbers lose precision above 2^53.
import { RegsInputError, describeReceived } from './errors.js';

/** 2^64 - 1, the largest value a 64-bit register can hold. */
export const U64_MAX: bigint = (1n << 64n) - 1n;

const VALUE_ACCEPTED =
  'accepted: a 0x-prefixed hex or a decimal integer in 0..2^64-1 (0xffffffffffffffff), or a bigint';

const HEX = /^0x([0-9a-f]+)$/i;
const DEC = /^[0-9]+$/;
const NEGATIVE = /^-\s*(0x[0-9a-f]+|[0-9]+)$/i;

function reject(problem: string, input: unknown): never {
  throw new RegsInputError({ kind: 'value', problem, accepted: VALUE_ACCEPTED, received: describeReceived(input) });
}

/**
 * Parses a register value from "0x…" hex (case-insensitive), a decimal string, a bigint or a safe
 * non-negative integer number. Surrounding whitespace in strings is ignored.
 * @throws RegsInputError (kind 'value') for empty text, negatives, values above 2^64-1 and anything else.
 */
export function parseRegisterValue(input: string | bigint | number): bigint {
  let value: bigint;
  if (typeof input === 'bigint') {
    value = input;
  } else if (typeof input === 'number') {
    if (!Number.isInteger(input)) reject('not an integer', input);
    if (!Number.isSafeInteger(input)) reject('number beyond 2^53 would lose precision (pass a string or bigint)', input);
    value = BigInt(input);
  } else if (typeof input === 'string') {
    const text = input.trim();
    if (text === '') reject('empty value', input);
    if (NEGATIVE.test(text)) reject('negative value', input);
    const hex = HEX.exec(text);
    if (hex?.[1] !== undefined) value = BigInt(`0x${hex[1]}`);
    else if (DEC.test(text)) value = BigInt(text);
    else reject('not a number', input);
  } else {
    reject('unsupported value type', input);
  }
  if (value < 0n) reject('negative value', input);
  if (value > U64_MAX) reject('value above 2^64-1', input);
  return value;
}

/** Formats a value as lower-case "0x" hex zero-padded to `digits` (16 by default: a full 64-bit value). */
export function formatHex(value: bigint | number, digits = 16): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}
