// The one set of ICC register accessors: userspace (get/set_user hooks) and the guest's ICV accesses
// share them, and differ exactly where the hardware does.
import { CORTEX_A76, iccSysregId, kvmGetIccCtlr, vgicV3ResetState } from '@vgicsim/gicv3-regs';
import { describe, expect, it } from 'vitest';
import { EINVAL } from './errno.js';
import type { GuestIccReg } from './guest.js';
import type { VgicCpuState } from './state.js';
import { KVM_REG_MPIDR_EL1 } from './uapi.js';
import { CPU_SYSREG_IDS, getCpuSysreg, guestReadIccReg, guestWriteIccReg, lookupCpuSysreg, setCpuSysreg } from './vgic-sysregs.js';

const VTR = CORTEX_A76.ichVtr;

function freshCpu(): VgicCpuState {
  const r = vgicV3ResetState(VTR);
  return { vmcr: r.vmcr, sre: r.sre, ap0r: [0, 0, 0, 0], ap1r: [0, 0, 0, 0], numPriBits: r.numPriBits, numIdBits: r.numIdBits, iccCtlrShadow: 0n };
}

function userGet(cpu: VgicCpuState, name: GuestIccReg): bigint {
  const desc = lookupCpuSysreg(iccSysregId(name));
  if (desc === undefined) throw new Error(name);
  const r = getCpuSysreg(desc, cpu, VTR);
  if (!r.ok) throw new Error(`${name}: ${r.errno}`);
  return r.value;
}

const GUEST_REGS: readonly GuestIccReg[] = ['ICC_CTLR_EL1', 'ICC_PMR_EL1', 'ICC_BPR0_EL1', 'ICC_BPR1_EL1', 'ICC_IGRPEN0_EL1', 'ICC_IGRPEN1_EL1', 'ICC_SRE_EL1'];

describe('ICC accessors', () => {
  it('the table holds the 15 EL1 registers by their gicv3-regs ids, in gic_v3_icc_reg_descs order', () => {
    expect(CPU_SYSREG_IDS).toEqual([0xc230, 0xc643, 0xc644, 0xc645, 0xc646, 0xc647, 0xc648, 0xc649, 0xc64a, 0xc64b, 0xc663, 0xc664, 0xc665, 0xc666, 0xc667]);
    expect(CPU_SYSREG_IDS.map((id) => lookupCpuSysreg(id)?.apr)).toEqual([0, 3, 0, 1, 2, 3, 0, 1, 2, 3, 3, 0, 1, 2, 3]);
  });

  it('the ONE_REG id of MPIDR_EL1 is ARM64_SYS_REG(3,0,0,0,5) from the catalogue encoding', () => {
    expect(KVM_REG_MPIDR_EL1).toBe(0x603000000013c005n);
  });

  it('a guest read returns what userspace reads, register by register', () => {
    const cpu = freshCpu();
    guestWriteIccReg(cpu, VTR, 'ICC_PMR_EL1', 0xf0n);
    guestWriteIccReg(cpu, VTR, 'ICC_BPR0_EL1', 2n);
    guestWriteIccReg(cpu, VTR, 'ICC_IGRPEN1_EL1', 1n);
    for (const reg of GUEST_REGS) expect(guestReadIccReg(cpu, VTR, reg), reg).toBe(userGet(cpu, reg));
    expect(guestReadIccReg(cpu, VTR, 'ICC_PMR_EL1')).toBe(0xf0n);
    expect(guestReadIccReg(cpu, VTR, 'ICC_BPR1_EL1')).toBe(userGet(cpu, 'ICC_BPR1_EL1'));
  });

  it('guest ICC_CTLR_EL1 writes change only CBPR/EOImode; the userspace write checks PRIbits', () => {
    const cpu = freshCpu();
    const bad = (7n << 8n) | 3n; // PRIbits beyond the host's 5 bits, CBPR and EOImode set
    guestWriteIccReg(cpu, VTR, 'ICC_CTLR_EL1', bad);
    expect([cpu.vmcr.cbpr, cpu.vmcr.eoim, cpu.numPriBits]).toEqual([1, 1, 5]);
    const desc = lookupCpuSysreg(iccSysregId('ICC_CTLR_EL1'));
    if (desc === undefined) throw new Error('no CTLR');
    expect(setCpuSysreg(desc, freshCpu(), VTR, bad)).toBe(-EINVAL);
    expect(kvmGetIccCtlr(cpu, VTR) & 3n).toBe(3n);
  });

  it('guest ICC_PMR_EL1 writes drop the unimplemented priority bits; userspace keeps all 8', () => {
    const cpu = freshCpu();
    guestWriteIccReg(cpu, VTR, 'ICC_PMR_EL1', 0xffn);
    expect(cpu.vmcr.pmr).toBe(0xf8);
    const desc = lookupCpuSysreg(iccSysregId('ICC_PMR_EL1'));
    if (desc === undefined) throw new Error('no PMR');
    expect(setCpuSysreg(desc, cpu, VTR, 0xffn)).toBe(0);
    expect(cpu.vmcr.pmr).toBe(0xff);
  });

  it('guest ICC_SRE_EL1 writes are ignored; a userspace write with SRE clear is -EINVAL', () => {
    const cpu = freshCpu();
    guestWriteIccReg(cpu, VTR, 'ICC_SRE_EL1', 0n);
    expect(guestReadIccReg(cpu, VTR, 'ICC_SRE_EL1')).toBe(7n);
    const desc = lookupCpuSysreg(iccSysregId('ICC_SRE_EL1'));
    if (desc === undefined) throw new Error('no SRE');
    expect(setCpuSysreg(desc, cpu, VTR, 0n)).toBe(-EINVAL);
  });
});
