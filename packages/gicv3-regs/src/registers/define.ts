// Terse constructors for the register tables, so each table reads like the Arm field table it copies.
import type { FieldAccess, FieldSpec } from '../field-table.js';

type Extra = Partial<Pick<FieldSpec, 'condition' | 'allowedValues' | 'unverified'>>;

/** A multi-bit field [msb:lsb]. */
export function field(name: string, msb: number, lsb: number, access: FieldAccess, meaning: string, extra: Extra = {}): FieldSpec {
  return { name, msb, lsb, access, meaning, ...extra };
}

/** A single-bit field. */
export function bit(name: string, at: number, access: FieldAccess, meaning: string, extra: Extra = {}): FieldSpec {
  return field(name, at, at, access, meaning, extra);
}
