import { describe, expect, it } from 'vitest';
import { RegsInputError } from './errors.js';
import { fieldWidth, isReserved, layout } from './field-table.js';
import { REGISTERS, REGISTER_LIST, REGISTER_NAMES, findRegister, findSysreg, tryFindRegister } from './register-table.js';

describe('register catalogue', () => {
  it('holds the issue-2 register list', () => {
    expect(REGISTER_NAMES).toEqual([
      'ICC_CTLR_EL1',
      'ICC_CTLR_EL3',
      'ICC_PMR_EL1',
      'ICC_BPR0_EL1',
      'ICC_BPR1_EL1',
      'ICC_IGRPEN0_EL1',
      'ICC_IGRPEN1_EL1',
      'ICC_SRE_EL1',
      'ICC_AP0R0_EL1',
      'ICC_AP0R1_EL1',
      'ICC_AP0R2_EL1',
      'ICC_AP0R3_EL1',
      'ICC_AP1R0_EL1',
      'ICC_AP1R1_EL1',
      'ICC_AP1R2_EL1',
      'ICC_AP1R3_EL1',
      'ICH_VTR_EL2',
      'ICH_VMCR_EL2',
      'ICH_HCR_EL2',
      'GICR_TYPER',
      'MPIDR_EL1',
    ]);
    for (const [key, reg] of Object.entries(REGISTERS)) expect(reg.name).toBe(key);
  });

  it.each(REGISTER_LIST.map((r) => [r.name, r] as const))('%s: fields are in range, disjoint, uniquely named and at most 32 bits', (_name, reg) => {
    const named = reg.fields.filter((f) => !isReserved(f)).map((f) => f.name);
    expect(new Set(named).size).toBe(named.length);
    let covered = 0n;
    for (const f of reg.fields) {
      expect(f.lsb).toBeGreaterThanOrEqual(0);
      expect(f.msb).toBeGreaterThanOrEqual(f.lsb);
      expect(f.msb).toBeLessThan(reg.width);
      if (!isReserved(f)) expect(fieldWidth(f)).toBeLessThanOrEqual(32);
      const mask = ((1n << BigInt(fieldWidth(f))) - 1n) << BigInt(f.lsb);
      expect(covered & mask).toBe(0n);
      covered |= mask;
    }
    // The derived layout covers every bit exactly once, msb first.
    const full = layout(reg);
    expect(full[0]?.msb).toBe(reg.width - 1);
    expect(full.at(-1)?.lsb).toBe(0);
    for (let i = 1; i < full.length; i++) expect(full[i]?.msb).toBe((full[i - 1]?.lsb ?? 0) - 1);
  });

  it('spells the fields as the Arm spec does', () => {
    const names = (r: { fields: readonly { name: string }[] }): string[] => r.fields.map((f) => f.name);
    expect(names(REGISTERS.ICC_CTLR_EL1)).toEqual(['ExtRange', 'RSS', 'A3V', 'SEIS', 'IDbits', 'PRIbits', 'PMHE', 'EOImode', 'CBPR']);
    expect(names(REGISTERS.ICH_VMCR_EL2)).toEqual(['VPMR', 'VBPR0', 'VBPR1', 'VEOIM', 'VCBPR', 'VFIQEn', 'VAckCtl', 'VENG1', 'VENG0']);
    expect(names(REGISTERS.ICH_VTR_EL2)).toEqual(['PRIbits', 'PREbits', 'IDbits', 'SEIS', 'A3V', 'nV4', 'TDS', 'DVIM', 'ListRegs']);
    expect(names(REGISTERS.MPIDR_EL1)).toEqual(['Aff3', 'RES1', 'U', 'MT', 'Aff2', 'Aff1', 'Aff0']);
    expect(names(REGISTERS.GICR_TYPER)).toContain('CommonLPIAff');
    expect(names(REGISTERS.GICR_TYPER)).toContain('Processor_Number');
  });

  it('gives GICR_TYPER an MMIO offset and no encoding', () => {
    const typer = REGISTERS.GICR_TYPER;
    expect(typer.kind).toBe('mmio');
    expect(typer.offset).toBe(0x0008);
    expect('encoding' in typer).toBe(false);
  });

  it('marks the CBPR/PMHE conditions, PMHE as UNVERIFIED', () => {
    const ctlr = REGISTERS.ICC_CTLR_EL1.fields;
    const cbpr = ctlr.find((f) => f.name === 'CBPR');
    const pmhe = ctlr.find((f) => f.name === 'PMHE');
    expect(cbpr?.condition).toMatchObject({ access: 'RO', predicate: 'el3-ds0' });
    expect(cbpr?.condition?.unverified).toBeUndefined();
    expect(pmhe?.condition).toMatchObject({ access: 'RO', predicate: 'el3-ds0', unverified: { alternativePredicate: 'el3' } });
  });
});

describe('findRegister', () => {
  it('is case-insensitive on names and generic forms', () => {
    expect(findRegister('icc_ctlr_el1')).toBe(REGISTERS.ICC_CTLR_EL1);
    expect(findRegister('S3_0_C12_C12_4')).toBe(REGISTERS.ICC_CTLR_EL1);
    expect(findRegister('s3_0_c12_c12_4')).toBe(REGISTERS.ICC_CTLR_EL1);
    expect(findRegister('s3_4_c12_c11_1')).toBe(REGISTERS.ICH_VTR_EL2);
    expect(findRegister('gicr_typer')).toBe(REGISTERS.GICR_TYPER);
  });

  it('rejects unknown names with the accepted forms and candidates', () => {
    const err = (() => {
      try {
        findRegister('ICC_CTRL_EL1');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(RegsInputError);
    const e = err as RegsInputError;
    expect(e.kind).toBe('register');
    expect(e.message).toMatch(/^unknown register; accepted: a register name .*S3_0_C12_C12_4.* \(got 'ICC_CTRL_EL1'\)$/);
    expect(e.candidates).toContain('ICC_CTLR_EL1');
    expect(tryFindRegister('nope')).toBeUndefined();
  });

  it('distinguishes a well-formed generic name that is not catalogued', () => {
    expect(() => findRegister('S3_0_C12_C8_0')).toThrow(/no register with that encoding/);
  });

  it('findSysreg refuses MMIO registers', () => {
    expect(findSysreg('icc_pmr_el1').name).toBe('ICC_PMR_EL1');
    expect(() => findSysreg('GICR_TYPER')).toThrow(/memory-mapped register \(RD_base \+ 0x0008\)/);
  });
});
