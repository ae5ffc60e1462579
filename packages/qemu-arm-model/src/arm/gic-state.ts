// GICv3State / GICv3CPUState (include/hw/intc/arm_gicv3_common.h) as far as the CPU interface and the
// ICC_CTLR_EL1 reset designs need them, including the fields each design adds.
import type { CpuState } from '../cpu-state.js';

export const GICV3_S = 0;
export const GICV3_NS = 1;
export const GICV3_G0 = 0;
export const GICV3_G1 = 1;
export const GICV3_G1NS = 2;

export class GicCpuState {
  gicrTyper = 0n;
  /** icc_ctlr_el1[S], icc_ctlr_el1[NS]. */
  readonly iccCtlrEl1: [bigint, bigint] = [0n, 0n];
  iccPmrEl1 = 0n;
  readonly iccBpr: [bigint, bigint, bigint] = [0n, 0n, 0n];
  iccSreEl1 = 0n;
  /** icc_apr[group][n]. */
  readonly iccApr: bigint[][] = [
    [0n, 0n, 0n, 0n],
    [0n, 0n, 0n, 0n],
    [0n, 0n, 0n, 0n],
  ];
  readonly iccIgrpen: [bigint, bigint, bigint] = [0n, 0n, 0n];
  /** RFC patch 8: the interface of an admin-disabled CPU is skipped by get/put. */
  giccAccessible = true;

  // RFC V6 21/24: the two per-vCPU caches.
  readonly iccCtlrArchDef: [bigint, bigint] = [0n, 0n];
  iccCtlrArchDefValid = false;
  readonly iccCtlrConfigured: [bigint, bigint] = [0n, 0n];
  iccCtlrConfiguredValid = false;

  // Upstream 59ad421d66: read once at realize.
  kvmResetIccCtlrEl1 = 0n;

  /** Per-CPU fields of a design supplied as a module (fresh for every QEMU process, like the C struct). */
  readonly strategyData: Record<string, unknown> = {};

  constructor(
    readonly index: number,
    readonly cpu: CpuState,
  ) {}
}

export class GicState {
  devFd = -1;
  numIrq = 288;
  /** Set when the kernel lacks vGICv3 save/restore (old kernels): reset skips KVM entirely. */
  migrationBlocker: string | null = null;
  /** RFC V6 21/24: latched the first time any CPU resets after its first PSCI CPU_ON; never cleared. */
  guestGiccInitialized = false;
  readonly cpus: GicCpuState[] = [];
  /** GIC-wide fields of a design supplied as a module. */
  readonly strategyData: Record<string, unknown> = {};
}
