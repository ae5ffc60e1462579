import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sysregEncodingFromId } from './encoding.js';
import { KVM_ICC_SYSREG_NAMES, iccAp0rId, iccAp1rId, iccSysregId } from './kvm-icc-sysregs.js';
import { REGISTERS } from './register-table.js';

describe("KVM's ICC sysreg ids", () => {
  it('lists gic_v3_icc_reg_descs EL1 entries in table order with their 16-bit ids', () => {
    expect(KVM_ICC_SYSREG_NAMES.map((n) => [n, iccSysregId(n)])).toEqual([
      ['ICC_PMR_EL1', 0xc230],
      ['ICC_BPR0_EL1', 0xc643],
      ['ICC_AP0R0_EL1', 0xc644],
      ['ICC_AP0R1_EL1', 0xc645],
      ['ICC_AP0R2_EL1', 0xc646],
      ['ICC_AP0R3_EL1', 0xc647],
      ['ICC_AP1R0_EL1', 0xc648],
      ['ICC_AP1R1_EL1', 0xc649],
      ['ICC_AP1R2_EL1', 0xc64a],
      ['ICC_AP1R3_EL1', 0xc64b],
      ['ICC_BPR1_EL1', 0xc663],
      ['ICC_CTLR_EL1', 0xc664],
      ['ICC_SRE_EL1', 0xc665],
      ['ICC_IGRPEN0_EL1', 0xc666],
      ['ICC_IGRPEN1_EL1', 0xc667],
    ]);
  });

  it('each id decodes back to the catalogue encoding of its register', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KVM_ICC_SYSREG_NAMES), (name) => {
        expect(sysregEncodingFromId(iccSysregId(name))).toEqual(REGISTERS[name].encoding);
      }),
    );
  });

  it('iccAp0rId / iccAp1rId index the APR registers 0..3 and refuse anything else', () => {
    expect([0, 1, 2, 3].map(iccAp0rId)).toEqual([0xc644, 0xc645, 0xc646, 0xc647]);
    expect([0, 1, 2, 3].map(iccAp1rId)).toEqual([0xc648, 0xc649, 0xc64a, 0xc64b]);
    expect(() => iccAp0rId(4)).toThrow('APR index 4 outside 0..3');
    expect(() => iccAp1rId(-1)).toThrow(RangeError);
    expect(() => iccAp1rId(1.5)).toThrow(RangeError);
  });
});
