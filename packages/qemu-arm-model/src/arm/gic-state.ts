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
  /** Redistributor state arm_gicv3_common_reset_hold resets (the part kvm_arm_gicv3_put writes here). */
  gicrCtlr = 0n;
  gicrWaker = 0n;

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
  gicdCtlr = 0n;
  /** Whether LPIs are enabled (an ITS is attached): GICR_CTLR resets with CES. */
  lpiEnable = false;
}

const GICD_CTLR_ARE = 1n << 4n;
const GICD_CTLR_DS = 1n << 6n;
const GICR_CTLR_CES = 1n << 1n;
const GICR_WAKER_PROCESSOR_SLEEP = 1n << 1n;
const GICR_WAKER_CHILDREN_ASLEEP = 1n << 2n;

/**
 * arm_gicv3_common_reset_hold, the parent hold kvm_arm_gicv3_reset_hold calls first: QEMU's copy of the
 * distributor and redistributor state back to reset values (virt's KVM GIC has no security extension, so
 * GICD_CTLR = DS | ARE). The CPU interface is not touched here: arm_gicv3_icc_reset owns it.
 */
export function armGicv3CommonResetHold(gic: GicState): void {
  for (const c of gic.cpus) {
    c.gicrCtlr = gic.lpiEnable ? GICR_CTLR_CES : 0n;
    c.gicrWaker = GICR_WAKER_PROCESSOR_SLEEP | GICR_WAKER_CHILDREN_ASLEEP;
  }
  gic.gicdCtlr = GICD_CTLR_DS | GICD_CTLR_ARE;
}
