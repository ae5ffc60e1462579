import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PSCI_0_2_64BIT,
  PSCI_0_2_FN64_AFFINITY_INFO,
  PSCI_0_2_FN64_CPU_ON,
  PSCI_0_2_FN64_CPU_SUSPEND,
  PSCI_0_2_FN_AFFINITY_INFO,
  PSCI_0_2_FN_BASE,
  PSCI_0_2_FN_CPU_ON,
  PSCI_0_2_FN_CPU_SUSPEND,
  PSCI_0_2_FN_SYSTEM_OFF,
  PSCI_1_1_FN64_SYSTEM_RESET2,
  PSCI_1_1_FN_SYSTEM_RESET2,
  PSCI_1_3_FN64_SYSTEM_OFF2,
  PSCI_1_3_FN_SYSTEM_OFF2,
  PSCI_RET_INTERNAL_FAILURE,
  psciFunctionName,
  psciRetToX0,
  x0ToPsciRet,
} from './psci.js';

describe('PSCI ids (include/uapi/linux/psci.h)', () => {
  it('each SMC64 id is its SMC32 id with PSCI_0_2_64BIT set', () => {
    const pairs = [
      [PSCI_0_2_FN_CPU_SUSPEND, PSCI_0_2_FN64_CPU_SUSPEND],
      [PSCI_0_2_FN_CPU_ON, PSCI_0_2_FN64_CPU_ON],
      [PSCI_0_2_FN_AFFINITY_INFO, PSCI_0_2_FN64_AFFINITY_INFO],
      [PSCI_1_1_FN_SYSTEM_RESET2, PSCI_1_1_FN64_SYSTEM_RESET2],
      [PSCI_1_3_FN_SYSTEM_OFF2, PSCI_1_3_FN64_SYSTEM_OFF2],
    ] as const;
    for (const [fn32, fn64] of pairs) expect(((fn32 | PSCI_0_2_64BIT) >>> 0).toString(16)).toBe(fn64.toString(16));
    expect(PSCI_0_2_FN_CPU_ON - PSCI_0_2_FN_BASE).toBe(3);
  });

  it('names the calls, and prints unknown ids in hex', () => {
    expect([PSCI_0_2_FN_CPU_ON, PSCI_0_2_FN64_CPU_ON, PSCI_0_2_FN_SYSTEM_OFF, 0x84000077].map(psciFunctionName)).toEqual([
      'CPU_ON',
      'FN64_CPU_ON',
      'SYSTEM_OFF',
      '0x84000077',
    ]);
    expect(psciFunctionName(PSCI_0_2_FN64_CPU_ON | 0)).toBe('FN64_CPU_ON');
  });

  it('return codes sign-extend into x0 and back', () => {
    expect(psciRetToX0(PSCI_RET_INTERNAL_FAILURE)).toBe(0xfffffffffffffffan);
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (ret) => {
        expect(x0ToPsciRet(psciRetToX0(ret))).toBe(ret);
      }),
    );
  });
});
