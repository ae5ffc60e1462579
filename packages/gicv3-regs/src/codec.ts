// The one generic codec: every operation works from a RegisterSpec's field table, so adding a register
// never needs code here. Field values are numbers (every named field is at most 32 bits wide); whole
// register values are bigint.
import { RegsInputError, describeReceived } from './errors.js';
import type { FieldSpec, LayoutField, RegisterSpec } from './field-table.js';
import { fieldMask, fieldMaxBig, fieldWidth, isReserved, layout, res1Mask, widthMask } from './field-table.js';
import { formatHex } from './parse.js';

/** Named field values of a register, reserved ranges excluded. Keys are canonical field names, msb first. */
export type FieldValues = Readonly<Record<string, number>>;

/** Input to encode(): field name (any case) → value. */
export type FieldInput = Readonly<Record<string, number | bigint>>;

export type RegsProblemCode = 'out-of-width' | 'res0-set' | 'res1-clear' | 'reserved-value';

export interface RegsProblem {
  readonly code: RegsProblemCode;
  /** The field concerned (RES0/RES1 for reserved ranges). */
  readonly field: string;
  readonly msb: number;
  readonly lsb: number;
  readonly message: string;
}

export interface FieldChange {
  /** Field name; reserved ranges are named like "RES0[63:20]". */
  readonly field: string;
  readonly msb: number;
  readonly lsb: number;
  readonly from: bigint;
  readonly to: bigint;
}

function bitsText(f: Pick<FieldSpec, 'msb' | 'lsb'>): string {
  return f.msb === f.lsb ? `${f.msb}` : `${f.msb}:${f.lsb}`;
}

/** @throws RegsInputError (kind 'value') unless 0 <= value < 2^width. */
export function assertFitsRegister(reg: RegisterSpec, value: bigint): void {
  if (value < 0n || value > widthMask(reg)) {
    throw new RegsInputError({
      kind: 'value',
      problem: `value does not fit the ${reg.width}-bit register ${reg.name}`,
      accepted: `accepted: 0..${formatHex(widthMask(reg), reg.width / 4)}`,
      received: describeReceived(value),
    });
  }
}

function extract(value: bigint, f: Pick<FieldSpec, 'msb' | 'lsb'>): bigint {
  return (value >> BigInt(f.lsb)) & fieldMaxBig(f);
}

const namedCache = new WeakMap<RegisterSpec, readonly LayoutField[]>();

/**
 * The named (non-reserved) fields of a register, msb first. Computed once per register: decode and encode
 * look them up on every simulated register access.
 */
export function namedFields(reg: RegisterSpec): readonly LayoutField[] {
  let named = namedCache.get(reg);
  if (named === undefined) {
    named = layout(reg).filter((f) => !isReserved(f));
    namedCache.set(reg, named);
  }
  return named;
}

/**
 * Finds a named field case-insensitively.
 * @throws RegsInputError (kind 'field') listing the register's fields; `candidates` holds them.
 */
export function findField(reg: RegisterSpec, name: string): LayoutField {
  const key = name.trim().toUpperCase();
  const fields = namedFields(reg);
  const found = fields.find((f) => f.name.toUpperCase() === key);
  if (found !== undefined) return found;
  const names = fields.map((f) => f.name);
  throw new RegsInputError({
    kind: 'field',
    problem: `unknown field of ${reg.name}`,
    accepted: `accepted: ${names.join(', ')} (case-insensitive)`,
    received: name,
    candidates: names,
  });
}

/** Decodes every named field. @throws RegsInputError if `value` does not fit the register width. */
export function decode(reg: RegisterSpec, value: bigint): FieldValues {
  assertFitsRegister(reg, value);
  const out: Record<string, number> = {};
  for (const f of namedFields(reg)) out[f.name] = Number(extract(value, f));
  return out;
}

/** One field's value. @throws RegsInputError for an unknown field or a value wider than the register. */
export function getField(reg: RegisterSpec, value: bigint, name: string): number {
  assertFitsRegister(reg, value);
  return Number(extract(value, findField(reg, name)));
}

function checkFieldValue(reg: RegisterSpec, f: LayoutField, input: number | bigint): bigint {
  const max = fieldMaxBig(f);
  const v = typeof input === 'bigint' ? input : Number.isSafeInteger(input) ? BigInt(input) : -1n;
  if (v < 0n || v > max) {
    throw new RegsInputError({
      kind: 'field-value',
      problem: `value out of range for ${reg.name}.${f.name} (bits ${bitsText(f)}, ${fieldWidth(f)} bit${fieldWidth(f) === 1 ? '' : 's'})`,
      accepted: `accepted: 0..${max} (0x0..${formatHex(max, 1)})`,
      received: describeReceived(input),
    });
  }
  return v;
}

/**
 * Builds a register value from field values; fields not given are 0 and RES1 bits are set.
 * Field names are matched case-insensitively. Read-only fields may be given (this builds a value; it
 * does not model a write).
 * @throws RegsInputError for unknown fields (kind 'field') or out-of-range values (kind 'field-value').
 */
export function encode(reg: RegisterSpec, values: FieldInput): bigint {
  let out = res1Mask(reg);
  for (const [name, v] of Object.entries(values)) {
    const f = findField(reg, name);
    out = (out & ~fieldMask(f)) | (checkFieldValue(reg, f, v) << BigInt(f.lsb));
  }
  return out;
}

/** Returns `value` with one field replaced. @throws RegsInputError as encode() does. */
export function withField(reg: RegisterSpec, value: bigint, name: string, fieldValue: number | bigint): bigint {
  assertFitsRegister(reg, value);
  const f = findField(reg, name);
  return (value & ~fieldMask(f)) | (checkFieldValue(reg, f, fieldValue) << BigInt(f.lsb));
}

/**
 * Lists what is wrong with a value: bits beyond the register width, RES0 bits set, RES1 bits clear, and
 * architecturally reserved values of fields that enumerate their allowed values. Empty = valid.
 */
export function validate(reg: RegisterSpec, value: bigint): readonly RegsProblem[] {
  const problems: RegsProblem[] = [];
  if (value < 0n || value > widthMask(reg)) {
    problems.push({
      code: 'out-of-width',
      field: reg.name,
      msb: 63,
      lsb: reg.width,
      message: `value ${describeReceived(value)} does not fit the ${reg.width}-bit register`,
    });
    return problems;
  }
  for (const f of layout(reg)) {
    const v = extract(value, f);
    if (f.access === 'RES0' && v !== 0n) {
      problems.push({ code: 'res0-set', field: f.name, msb: f.msb, lsb: f.lsb, message: `RES0 bits ${bitsText(f)} set (${formatHex(v << BigInt(f.lsb), 1)})` });
    } else if (f.access === 'RES1' && v !== fieldMaxBig(f)) {
      problems.push({ code: 'res1-clear', field: f.name, msb: f.msb, lsb: f.lsb, message: `RES1 bits ${bitsText(f)} not all set` });
    } else if (f.allowedValues !== undefined && !f.allowedValues.includes(Number(v))) {
      problems.push({
        code: 'reserved-value',
        field: f.name,
        msb: f.msb,
        lsb: f.lsb,
        message: `${f.name} = ${v} is a reserved value (defined: ${f.allowedValues.join(', ')})`,
      });
    }
  }
  return problems;
}

/** Field-by-field differences between two values, msb first; reserved ranges are included when they differ. */
export function diff(reg: RegisterSpec, a: bigint, b: bigint): readonly FieldChange[] {
  assertFitsRegister(reg, a);
  assertFitsRegister(reg, b);
  const changes: FieldChange[] = [];
  for (const f of layout(reg)) {
    const from = extract(a, f);
    const to = extract(b, f);
    if (from === to) continue;
    const field = isReserved(f) ? `${f.name}[${bitsText(f)}]` : f.name;
    changes.push({ field, msb: f.msb, lsb: f.lsb, from, to });
  }
  return changes;
}

/** "msb:lsb" or "n" for a single bit. */
export function formatBits(f: Pick<FieldSpec, 'msb' | 'lsb'>): string {
  return bitsText(f);
}
