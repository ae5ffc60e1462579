import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CORTEX_A53, CORTEX_A76, SYNTHETIC_7BIT, SYNTHETIC_SEIS_ID24 } from './host-profiles.js';
import type { VgicCpuIfState } from './icc-ctlr.js';
import {
  freshIccCtlr,
  hostVtrFields,
  kvmGetIccCtlr,
  kvmSetIccCtlr,
  qemuAprCount,
  vgicV3MaxAprIdx,
  vgicV3ResetState,
} from './icc-ctlr.js';
import { encode } from './codec.js';
import { U64_MAX } from './parse.js';
import { ICC_CTLR_EL1 } from './registers/icc.js';
import { resetVgicVmcr } from './vmcr.js';

describe('reset state and fresh ICC_CTLR_EL1', () => {
  it('A76 → 0x8400, A53 → 0x0400, synthetic hosts as documented', () => {
    expect(freshIccCtlr(CORTEX_A76.ichVtr)).toBe(0x8400n);
    expect(freshIccCtlr(CORTEX_A53.ichVtr)).toBe(0x0400n);
    expect(freshIccCtlr(SYNTHETIC_7BIT.ichVtr)).toBe(0x8600n);
    expect(freshIccCtlr(SYNTHETIC_SEIS_ID24.ichVtr)).toBe(0xcd00n);
  });

  it('vgic_v3_enable: vmcr zero, sre 0x7, numPriBits = PRIbits+1, numIdBits = IDbits', () => {
    expect(vgicV3ResetState(CORTEX_A76.ichVtr)).toEqual({ numPriBits: 5, numIdBits: 0, vmcr: resetVgicVmcr(), sre: 0x7n });
    expect(vgicV3ResetState(SYNTHETIC_SEIS_ID24.ichVtr)).toMatchObject({ numPriBits: 6, numIdBits: 1 });
    expect(hostVtrFields(CORTEX_A76.ichVtr)).toEqual({ priBits: 4, preBits: 4, idBits: 0, seis: 0, a3v: 1, listRegs: 3 });
  });

  it('GET reflects VMCR CBPR/EOImode and lowered numPriBits', () => {
    const state: VgicCpuIfState = { numPriBits: 4, numIdBits: 0, vmcr: { ...resetVgicVmcr(), cbpr: 1, eoim: 1 } };
    expect(kvmGetIccCtlr(state, CORTEX_A76.ichVtr)).toBe(0x8303n);
  });
});

describe('kvmGetIccCtlr cache', () => {
  it('returns exactly what encoding the fields afresh returns, for any state and host VTR', () => {
    const hosts = [CORTEX_A76.ichVtr, CORTEX_A53.ichVtr, SYNTHETIC_7BIT.ichVtr, SYNTHETIC_SEIS_ID24.ichVtr];
    fc.assert(
      fc.property(
        fc.constantFrom(...hosts),
        fc.integer({ min: -2, max: 10 }),
        fc.integer({ min: -2, max: 10 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        (vtr, numPriBits, numIdBits, eoim, cbpr) => {
          const state: VgicCpuIfState = { numPriBits, numIdBits, vmcr: { ...resetVgicVmcr(), eoim, cbpr } };
          const v = hostVtrFields(vtr);
          const fresh = encode(ICC_CTLR_EL1, {
            PRIbits: (numPriBits - 1) & 7,
            IDbits: numIdBits & 7,
            SEIS: v.seis,
            A3V: v.a3v,
            EOImode: eoim & 1,
            CBPR: cbpr & 1,
          });
          // Twice: the first call may fill the cache, the second reads it.
          expect(kvmGetIccCtlr(state, vtr)).toBe(fresh);
          expect(kvmGetIccCtlr(state, vtr)).toBe(fresh);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('ICC_CTLR_EL1 SET (kvm.md §5.3)', () => {
  const a76 = vgicV3ResetState(CORTEX_A76.ichVtr);
  const seisHost = SYNTHETIC_SEIS_ID24.ichVtr;
  const seisState = vgicV3ResetState(seisHost);

  it('writing back the value read always succeeds and changes nothing', () => {
    expect(kvmSetIccCtlr(a76, CORTEX_A76.ichVtr, 0x8400n)).toEqual({ ok: true, state: a76 });
  });

  it('stores EOImode/CBPR in the VMCR and ignores PMHE, RSS, ExtRange and RES0 bits', () => {
    const r = kvmSetIccCtlr(a76, CORTEX_A76.ichVtr, 0x8400n | 0x3n | 0x40n | (1n << 18n) | (1n << 19n) | (1n << 40n));
    expect(r.ok).toBe(true);
    expect(r.state.vmcr).toMatchObject({ cbpr: 1, eoim: 1 });
  });

  it('step 2: PRIbits too large → EINVAL, nothing committed', () => {
    const r = kvmSetIccCtlr(a76, CORTEX_A76.ichVtr, 0x8600n);
    expect(r).toMatchObject({ ok: false, error: 'EINVAL', step: 2, check: 'PRIbits' });
    expect(r.state).toBe(a76);
  });

  it('a smaller PRIbits lowers numPriBits', () => {
    const r = kvmSetIccCtlr(a76, CORTEX_A76.ichVtr, 0x8300n);
    expect(r).toMatchObject({ ok: true, state: { numPriBits: 4 } });
    expect(kvmGetIccCtlr(r.state, CORTEX_A76.ichVtr)).toBe(0x8300n);
  });

  it('step 3: PRIbits ok but IDbits too large → EINVAL with numPriBits already lowered', () => {
    const r = kvmSetIccCtlr(a76, CORTEX_A76.ichVtr, 0x8300n | (1n << 11n));
    expect(r).toMatchObject({ ok: false, error: 'EINVAL', step: 3, check: 'IDbits', state: { numPriBits: 4, numIdBits: 0 } });
  });

  it('step 4: SEIS mismatch → EINVAL with numPriBits and numIdBits committed', () => {
    // Host has 6 pri bits and IDbits 1; write PRIbits 4 (5 bits), IDbits 0, SEIS 0 (host SEIS 1).
    const r = kvmSetIccCtlr(seisState, seisHost, 0x8400n);
    expect(r).toMatchObject({ ok: false, step: 4, check: 'SEIS', state: { numPriBits: 5, numIdBits: 0 } });
  });

  it('step 5: A3V mismatch → EINVAL with both numbers committed', () => {
    const r = kvmSetIccCtlr(seisState, seisHost, 0x4400n);
    expect(r).toMatchObject({ ok: false, step: 5, check: 'A3V', state: { numPriBits: 5, numIdBits: 0 } });
    const a53 = vgicV3ResetState(CORTEX_A53.ichVtr);
    expect(kvmSetIccCtlr(a53, CORTEX_A53.ichVtr, 0x8400n)).toMatchObject({ ok: false, step: 5 });
  });

  it('keeps extra state properties (e.g. sre) in the returned state', () => {
    expect(kvmSetIccCtlr(a76, CORTEX_A76.ichVtr, 0x8601n).state.sre).toBe(0x7n);
    expect(kvmSetIccCtlr(a76, CORTEX_A76.ichVtr, 0x8401n).state).toMatchObject({ sre: 0x7n, vmcr: { cbpr: 1 } });
  });

  it('numbers never grow and a failed write never touches the VMCR', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: U64_MAX }), (value) => {
        const r = kvmSetIccCtlr(seisState, seisHost, value);
        expect(r.state.numPriBits).toBeLessThanOrEqual(seisState.numPriBits);
        expect(r.state.numIdBits).toBeLessThanOrEqual(seisState.numIdBits);
        if (!r.ok) expect(r.state.vmcr).toBe(seisState.vmcr);
      }),
    );
  });

  it('rejects values wider than 64 bits', () => {
    expect(() => kvmSetIccCtlr(a76, CORTEX_A76.ichVtr, U64_MAX + 1n)).toThrow(/does not fit/);
  });
});

describe('APR counts', () => {
  it.each([
    [8, 0, 1],
    [7, 3, 4],
    [6, 1, 2],
    [5, 0, 1],
    [4, 0, 1],
  ])('%i priority bits → max idx %i, QEMU saves %i', (bits, idx, count) => {
    expect(vgicV3MaxAprIdx(bits)).toBe(idx);
    expect(qemuAprCount(bits)).toBe(count);
  });
});
