import { describe, expect, it } from 'vitest';
import { GICD_CTLR, GICD_IIDR, GICD_TYPER, GICD_TYPER2, GICR_CTLR, GICR_TYPER, GICR_WAKER } from './gic-mmio.js';
import { GITS_BASER, GITS_CBASER, GITS_CREADR, GITS_CTLR, GITS_CWRITER, GITS_IIDR, GITS_TYPER } from './gits.js';
import { REGISTERS } from './register-table.js';

describe('GIC MMIO offsets (arm-gic-v3.h)', () => {
  it('distributor, redistributor and ITS offsets', () => {
    expect([GICD_CTLR, GICD_TYPER, GICD_IIDR, GICD_TYPER2]).toEqual([0x0, 0x4, 0x8, 0xc]);
    expect([GICR_CTLR, GICR_TYPER, GICR_WAKER]).toEqual([0x0, 0x8, 0x14]);
    expect([GITS_CTLR, GITS_IIDR, GITS_TYPER, GITS_CBASER, GITS_CWRITER, GITS_CREADR, GITS_BASER]).toEqual([
      0x0n,
      0x4n,
      0x8n,
      0x80n,
      0x88n,
      0x90n,
      0x100n,
    ]);
  });

  it('GICR_TYPER is where the register catalogue puts it', () => {
    expect(REGISTERS.GICR_TYPER.frame).toBe('RD_base');
    expect(GICR_TYPER).toBe(REGISTERS.GICR_TYPER.offset);
  });
});
