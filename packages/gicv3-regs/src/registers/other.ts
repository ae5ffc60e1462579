// Registers outside the ICC/ICH families that the vGIC layers need: the redistributor's GICR_TYPER
// (MMIO) and MPIDR_EL1 (the affinity every vCPU is addressed by). gicv3.md §4 and §5.
import type { MmioRegisterSpec, SysregSpec } from '../field-table.js';
import { bit, field } from './define.js';

export const GICR_TYPER: MmioRegisterSpec = {
  kind: 'mmio',
  name: 'GICR_TYPER',
  width: 64,
  frame: 'RD_base',
  offset: 0x0008,
  description: 'Redistributor Type Register',
  fields: [
    field('Affinity_Value', 63, 32, 'RO', 'affinity of the PE: Aff3[63:56] Aff2[55:48] Aff1[47:40] Aff0[39:32]'),
    field('PPInum', 31, 27, 'RO', 'extended PPIs: 0 = none, 1 = INTIDs up to 1087, 2 = up to 1119'),
    bit('VSGI', 26, 'RO', 'GICv4.1: direct injection of virtual SGIs supported', {
      unverified: 'position from third-party headers only (not in the Linux/QEMU copies read)',
    }),
    field('CommonLPIAff', 25, 24, 'RO', 'affinity level at which redistributors share an LPI configuration table'),
    field('Processor_Number', 23, 8, 'RO', 'unique processor number of this redistributor'),
    bit('RVPEID', 7, 'RO', 'GICv4.1: GICR_VPENDBASER records vPE ids'),
    bit('MPAM', 6, 'RO', 'MPAM supported', {
      unverified: 'position from third-party headers only (not in the Linux/QEMU copies read)',
    }),
    bit('DPGS', 5, 'RO', 'GICR_CTLR.DPG* bits supported'),
    bit('Last', 4, 'RO', '1 = last redistributor in a contiguous series'),
    bit('DirectLPI', 3, 'RO', 'direct LPI injection registers supported'),
    bit('Dirty', 2, 'RO', 'GICv4.1: GICR_VPENDBASER.Dirty supported'),
    bit('VLPIS', 1, 'RO', 'virtual LPIs and direct injection supported'),
    bit('PLPIS', 0, 'RO', 'physical LPIs supported'),
  ],
};

export const MPIDR_EL1: SysregSpec = {
  kind: 'sysreg',
  name: 'MPIDR_EL1',
  width: 64,
  encoding: { op0: 3, op1: 0, crn: 0, crm: 0, op2: 5 },
  description: 'Multiprocessor Affinity Register',
  fields: [
    field('Aff3', 39, 32, 'RO', 'affinity level 3'),
    bit('RES1', 31, 'RES1', 'Reserved, RES1'),
    bit('U', 30, 'RO', '1 = uniprocessor system'),
    bit('MT', 24, 'RO', '1 = lowest affinity level consists of multithreaded logical PEs'),
    field('Aff2', 23, 16, 'RO', 'affinity level 2'),
    field('Aff1', 15, 8, 'RO', 'affinity level 1'),
    field('Aff0', 7, 0, 'RO', 'affinity level 0'),
  ],
};
