import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Affinity } from './affinity.js';
import {
  MPIDR_HWID_BITMASK,
  affinityFromMpidr,
  affinityFromVgicMpidr,
  affinityToVgicMpidr,
  formatAffinity,
  kvmDefaultMpidr,
  kvmVcpuAffinity,
  makeAffinity,
  mpidrAffinityMask,
  mpidrHwid,
  mpidrFromAffinity,
  mpidrToVgicMpidr,
  parseAffinity,
  vgicToMpidr,
} from './affinity.js';
import { RegsInputError } from './errors.js';

const affinityArb: fc.Arbitrary<Affinity> = fc.record({
  aff3: fc.integer({ min: 0, max: 255 }),
  aff2: fc.integer({ min: 0, max: 255 }),
  aff1: fc.integer({ min: 0, max: 255 }),
  aff0: fc.integer({ min: 0, max: 255 }),
});

describe('vCPU index → affinity (gicv3.md §5)', () => {
  it.each([
    [0, '0.0.0.0'],
    [1, '0.0.0.1'],
    [15, '0.0.0.15'],
    [16, '0.0.1.0'],
    [19, '0.0.1.3'],
    [255, '0.0.15.15'],
    [4095, '0.0.255.15'],
    [4096, '0.1.0.0'],
  ])('vCPU %i → %s', (index, text) => {
    expect(formatAffinity(kvmVcpuAffinity(index))).toBe(text);
  });

  it('KVM default MPIDR sets bit 31 (vCPU 19 → 0x80000103, vCPU 1 → 0x80000001)', () => {
    expect(kvmDefaultMpidr(19)).toBe(0x80000103n);
    expect(kvmDefaultMpidr(1)).toBe(0x80000001n);
    expect(kvmDefaultMpidr(0)).toBe(0x80000000n);
    expect(kvmDefaultMpidr(0x12345)).toBe(0x80123405n);
  });

  it('rejects negative or fractional vCPU indices', () => {
    expect(() => kvmDefaultMpidr(-1)).toThrow(RegsInputError);
    expect(() => kvmDefaultMpidr(1.5)).toThrow(/vCPU index out of range/);
  });
});

describe('parse / format', () => {
  it('parses A3.A2.A1.A0', () => {
    expect(parseAffinity('1.2.3.4')).toEqual({ aff3: 1, aff2: 2, aff1: 3, aff0: 4 });
    expect(parseAffinity(' 0.0.1.3 ')).toEqual({ aff3: 0, aff2: 0, aff1: 1, aff0: 3 });
  });

  it.each([
    ['0.0.1', 'affinity needs exactly four levels'],
    ['0.0.1.256', 'affinity level out of range'],
    ['0.0.x.3', 'affinity level is not a decimal number'],
    ['0.0.-1.3', 'affinity level is not a decimal number'],
    ['', 'affinity needs exactly four levels'],
  ])('rejects %j', (text, problem) => {
    expect(() => parseAffinity(text)).toThrow(`${problem}; accepted: A3.A2.A1.A0 with four decimal levels 0..255, e.g. 0.0.1.3 (got '${text}')`);
  });

  it('makeAffinity range-checks', () => {
    expect(() => makeAffinity(0, 0, 0, 256)).toThrow(RegsInputError);
    expect(makeAffinity(1, 2, 3, 4)).toEqual({ aff3: 1, aff2: 2, aff1: 3, aff0: 4 });
  });

  it('parse(format(a)) = a', () => {
    fc.assert(
      fc.property(affinityArb, (a) => {
        expect(parseAffinity(formatAffinity(a))).toEqual(a);
      }),
    );
  });
});

describe('MPIDR and vgic-mpidr packing', () => {
  it('places Aff3 at bits 39:32 of MPIDR and 31:24 of the packed word', () => {
    const a = parseAffinity('1.2.3.4');
    expect(mpidrFromAffinity(a)).toBe(0x0180020304n);
    expect(mpidrFromAffinity(a, { res1: false, mt: true, u: true })).toBe(0x0141020304n);
    expect(affinityToVgicMpidr(a)).toBe(0x01020304);
    expect(affinityToVgicMpidr(parseAffinity('255.0.0.0'))).toBe(0xff000000);
    expect(vgicToMpidr(0xff010203)).toBe(0xff00010203n);
    expect(mpidrToVgicMpidr(0xff80010203n)).toBe(0xff010203);
  });

  it('MPIDR ↔ affinity round-trips', () => {
    fc.assert(
      fc.property(affinityArb, fc.boolean(), (a, res1) => {
        const mpidr = mpidrFromAffinity(a, { res1 });
        expect(affinityFromMpidr(mpidr)).toEqual(a);
        expect(mpidrFromAffinity(affinityFromMpidr(mpidr), { res1 })).toBe(mpidr);
        expect(mpidr & ~MPIDR_HWID_BITMASK & ~(1n << 31n)).toBe(0n);
      }),
    );
  });

  it('packed word ↔ affinity round-trips and VGIC_TO_MPIDR agrees', () => {
    fc.assert(
      fc.property(affinityArb, (a) => {
        const word = affinityToVgicMpidr(a);
        expect(word).toBeGreaterThanOrEqual(0);
        expect(affinityFromVgicMpidr(word)).toEqual(a);
        expect(vgicToMpidr(word)).toBe(mpidrFromAffinity(a, { res1: false }));
        expect(mpidrToVgicMpidr(vgicToMpidr(word))).toBe(word);
      }),
    );
  });
});

describe('MPIDR hardware id and affinity-level masks', () => {
  it('mpidrHwid keeps Aff3 and Aff2..Aff0 only (KVM default MPIDR of vCPU 19 → 0x103)', () => {
    expect(mpidrHwid(kvmDefaultMpidr(19))).toBe(0x103n);
    expect(mpidrHwid(0xffff_ffff_ffff_ffffn)).toBe(0xff00ffffffn);
  });

  it.each([
    [0, 0xff00ffffffn],
    [1, 0xff00ffff00n],
    [2, 0xff00ff0000n],
    [3, 0xff00000000n],
  ] as const)('mpidrAffinityMask(%i) = %s', (level, mask) => {
    expect(mpidrAffinityMask(level)).toBe(mask);
  });
});
