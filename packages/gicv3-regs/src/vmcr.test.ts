import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decode } from './codec.js';
import {
  readBpr1,
  vmcrAfterBpr0Write,
  vmcrAfterBpr1Write,
  vmcrAfterCtlrWrite,
  vmcrAfterIgrpen0Write,
  vmcrAfterIgrpen1Write,
  vmcrAfterPmrWrite,
} from './icc-writes.js';
import { REGISTERS } from './register-table.js';
import type { VgicVmcr } from './vmcr.js';
import { packVgicVmcr, resetVgicVmcr, unpackVgicVmcr, vmcrEquals } from './vmcr.js';

/** VMCRs as a GICv3 guest can hold them (fiqen = 1, ackctl = 0). */
const vmcrArb: fc.Arbitrary<VgicVmcr> = fc.record({
  grpen0: fc.integer({ min: 0, max: 1 }),
  grpen1: fc.integer({ min: 0, max: 1 }),
  ackctl: fc.constant(0),
  fiqen: fc.constant(1),
  cbpr: fc.integer({ min: 0, max: 1 }),
  eoim: fc.integer({ min: 0, max: 1 }),
  abpr: fc.integer({ min: 0, max: 7 }),
  bpr: fc.integer({ min: 0, max: 7 }),
  pmr: fc.integer({ min: 0, max: 255 }),
});

describe('VgicVmcr ↔ ICH_VMCR_EL2', () => {
  it('packs each field at its ICH_VMCR_EL2 position', () => {
    const v = packVgicVmcr({ grpen0: 1, grpen1: 1, ackctl: 1, fiqen: 0, cbpr: 1, eoim: 1, abpr: 3, bpr: 2, pmr: 0xf0 });
    expect(decode(REGISTERS.ICH_VMCR_EL2, v)).toEqual({ VPMR: 0xf0, VBPR0: 2, VBPR1: 3, VEOIM: 1, VCBPR: 1, VFIQEn: 1, VAckCtl: 0, VENG1: 1, VENG0: 1 });
    expect(v).toBe(0xf04c021bn);
  });

  it('masks out-of-width inputs', () => {
    const v = packVgicVmcr({ ...resetVgicVmcr(), pmr: 0x1ff, bpr: 9 });
    expect(unpackVgicVmcr(v)).toMatchObject({ pmr: 0xff, bpr: 1 });
  });

  it('unpack reports fiqen=1 and ackctl=0 whatever the bits', () => {
    expect(unpackVgicVmcr(0x4n)).toMatchObject({ ackctl: 0, fiqen: 1 });
    expect(resetVgicVmcr()).toEqual({ grpen0: 0, grpen1: 0, ackctl: 0, fiqen: 1, cbpr: 0, eoim: 0, abpr: 0, bpr: 0, pmr: 0 });
  });

  it('pack/unpack round-trips', () => {
    fc.assert(
      fc.property(vmcrArb, (v) => {
        expect(unpackVgicVmcr(packVgicVmcr(v))).toEqual(v);
        expect(vmcrEquals(unpackVgicVmcr(packVgicVmcr(v)), v)).toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 0xffffffffn }), (raw) => {
        const canonical = packVgicVmcr(unpackVgicVmcr(raw));
        expect(packVgicVmcr(unpackVgicVmcr(canonical))).toBe(canonical);
      }),
    );
  });
});

describe('writes of VMCR-backed registers', () => {
  const base = resetVgicVmcr();

  it('ICC_CTLR_EL1: only EOImode and CBPR land in the VMCR', () => {
    const v = vmcrAfterCtlrWrite(base, 0xffffn);
    expect(v).toEqual({ ...base, cbpr: 1, eoim: 1 });
    expect(vmcrAfterCtlrWrite(v, 0x8400n)).toEqual(base);
  });

  it('PMR, BPR0, IGRPEN0/1', () => {
    expect(vmcrAfterPmrWrite(base, 0x1f7n).pmr).toBe(0xf7);
    expect(vmcrAfterPmrWrite(base, 0xf7n, { numPriBits: 5 }).pmr).toBe(0xf0);
    expect(vmcrAfterBpr0Write(base, 0xfn).bpr).toBe(7);
    expect(vmcrAfterIgrpen0Write(base, 3n).grpen0).toBe(1);
    expect(vmcrAfterIgrpen1Write(base, 2n).grpen1).toBe(0);
  });

  it('BPR1 write is ignored while CBPR=1, and BPR1 then reads BPR0+1 saturated', () => {
    expect(vmcrAfterBpr1Write(base, 5n).abpr).toBe(5);
    const common = { ...base, cbpr: 1, bpr: 3, abpr: 1 };
    expect(vmcrAfterBpr1Write(common, 5n)).toBe(common);
    expect(readBpr1(common)).toBe(4);
    expect(readBpr1({ ...common, bpr: 7 })).toBe(7);
    expect(readBpr1({ ...common, cbpr: 0 })).toBe(1);
  });
});
