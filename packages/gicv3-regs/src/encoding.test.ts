import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  arm64SysRegId,
  genericSysregName,
  kernelSysReg,
  parseGenericSysregName,
  sysregEncodingFromId,
  sysregEncodingFromKernelSysReg,
  sysregId,
} from './encoding.js';
import { REGISTERS } from './register-table.js';
import type { RegisterName } from './register-table.js';

// gicv3.md §2 table rows for every register the catalogue covers: [name, op0, op1, CRn, CRm, op2, generic, id, ONE_REG].
const TABLE: readonly (readonly [Exclude<RegisterName, 'GICR_TYPER'>, number, number, number, number, number, string, number, bigint])[] = [
  ['ICC_PMR_EL1', 3, 0, 4, 6, 0, 'S3_0_C4_C6_0', 0xc230, 0x603000000013c230n],
  ['ICC_BPR0_EL1', 3, 0, 12, 8, 3, 'S3_0_C12_C8_3', 0xc643, 0x603000000013c643n],
  ['ICC_AP0R0_EL1', 3, 0, 12, 8, 4, 'S3_0_C12_C8_4', 0xc644, 0x603000000013c644n],
  ['ICC_AP0R1_EL1', 3, 0, 12, 8, 5, 'S3_0_C12_C8_5', 0xc645, 0x603000000013c645n],
  ['ICC_AP0R2_EL1', 3, 0, 12, 8, 6, 'S3_0_C12_C8_6', 0xc646, 0x603000000013c646n],
  ['ICC_AP0R3_EL1', 3, 0, 12, 8, 7, 'S3_0_C12_C8_7', 0xc647, 0x603000000013c647n],
  ['ICC_AP1R0_EL1', 3, 0, 12, 9, 0, 'S3_0_C12_C9_0', 0xc648, 0x603000000013c648n],
  ['ICC_AP1R1_EL1', 3, 0, 12, 9, 1, 'S3_0_C12_C9_1', 0xc649, 0x603000000013c649n],
  ['ICC_AP1R2_EL1', 3, 0, 12, 9, 2, 'S3_0_C12_C9_2', 0xc64a, 0x603000000013c64an],
  ['ICC_AP1R3_EL1', 3, 0, 12, 9, 3, 'S3_0_C12_C9_3', 0xc64b, 0x603000000013c64bn],
  ['ICC_BPR1_EL1', 3, 0, 12, 12, 3, 'S3_0_C12_C12_3', 0xc663, 0x603000000013c663n],
  ['ICC_CTLR_EL1', 3, 0, 12, 12, 4, 'S3_0_C12_C12_4', 0xc664, 0x603000000013c664n],
  ['ICC_SRE_EL1', 3, 0, 12, 12, 5, 'S3_0_C12_C12_5', 0xc665, 0x603000000013c665n],
  ['ICC_IGRPEN0_EL1', 3, 0, 12, 12, 6, 'S3_0_C12_C12_6', 0xc666, 0x603000000013c666n],
  ['ICC_IGRPEN1_EL1', 3, 0, 12, 12, 7, 'S3_0_C12_C12_7', 0xc667, 0x603000000013c667n],
  ['ICC_CTLR_EL3', 3, 6, 12, 12, 4, 'S3_6_C12_C12_4', 0xf664, 0x603000000013f664n],
  ['ICH_HCR_EL2', 3, 4, 12, 11, 0, 'S3_4_C12_C11_0', 0xe658, 0x603000000013e658n],
  ['ICH_VTR_EL2', 3, 4, 12, 11, 1, 'S3_4_C12_C11_1', 0xe659, 0x603000000013e659n],
  ['ICH_VMCR_EL2', 3, 4, 12, 11, 7, 'S3_4_C12_C11_7', 0xe65f, 0x603000000013e65fn],
  // gicv3.md §5: QEMU reads MPIDR via ARM64_SYS_REG(3,0,0,0,5) = 0x603000000013C005.
  ['MPIDR_EL1', 3, 0, 0, 0, 5, 'S3_0_C0_C0_5', 0xc005, 0x603000000013c005n],
];

describe('system-register encodings (gicv3.md §2)', () => {
  it.each(TABLE)('%s', (name, op0, op1, crn, crm, op2, generic, id, oneReg) => {
    const reg = REGISTERS[name];
    expect(reg.encoding).toEqual({ op0, op1, crn, crm, op2 });
    expect(genericSysregName(reg.encoding)).toBe(generic);
    expect(sysregId(reg.encoding)).toBe(id);
    expect(arm64SysRegId(reg.encoding)).toBe(oneReg);
  });

  it('covers every system register in the catalogue', () => {
    const sysregs = Object.values(REGISTERS).filter((r) => r.kind === 'sysreg').map((r) => r.name);
    expect(new Set(TABLE.map((row) => row[0]))).toEqual(new Set(sysregs));
  });

  it('computes the worked example instr 0xC664 from its parts', () => {
    expect((3 << 14) | (0 << 11) | (12 << 7) | (12 << 3) | 4).toBe(0xc664);
  });

  it('sysregEncodingFromId inverts sysregId for every 16-bit id', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), (id) => {
        expect(sysregId(sysregEncodingFromId(id))).toBe(id);
      }),
    );
  });

  it('parses generic names case-insensitively and rejects other text', () => {
    expect(parseGenericSysregName('s3_0_c12_c12_4')).toEqual({ op0: 3, op1: 0, crn: 12, crm: 12, op2: 4 });
    expect(parseGenericSysregName('S3_0_C12_C12_8')).toBeUndefined();
    expect(parseGenericSysregName('S3_0_C16_C12_4')).toBeUndefined();
    expect(parseGenericSysregName('ICC_CTLR_EL1')).toBeUndefined();
  });

  it('rejects out-of-range encoding parts', () => {
    expect(() => sysregId({ op0: 4, op1: 0, crn: 0, crm: 0, op2: 0 })).toThrow(RangeError);
  });

  it('kernelSysReg is Linux sys_reg(): SYS_ICC_CTLR_EL1 = 0x18cc80, SYS_ICC_PMR_EL1 = 0x184600', () => {
    expect(kernelSysReg(REGISTERS.ICC_CTLR_EL1.encoding)).toBe(0x18cc80);
    expect(kernelSysReg(REGISTERS.ICC_PMR_EL1.encoding)).toBe(0x184600);
    expect(() => kernelSysReg({ op0: 3, op1: 8, crn: 0, crm: 0, op2: 0 })).toThrow(RangeError);
  });

  it('sysregEncodingFromKernelSysReg inverts kernelSysReg, and the two packings agree on the fields', () => {
    const encoding = fc.record({
      op0: fc.integer({ min: 0, max: 3 }),
      op1: fc.integer({ min: 0, max: 7 }),
      crn: fc.integer({ min: 0, max: 15 }),
      crm: fc.integer({ min: 0, max: 15 }),
      op2: fc.integer({ min: 0, max: 7 }),
    });
    fc.assert(
      fc.property(encoding, (enc) => {
        expect(sysregEncodingFromKernelSysReg(kernelSysReg(enc))).toEqual(enc);
        expect(sysregEncodingFromId(sysregId(enc))).toEqual(enc);
        // A 16-bit uapi id never equals the kernel's packing of the same register unless every field is 0.
        const allZero = enc.op0 + enc.op1 + enc.crn + enc.crm + enc.op2 === 0;
        expect(kernelSysReg(enc) === sysregId(enc)).toBe(allZero);
      }),
    );
  });
});
