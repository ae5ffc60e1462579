import { describe, expect, it } from 'vitest';
import { decode } from './codec.js';
import { kvmDefaultMpidr, formatAffinity } from './affinity.js';
import { gicrTyperAffinity, kvmGicrTyper, qemuGicrTyper } from './gicr-typer.js';
import { REGISTERS } from './register-table.js';

describe('QEMU gicr_typer (gicv3.md §2b)', () => {
  it('cpu 1 of 2 → 0x0000000101000110', () => {
    expect(qemuGicrTyper({ cpuIndex: 1, cpuCount: 2, mpAffinity: kvmDefaultMpidr(1) })).toBe(0x0000000101000110n);
  });

  it('cpu 19 of 32 → 0x0000010301001300', () => {
    const typer = qemuGicrTyper({ cpuIndex: 19, cpuCount: 32, mpAffinity: kvmDefaultMpidr(19) });
    expect(typer).toBe(0x0000010301001300n);
    expect(decode(REGISTERS.GICR_TYPER, typer)).toMatchObject({ Affinity_Value: 0x103, CommonLPIAff: 1, Processor_Number: 19, Last: 0, PLPIS: 0 });
    expect(formatAffinity(gicrTyperAffinity(typer))).toBe('0.0.1.3');
  });

  it('squashes Aff3 from MPIDR bits 39:32 into bits 63:56', () => {
    expect(qemuGicrTyper({ cpuIndex: 0, cpuCount: 1, mpAffinity: 0x0280010203n }) >> 32n).toBe(0x02010203n);
  });

  it('optional Last override, PLPIS and VLPIS', () => {
    expect(qemuGicrTyper({ cpuIndex: 1, cpuCount: 2, mpAffinity: 1n, last: false, plpis: true, vlpis: true })).toBe(0x0000000101000103n);
  });

  it('rejects an index outside the CPU count', () => {
    expect(() => qemuGicrTyper({ cpuIndex: 2, cpuCount: 2, mpAffinity: 0n })).toThrow(/CPU index out of range/);
  });
});

describe('KVM emulated GICR_TYPER', () => {
  it('affinity = (mpidr & 0xffffff) << 32, Processor_Number = vcpu id', () => {
    expect(kvmGicrTyper({ vcpuId: 19, mpidr: kvmDefaultMpidr(19) })).toBe(0x0000010300001300n);
    expect(kvmGicrTyper({ vcpuId: 3, mpidr: 0x80000003n, last: true })).toBe(0x0000000300000310n);
    // Aff3 is not reported.
    expect(kvmGicrTyper({ vcpuId: 0, mpidr: 0xff80000000n, plpis: true })).toBe(0x1n);
  });

  it('matches the selftest shape vcpu_id << 8 when the MPIDR affinity is zero', () => {
    expect(kvmGicrTyper({ vcpuId: 2, mpidr: 0n })).toBe(0x200n);
  });
});
