// ICC_* CPU-interface system registers (GICv3). Bit positions from gicv3.md §1, §1a, §1d (Arm XML,
// Linux arm-gic-v3.h and QEMU gicv3_internal.h agree on every position).
import type { FieldCondition, FieldSpec, SysregSpec } from '../field-table.js';
import { bit, field } from './define.js';

const CBPR_CONDITION: FieldCondition = {
  access: 'RO',
  predicate: 'el3-ds0',
  when: 'EL3 implemented and GICD_CTLR.DS == 0 (then an alias of ICC_CTLR_EL3.CBPR_EL1{S,NS})',
};

const PMHE_CONDITION: FieldCondition = {
  access: 'RO',
  predicate: 'el3-ds0',
  when: 'EL3 implemented and GICD_CTLR.DS == 0 (then an alias of ICC_CTLR_EL3.PMHE)',
  unverified: {
    note:
      'UNVERIFIED: QEMU models PMHE as RO when EL3 && DS==0; the Cortex-A76 TRM says RO whenever EL3 is ' +
      "implemented. Select the TRM reading with SecurityConfig.unverifiedRule = 'alternative'.",
    alternativePredicate: 'el3',
  },
};

const CTLR_COMMON_RO: readonly FieldSpec[] = [
  bit('ExtRange', 19, 'RO', '1 = the CPU interface supports the extended SPI/PPI INTID ranges (GICv3.1)'),
  bit('RSS', 18, 'RO', 'Range Selector Support: 1 = SGIs can target Aff0 0-255 (ICC_SGI1R_EL1.RS); 0 = Aff0 0-15'),
  bit('A3V', 15, 'RO', '1 = non-zero Aff3 is supported in the SGI generation registers'),
  bit('SEIS', 14, 'RO', '1 = the CPU interface supports local generation of SEIs'),
  field('IDbits', 13, 11, 'RO', 'physical INTID width: 0 = 16 bits, 1 = 24 bits (other values reserved)', {
    allowedValues: [0, 1],
  }),
  field('PRIbits', 10, 8, 'RO', 'number of priority bits implemented, minus one'),
];

export const ICC_CTLR_EL1: SysregSpec = {
  kind: 'sysreg',
  name: 'ICC_CTLR_EL1',
  width: 64,
  encoding: { op0: 3, op1: 0, crn: 12, crm: 12, op2: 4 },
  description: 'Interrupt Controller Control Register (EL1)',
  fields: [
    ...CTLR_COMMON_RO,
    bit('PMHE', 6, 'RW', '1 = ICC_PMR_EL1 is a hint for 1-of-N interrupt distribution', {
      condition: PMHE_CONDITION,
      unverified: 'support is IMPLEMENTATION DEFINED (RES0 if unsupported); reset value UNVERIFIED',
    }),
    bit('EOImode', 1, 'RW', '0 = EOIR drops priority and deactivates; 1 = EOIR drops priority only, ICC_DIR_EL1 deactivates', {
      unverified: 'architectural reset value UNVERIFIED (believed UNKNOWN on warm reset)',
    }),
    bit('CBPR', 0, 'RW', '1 = ICC_BPR0_EL1 controls preemption for both groups; ICC_BPR1_EL1 reads BPR0+1', {
      condition: CBPR_CONDITION,
    }),
  ],
  notes: ['KVM reports PMHE, RSS and ExtRange as 0 and only stores CBPR/EOImode (in the VMCR).'],
};

export const ICC_CTLR_EL3: SysregSpec = {
  kind: 'sysreg',
  name: 'ICC_CTLR_EL3',
  width: 64,
  encoding: { op0: 3, op1: 6, crn: 12, crm: 12, op2: 4 },
  description: 'Interrupt Controller Control Register (EL3)',
  fields: [
    ...CTLR_COMMON_RO,
    bit('nDS', 17, 'RO', '1 = security cannot be disabled (GICD_CTLR.DS must stay 0)'),
    bit('PMHE', 6, 'RW', '1 = ICC_PMR_EL1 is a hint for 1-of-N interrupt distribution', {
      unverified: 'support is IMPLEMENTATION DEFINED (RES0 if unsupported)',
    }),
    bit('RM', 5, 'WI', 'Routing Modifier (legacy AArch32 EL3 behaviour)', {
      unverified: 'access UNVERIFIED: believed RAZ/WI when EL3 is AArch64',
    }),
    bit('EOImode_EL1NS', 4, 'RW', 'EOI mode for Non-secure EL1/EL2 (aliased by NS ICC_CTLR_EL1.EOImode)'),
    bit('EOImode_EL1S', 3, 'RW', 'EOI mode for Secure EL1/EL2'),
    bit('EOImode_EL3', 2, 'RW', 'EOI mode for EL3'),
    bit('CBPR_EL1NS', 1, 'RW', 'common binary point for Non-secure EL1/EL2'),
    bit('CBPR_EL1S', 0, 'RW', 'common binary point for Secure EL1/EL2'),
  ],
};

function simple(name: string, description: string, op: { crn: number; crm: number; op2: number }, fields: readonly FieldSpec[]): SysregSpec {
  return { kind: 'sysreg', name, width: 64, encoding: { op0: 3, op1: 0, ...op }, description, fields };
}

export const ICC_PMR_EL1: SysregSpec = simple('ICC_PMR_EL1', 'Interrupt Controller Interrupt Priority Mask Register', { crn: 4, crm: 6, op2: 0 }, [
  field('Priority', 7, 0, 'RW', 'priority mask; unimplemented low-order bits are RAZ/WI (5 bits: steps of 8)'),
]);

export const ICC_BPR0_EL1: SysregSpec = simple('ICC_BPR0_EL1', 'Interrupt Controller Binary Point Register 0', { crn: 12, crm: 8, op2: 3 }, [
  field('BinaryPoint', 2, 0, 'RW', 'value n: group priority is bits [7:n+1] (Group 0 preemption); minimum set by PRIbits'),
]);

export const ICC_BPR1_EL1: SysregSpec = simple('ICC_BPR1_EL1', 'Interrupt Controller Binary Point Register 1', { crn: 12, crm: 12, op2: 3 }, [
  field('BinaryPoint', 2, 0, 'RW', 'Group 1 binary point; with CBPR=1 reads BPR0+1 (max 7) and ignores writes'),
]);

export const ICC_IGRPEN0_EL1: SysregSpec = simple('ICC_IGRPEN0_EL1', 'Interrupt Controller Interrupt Group 0 Enable Register', { crn: 12, crm: 12, op2: 6 }, [
  bit('Enable', 0, 'RW', '1 = Group 0 interrupts are enabled'),
]);

export const ICC_IGRPEN1_EL1: SysregSpec = simple('ICC_IGRPEN1_EL1', 'Interrupt Controller Interrupt Group 1 Enable Register', { crn: 12, crm: 12, op2: 7 }, [
  bit('Enable', 0, 'RW', '1 = Group 1 interrupts are enabled (current Security state)'),
]);

export const ICC_SRE_EL1: SysregSpec = simple('ICC_SRE_EL1', 'Interrupt Controller System Register Enable register (EL1)', { crn: 12, crm: 12, op2: 5 }, [
  bit('DIB', 2, 'RW', 'Disable IRQ bypass'),
  bit('DFB', 1, 'RW', 'Disable FIQ bypass'),
  bit('SRE', 0, 'RW', '1 = system register interface enabled (KVM GICv3 guests read 0x7 and cannot clear it)'),
]);

function apr(group: 0 | 1, n: number): SysregSpec {
  // AP0R<n> sit at CRm=8, op2=4+n; AP1R<n> at CRm=9, op2=n (gicv3.md §2).
  const op = group === 0 ? { crn: 12, crm: 8, op2: 4 + n } : { crn: 12, crm: 9, op2: n };
  return simple(
    `ICC_AP${group}R${n}_EL1`,
    `Interrupt Controller Active Priorities Group ${group} Register ${n}`,
    op,
    [field('P', 31, 0, 'RW', 'active priorities: bit x (P<x>) set = a group priority is active; layout IMPLEMENTATION DEFINED')],
  );
}

/** ICC_AP0R0_EL1..ICC_AP0R3_EL1. */
export const ICC_AP0R_EL1: readonly [SysregSpec, SysregSpec, SysregSpec, SysregSpec] = [apr(0, 0), apr(0, 1), apr(0, 2), apr(0, 3)];
/** ICC_AP1R0_EL1..ICC_AP1R3_EL1. */
export const ICC_AP1R_EL1: readonly [SysregSpec, SysregSpec, SysregSpec, SysregSpec] = [apr(1, 0), apr(1, 1), apr(1, 2), apr(1, 3)];
