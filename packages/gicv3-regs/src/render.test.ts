import { describe, expect, it } from 'vitest';
import { render, renderDiagram, renderFieldTable } from './render.js';
import { REGISTERS, REGISTER_LIST } from './register-table.js';

describe('render', () => {
  it('draws the A76 ICC_CTLR_EL1 diagram with names over bit ranges', () => {
    const lines = renderDiagram(REGISTERS.ICC_CTLR_EL1, 0x8400n).split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe(' 63   32');
    expect(lines[7]).toBe('| RES0  | ExtRange | RSS | RES0  | A3V | SEIS | IDbits | PRIbits | RES0 | PMHE | RES0 | EOImode | CBPR |');
    expect(lines[8]).toBe('|  0x0  |    0     |  0  |   0   |  1  |  0   |   0    |    4    |  0   |  0   |  0   |    0    |  0   |');
    expect(lines[5]).toMatch(/^ 31 {3}20 {5}19 {6}18/);
  });

  it('lists every bit range in the field table with access and value', () => {
    const table = renderFieldTable(REGISTERS.ICC_CTLR_EL1, 0x8400n).split('\n');
    expect(table[0]).toBe('Bits   Field     Access  Value  Meaning');
    expect(table).toContain('15     A3V       RO      1      1 = non-zero Aff3 is supported in the SGI generation registers');
    expect(table.find((l) => l.startsWith('6 '))).toMatch(/PMHE .*UNVERIFIED condition/);
    expect(table).toHaveLength(14);
  });

  it('heads the full rendering with name, value and encoding', () => {
    expect(render(REGISTERS.ICC_CTLR_EL1, 0x8400n).split('\n')[0]).toBe(
      'ICC_CTLR_EL1 = 0x0000000000008400 (S3_0_C12_C12_4, sysreg id 0xc664, 64-bit): Interrupt Controller Control Register (EL1)',
    );
    expect(render(REGISTERS.GICR_TYPER, 0x0000010301001300n).split('\n')[0]).toMatch(/^GICR_TYPER = 0x0000010301001300 \(RD_base \+ 0x0008, 64-bit\)/);
  });

  it('renders every register without throwing and shows every named field', () => {
    for (const reg of REGISTER_LIST) {
      const text = render(reg, 0n);
      for (const f of reg.fields) expect(text).toContain(f.name);
    }
  });

  it('refuses values wider than the register', () => {
    expect(() => render(REGISTERS.ICC_PMR_EL1, 1n << 64n)).toThrow(/does not fit/);
  });
});
