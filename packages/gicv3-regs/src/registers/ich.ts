// ICH_* hypervisor-control registers (GICv3 virtualization). Layouts from Linux arch/arm64/tools/sysreg
// (bpf-next copy) cross-checked with the Arm XML and QEMU (gicv3.md §1b, §3).
import type { SysregSpec } from '../field-table.js';
import { bit, field } from './define.js';

export const ICH_VTR_EL2: SysregSpec = {
  kind: 'sysreg',
  name: 'ICH_VTR_EL2',
  width: 64,
  encoding: { op0: 3, op1: 4, crn: 12, crm: 11, op2: 1 },
  description: 'Interrupt Controller VGIC Type Register',
  fields: [
    field('PRIbits', 31, 29, 'RO', 'virtual priority bits minus one (at least 4, i.e. 5 bits)'),
    field('PREbits', 28, 26, 'RO', 'virtual preemption bits minus one; <= PRIbits; sets the minimum VBPR0'),
    field('IDbits', 25, 23, 'RO', 'virtual INTID width: 0 = 16 bits, 1 = 24 bits (other values reserved)', {
      allowedValues: [0, 1],
    }),
    bit('SEIS', 22, 'RO', '1 = virtual SEI generation supported'),
    bit('A3V', 21, 'RO', '1 = non-zero Aff3 supported in the virtual SGI registers'),
    bit('nV4', 20, 'RO', '1 = GICv4 direct injection of virtual interrupts NOT supported'),
    bit('TDS', 19, 'RO', '1 = separate trapping of ICV_DIR_EL1 writes (ICH_HCR_EL2.TDIR) supported'),
    bit('DVIM', 18, 'RO', '1 = masking of directly-injected virtual interrupts supported'),
    field('ListRegs', 4, 0, 'RO', 'number of List registers minus one (KVM uses (VTR & 0xf) + 1)'),
  ],
};

export const ICH_VMCR_EL2: SysregSpec = {
  kind: 'sysreg',
  name: 'ICH_VMCR_EL2',
  width: 64,
  encoding: { op0: 3, op1: 4, crn: 12, crm: 11, op2: 7 },
  description: 'Interrupt Controller Virtual Machine Control Register (GICv3 layout)',
  fields: [
    field('VPMR', 31, 24, 'RW', 'virtual priority mask (ICV_PMR_EL1.Priority)'),
    field('VBPR0', 23, 21, 'RW', 'virtual BPR0 (ICV_BPR0_EL1.BinaryPoint)'),
    field('VBPR1', 20, 18, 'RW', 'virtual BPR1 (ICV_BPR1_EL1.BinaryPoint)'),
    bit('VEOIM', 9, 'RW', 'virtual EOI mode (ICV_CTLR_EL1.EOImode)'),
    bit('VCBPR', 4, 'RW', 'virtual common binary point (ICV_CTLR_EL1.CBPR)'),
    bit('VFIQEn', 3, 'RW', 'virtual FIQ enable (KVM: RES1 for a GICv3 guest with SRE=1)'),
    bit('VAckCtl', 2, 'RW', 'virtual AckCtl (KVM: RES0 for a GICv3 guest with SRE=1)'),
    bit('VENG1', 1, 'RW', 'virtual Group 1 enable (ICV_IGRPEN1_EL1.Enable)'),
    bit('VENG0', 0, 'RW', 'virtual Group 0 enable (ICV_IGRPEN0_EL1.Enable)'),
  ],
  notes: ['The GICv5 (FEAT_GCIE) layout at the same encoding (VPMR 31:27, EN 0) is not modelled.'],
};

export const ICH_HCR_EL2: SysregSpec = {
  kind: 'sysreg',
  name: 'ICH_HCR_EL2',
  width: 64,
  encoding: { op0: 3, op1: 4, crn: 12, crm: 11, op2: 0 },
  description: 'Interrupt Controller Hyp Control Register',
  fields: [
    field('EOIcount', 31, 27, 'RW', 'count of EOIs not matched to a List register'),
    bit('DVIM', 15, 'RW', 'directly-injected virtual interrupt masking'),
    bit('TDIR', 14, 'RW', 'trap EL1 writes to ICC_DIR_EL1/ICV_DIR_EL1'),
    bit('TSEI', 13, 'RW', 'trap locally generated SEIs'),
    bit('TALL1', 12, 'RW', 'trap all EL1 accesses to Group 1 ICC_* registers'),
    bit('TALL0', 11, 'RW', 'trap all EL1 accesses to Group 0 ICC_* registers'),
    bit('TC', 10, 'RW', 'trap EL1 accesses to common ICC_* registers'),
    bit('vSGIEOICount', 8, 'RW', 'deactivation of virtual SGIs increments EOIcount'),
    bit('VGrp1DIE', 7, 'RW', 'VM Group 1 disabled interrupt enable'),
    bit('VGrp1EIE', 6, 'RW', 'VM Group 1 enabled interrupt enable'),
    bit('VGrp0DIE', 5, 'RW', 'VM Group 0 disabled interrupt enable'),
    bit('VGrp0EIE', 4, 'RW', 'VM Group 0 enabled interrupt enable'),
    bit('NPIE', 3, 'RW', 'no pending interrupt maintenance interrupt enable'),
    bit('LRENPIE', 2, 'RW', 'List register entry not present interrupt enable'),
    bit('UIE', 1, 'RW', 'underflow interrupt enable'),
    bit('En', 0, 'RW', 'global enable for the virtual CPU interface'),
  ],
};
