import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decode, diff, encode, findField, getField, namedFields, validate, withField } from './codec.js';
import { RegsInputError } from './errors.js';
import type { RegisterSpec } from './field-table.js';
import { KVM_GUEST_CONFIG, effectiveAccess, fieldMaxBig, res0Mask } from './field-table.js';
import { U64_MAX } from './parse.js';
import { REGISTERS, REGISTER_LIST } from './register-table.js';

const { ICC_CTLR_EL1, MPIDR_EL1, ICH_VMCR_EL2 } = REGISTERS;

/** Arbitrary valid field values for a register (allowed values only where the table lists them). */
function validFields(reg: RegisterSpec): fc.Arbitrary<Record<string, number>> {
  const entries = namedFields(reg).map((f) => {
    const arb = f.allowedValues !== undefined ? fc.constantFrom(...f.allowedValues) : fc.integer({ min: 0, max: Number(fieldMaxBig(f)) });
    return [f.name, arb] as const;
  });
  return fc.record(Object.fromEntries(entries));
}

const perRegister = REGISTER_LIST.map((r) => [r.name, r] as const);

describe('decode / encode', () => {
  it('decodes the A76 ICC_CTLR_EL1 (0x8400)', () => {
    expect(decode(ICC_CTLR_EL1, 0x8400n)).toEqual({ ExtRange: 0, RSS: 0, A3V: 1, SEIS: 0, IDbits: 0, PRIbits: 4, PMHE: 0, EOImode: 0, CBPR: 0 });
  });

  it('encodes with case-insensitive names and sets RES1 bits', () => {
    expect(encode(ICC_CTLR_EL1, { prIBits: 4, a3v: 1 })).toBe(0x8400n);
    expect(encode(MPIDR_EL1, { Aff1: 1, Aff0: 3 })).toBe(0x80000103n);
    expect(encode(MPIDR_EL1, {})).toBe(0x80000000n);
  });

  it('rejects unknown fields and out-of-range values with the accepted range', () => {
    expect(() => encode(ICC_CTLR_EL1, { PRIbits: 8 })).toThrow("value out of range for ICC_CTLR_EL1.PRIbits (bits 10:8, 3 bits); accepted: 0..7 (0x0..0x7) (got '8')");
    expect(() => encode(ICC_CTLR_EL1, { CBPR: -1 })).toThrow(/accepted: 0\.\.1/);
    expect(() => encode(ICC_CTLR_EL1, { Bogus: 1 })).toThrow(RegsInputError);
    expect(() => findField(ICC_CTLR_EL1, 'RES0')).toThrow(/unknown field of ICC_CTLR_EL1/);
  });

  it('rejects values wider than the register', () => {
    expect(() => decode(ICC_CTLR_EL1, U64_MAX + 1n)).toThrow(/does not fit the 64-bit register/);
    expect(() => decode(ICC_CTLR_EL1, -1n)).toThrow(RegsInputError);
  });

  it('getField / withField', () => {
    expect(getField(ICC_CTLR_EL1, 0x8400n, 'pribits')).toBe(4);
    expect(withField(ICC_CTLR_EL1, 0x8400n, 'EOImode', 1)).toBe(0x8402n);
    expect(withField(ICC_CTLR_EL1, 0x8402n, 'PRIbits', 6n)).toBe(0x8602n);
    expect(() => withField(ICC_CTLR_EL1, 0x8400n, 'EOImode', 2)).toThrow(/accepted: 0\.\.1/);
  });

  it.each(perRegister)('%s: decode(encode(fields)) is the identity on valid field values', (_n, reg) => {
    fc.assert(
      fc.property(validFields(reg), (fields) => {
        const value = encode(reg, fields);
        expect(decode(reg, value)).toEqual(fields);
        expect(validate(reg, value)).toEqual([]);
      }),
    );
  });

  it.each(perRegister)('%s: encode(decode(value)) is the identity on valid values', (_n, reg) => {
    fc.assert(
      fc.property(validFields(reg), (fields) => {
        const value = encode(reg, fields);
        expect(encode(reg, decode(reg, value))).toBe(value);
      }),
    );
  });
});

describe('validate', () => {
  const withRes0 = perRegister.filter(([, r]) => res0Mask(r) !== 0n);

  it('has RES0 bits in every register except the fully-defined GICR_TYPER', () => {
    expect(perRegister.filter(([, r]) => res0Mask(r) === 0n).map(([n]) => n)).toEqual(['GICR_TYPER']);
  });

  it.each(withRes0)('%s: rejects every value with any RES0 bit set', (_n, reg) => {
    const mask = res0Mask(reg);
    const bits = [...Array(64).keys()].filter((b) => ((mask >> BigInt(b)) & 1n) === 1n);
    fc.assert(
      fc.property(validFields(reg), fc.constantFrom(...bits), fc.bigInt({ min: 0n, max: U64_MAX }), (fields, b, noise) => {
        const value = encode(reg, fields) | (1n << BigInt(b)) | (noise & mask);
        const problems = validate(reg, value);
        expect(problems.some((p) => p.code === 'res0-set')).toBe(true);
      }),
    );
  });

  it('reports RES1 clear, reserved values and out-of-width values', () => {
    expect(validate(MPIDR_EL1, 0x103n).map((p) => p.code)).toEqual(['res1-clear']);
    expect(validate(ICC_CTLR_EL1, 0x8400n | (2n << 11n)).map((p) => p.message)).toEqual(['IDbits = 2 is a reserved value (defined: 0, 1)']);
    expect(validate(ICC_CTLR_EL1, 0x100000n)[0]?.message).toBe('RES0 bits 63:20 set (0x100000)');
    expect(validate(ICC_CTLR_EL1, U64_MAX + 1n).map((p) => p.code)).toEqual(['out-of-width']);
  });

  it('checks a 32-bit register against its width', () => {
    const reg32: RegisterSpec = { kind: 'mmio', name: 'TEST32', width: 32, frame: 'test', offset: 0, description: 't', fields: [{ name: 'F', msb: 3, lsb: 0, access: 'RW', meaning: 'f' }] };
    expect(validate(reg32, 0x1_0000_0000n).map((p) => p.code)).toEqual(['out-of-width']);
    expect(validate(reg32, 0x10n).map((p) => p.code)).toEqual(['res0-set']);
    expect(encode(reg32, { F: 0xf })).toBe(0xfn);
  });
});

describe('diff', () => {
  it('lists changed fields msb first, including reserved ranges', () => {
    expect(diff(ICC_CTLR_EL1, 0x8400n, 0x8603n)).toEqual([
      { field: 'PRIbits', msb: 10, lsb: 8, from: 4n, to: 6n },
      { field: 'EOImode', msb: 1, lsb: 1, from: 0n, to: 1n },
      { field: 'CBPR', msb: 0, lsb: 0, from: 0n, to: 1n },
    ]);
    expect(diff(ICC_CTLR_EL1, 0n, 1n << 40n)).toEqual([{ field: 'RES0[63:20]', msb: 63, lsb: 20, from: 0n, to: 1n << 20n }]);
    expect(diff(ICH_VMCR_EL2, 0x8n, 0x8n)).toEqual([]);
  });

  it('applying the changes to a gives b', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: U64_MAX }), fc.bigInt({ min: 0n, max: U64_MAX }), (a, b) => {
        let v = a;
        for (const c of diff(ICC_CTLR_EL1, a, b)) {
          const mask = ((1n << BigInt(c.msb - c.lsb + 1)) - 1n) << BigInt(c.lsb);
          v = (v & ~mask) | (c.to << BigInt(c.lsb));
        }
        expect(v).toBe(b);
      }),
    );
  });
});

describe('effectiveAccess', () => {
  const field = (name: string) => findField(ICC_CTLR_EL1, name);
  it('CBPR is RO with EL3 and DS=0, RW otherwise', () => {
    expect(effectiveAccess(field('CBPR'), { el3: true, ds: false })).toBe('RO');
    expect(effectiveAccess(field('CBPR'), { el3: true, ds: true })).toBe('RW');
    expect(effectiveAccess(field('CBPR'), KVM_GUEST_CONFIG)).toBe('RW');
    expect(effectiveAccess(field('EOImode'), { el3: true, ds: false })).toBe('RW');
  });
  it('PMHE follows the selected reading of its UNVERIFIED condition', () => {
    expect(effectiveAccess(field('PMHE'), { el3: true, ds: true })).toBe('RW');
    expect(effectiveAccess(field('PMHE'), { el3: true, ds: true, unverifiedRule: 'alternative' })).toBe('RO');
    expect(effectiveAccess(field('PMHE'), { el3: false, ds: true, unverifiedRule: 'alternative' })).toBe('RW');
  });
});
