import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Affinity } from './affinity.js';
import { kvmDefaultMpidr, kvmVcpuAffinity, parseAffinity } from './affinity.js';
import { sysregId } from './encoding.js';
import { qemuGicrTyper } from './gicr-typer.js';
import {
  KVM_DEV_ARM_VGIC_CTRL_INIT,
  KVM_DEV_ARM_VGIC_GRP_ADDR,
  KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
  KVM_DEV_ARM_VGIC_GRP_ITS_REGS,
  KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ,
  KVM_DEV_ARM_VGIC_SYSREG_INSTR_MASK,
  KVM_DEV_ARM_VGIC_SYSREG_MASK,
  KVM_DEV_ARM_VGIC_V3_MPIDR_MASK,
  KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT,
  kvmVgicAttr,
  packSysregAttr,
  unpackSysregAttr,
} from './kvm-attr.js';
import { REGISTERS } from './register-table.js';

const CTLR = sysregId(REGISTERS.ICC_CTLR_EL1.encoding);
const PMR = sysregId(REGISTERS.ICC_PMR_EL1.encoding);

const affinityArb: fc.Arbitrary<Affinity> = fc.record({
  aff3: fc.integer({ min: 0, max: 255 }),
  aff2: fc.integer({ min: 0, max: 255 }),
  aff1: fc.integer({ min: 0, max: 255 }),
  aff0: fc.integer({ min: 0, max: 255 }),
});

describe('constants', () => {
  it('match the UAPI values', () => {
    expect(KVM_DEV_ARM_VGIC_GRP_ADDR).toBe(0);
    expect(KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS).toBe(6);
    expect(KVM_DEV_ARM_VGIC_GRP_ITS_REGS).toBe(8);
    expect(KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ).toBe(9);
    expect(KVM_DEV_ARM_VGIC_CTRL_INIT).toBe(0);
    expect(KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT).toBe(32);
    expect(KVM_DEV_ARM_VGIC_V3_MPIDR_MASK).toBe(0xffffffff00000000n);
    expect(KVM_DEV_ARM_VGIC_SYSREG_INSTR_MASK).toBe(0xffff);
    expect(KVM_DEV_ARM_VGIC_SYSREG_MASK).toBe(0xffff);
  });
});

describe('GRP_CPU_SYSREGS attr (gicv3.md §2b)', () => {
  it('packs the worked examples', () => {
    expect(packSysregAttr(parseAffinity('0.0.0.1'), CTLR)).toBe(0x000000010000c664n);
    expect(packSysregAttr(parseAffinity('0.0.1.3'), CTLR)).toBe(0x000001030000c664n);
    expect(packSysregAttr(kvmVcpuAffinity(19), PMR)).toBe(0x000001030000c230n);
  });

  it('QEMU KVM_VGIC_ATTR over its gicr_typer gives the same attrs', () => {
    const t1 = qemuGicrTyper({ cpuIndex: 1, cpuCount: 2, mpAffinity: kvmDefaultMpidr(1) });
    const t19 = qemuGicrTyper({ cpuIndex: 19, cpuCount: 32, mpAffinity: kvmDefaultMpidr(19) });
    expect(kvmVgicAttr(CTLR, t1)).toBe(0x000000010000c664n);
    expect(kvmVgicAttr(CTLR, t19)).toBe(0x000001030000c664n);
    expect(kvmVgicAttr(PMR, t19)).toBe(0x000001030000c230n);
  });

  it('unpacks, reporting the reserved bits KVM ignores', () => {
    expect(unpackSysregAttr(0x000001030000c664n)).toEqual({ affinity: { aff3: 0, aff2: 0, aff1: 1, aff0: 3 }, sysregId: 0xc664, reserved: 0 });
    expect(unpackSysregAttr(0xff0000011234c230n)).toEqual({ affinity: { aff3: 255, aff2: 0, aff1: 0, aff0: 1 }, sysregId: 0xc230, reserved: 0x1234 });
  });

  it('rejects sysreg ids wider than 16 bits', () => {
    expect(() => packSysregAttr(parseAffinity('0.0.0.0'), 0x10000)).toThrow(/16-bit sysreg id/);
  });

  it('round-trips every affinity and sysreg id', () => {
    fc.assert(
      fc.property(affinityArb, fc.integer({ min: 0, max: 0xffff }), (affinity, id) => {
        const attr = packSysregAttr(affinity, id);
        expect(unpackSysregAttr(attr)).toEqual({ affinity, sysregId: id, reserved: 0 });
        expect(attr >> 32n).toBe(BigInt((affinity.aff3 * 2 ** 24) + (affinity.aff2 << 16) + (affinity.aff1 << 8) + affinity.aff0));
      }),
    );
  });
});
