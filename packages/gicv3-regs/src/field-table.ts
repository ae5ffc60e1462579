// The data model: a register is plain data (name, width, encoding, fields) and one generic codec works
// from it. This file holds the types plus the small helpers every other module needs (masks, the full
// bit layout with RES0 gaps filled in, and configuration-dependent access).

/**
 * Field access as the Arm spec tables give it. RES0/RES1 mark reserved bits; WI is write-ignored
 * (reads as the field value, writes have no effect).
 */
export type FieldAccess = 'RO' | 'RW' | 'RES0' | 'RES1' | 'WI';

/** Configuration facts an access condition can depend on. */
export type ConditionPredicate =
  /** EL3 is implemented. */
  | 'el3'
  /** EL3 is implemented and GICD_CTLR.DS == 0 (two Security states). */
  | 'el3-ds0';

/** Access that replaces the field's normal access when a configuration predicate holds. */
export interface FieldCondition {
  readonly access: FieldAccess;
  readonly predicate: ConditionPredicate;
  /** Human-readable statement of the condition. */
  readonly when: string;
  /**
   * Present when the exact condition is UNVERIFIED: `predicate` is the default reading and
   * `alternativePredicate` the other candidate, selected with `SecurityConfig.unverifiedRule`.
   */
  readonly unverified?: { readonly note: string; readonly alternativePredicate: ConditionPredicate };
}

export interface FieldSpec {
  /** Name exactly as the Arm spec spells it (RES0/RES1 for reserved ranges). */
  readonly name: string;
  readonly msb: number;
  readonly lsb: number;
  readonly access: FieldAccess;
  /** One-line meaning. */
  readonly meaning: string;
  readonly condition?: FieldCondition;
  /** When present, the only architecturally defined values; others are reported by validate(). */
  readonly allowedValues?: readonly number[];
  /** Free-text note on anything about this field that is UNVERIFIED. */
  readonly unverified?: string;
}

/** A64 system-register encoding (the MRS/MSR operands). */
export interface SysregEncoding {
  readonly op0: number;
  readonly op1: number;
  readonly crn: number;
  readonly crm: number;
  readonly op2: number;
}

export type RegisterWidth = 32 | 64;

interface RegisterBase {
  readonly name: string;
  readonly width: RegisterWidth;
  readonly description: string;
  /** Declared fields, any order; bits not covered by a field are RES0 (see layout()). */
  readonly fields: readonly FieldSpec[];
  readonly notes?: readonly string[];
}

export interface SysregSpec extends RegisterBase {
  readonly kind: 'sysreg';
  readonly encoding: SysregEncoding;
}

export interface MmioRegisterSpec extends RegisterBase {
  readonly kind: 'mmio';
  /** The register frame the offset is relative to, e.g. "RD_base". */
  readonly frame: string;
  readonly offset: number;
}

export type RegisterSpec = SysregSpec | MmioRegisterSpec;

/** A field of the complete layout; `derived` is true for RES0 gaps not declared in the table. */
export interface LayoutField extends FieldSpec {
  readonly derived: boolean;
}

/** Configuration used to resolve field conditions. */
export interface SecurityConfig {
  /** EL3 implemented. */
  readonly el3: boolean;
  /** GICD_CTLR.DS (1 = security disabled / single Security state). */
  readonly ds: boolean;
  /** For UNVERIFIED conditions: 'primary' (default) uses `predicate`, 'alternative' the other reading. */
  readonly unverifiedRule?: 'primary' | 'alternative';
}

/** Non-secure KVM guest view: no EL3 visible to the guest, so no condition applies. */
export const KVM_GUEST_CONFIG: SecurityConfig = { el3: false, ds: true };

export function fieldWidth(field: Pick<FieldSpec, 'msb' | 'lsb'>): number {
  return field.msb - field.lsb + 1;
}

/** Largest value the field can hold, as a bigint (fields may be wider than 53 bits for RES0 gaps). */
export function fieldMaxBig(field: Pick<FieldSpec, 'msb' | 'lsb'>): bigint {
  return (1n << BigInt(fieldWidth(field))) - 1n;
}

/** Mask of the field's bits in place. */
export function fieldMask(field: Pick<FieldSpec, 'msb' | 'lsb'>): bigint {
  return fieldMaxBig(field) << BigInt(field.lsb);
}

export function isReserved(field: Pick<FieldSpec, 'access'>): boolean {
  return field.access === 'RES0' || field.access === 'RES1';
}

/** Mask of all bits the register can hold (2^width - 1). */
export function widthMask(reg: Pick<RegisterSpec, 'width'>): bigint {
  return (1n << BigInt(reg.width)) - 1n;
}

const layoutCache = new WeakMap<RegisterSpec, readonly LayoutField[]>();

/** Every bit of the register, msb first: the declared fields plus derived RES0 gaps. */
export function layout(reg: RegisterSpec): readonly LayoutField[] {
  const cached = layoutCache.get(reg);
  if (cached !== undefined) return cached;
  const declared = [...reg.fields].sort((a, b) => b.msb - a.msb);
  const out: LayoutField[] = [];
  let next = reg.width - 1;
  const gap = (msb: number, lsb: number): LayoutField => ({
    name: 'RES0',
    msb,
    lsb,
    access: 'RES0',
    meaning: 'Reserved, RES0',
    derived: true,
  });
  for (const field of declared) {
    if (field.msb < next) out.push(gap(next, field.msb + 1));
    out.push({ ...field, derived: false });
    next = field.lsb - 1;
  }
  if (next >= 0) out.push(gap(next, 0));
  layoutCache.set(reg, out);
  return out;
}

/** Mask of RES0 bits (declared or derived). */
export function res0Mask(reg: RegisterSpec): bigint {
  return layout(reg).reduce((m, f) => (f.access === 'RES0' ? m | fieldMask(f) : m), 0n);
}

/** Mask of RES1 bits. */
export function res1Mask(reg: RegisterSpec): bigint {
  return layout(reg).reduce((m, f) => (f.access === 'RES1' ? m | fieldMask(f) : m), 0n);
}

function predicateHolds(predicate: ConditionPredicate, config: SecurityConfig): boolean {
  return predicate === 'el3' ? config.el3 : config.el3 && !config.ds;
}

/** The field's access under a configuration, applying its condition (if any). */
export function effectiveAccess(field: FieldSpec, config: SecurityConfig): FieldAccess {
  const cond = field.condition;
  if (cond === undefined) return field.access;
  const predicate =
    config.unverifiedRule === 'alternative' && cond.unverified !== undefined
      ? cond.unverified.alternativePredicate
      : cond.predicate;
  return predicateHolds(predicate, config) ? cond.access : field.access;
}
