// The `virt` board as the GIC, PSCI and arm-powerctl code see it. A leaf of its own so that those modules,
// which virt.ts calls, need not import virt.ts back.
import type { Proc } from '@vgicsim/kvm-sim';
import type { CpuState } from '../cpu-state.js';
import type { GicState } from './gic-state.js';
import type { Oracle, ResetTrigger } from './oracle.js';
import type { IccResetStrategy } from './strategy.js';

export interface ArmVirtOptions {
  readonly strategy: IccResetStrategy;
  /**
   * How many times arm_gicv3_icc_reset runs per cpu_reset. Upstream: 2. ICC_CTLR_EL1 in
   * gicv3_cpuif_reginfo is ARM_CP_STATE_BOTH and not banked, so define_one_arm_cp_reg adds an AArch64
   * entry and add_cpreg_to_hashtable_aa32 an AArch32 `_S` copy (ALIAS) and an AArch32 NS copy (not ALIAS);
   * cp_reg_reset (target/arm/cpu.c) skips only SPECIAL/ALIAS entries, so the resetfn runs for two of the
   * three. 1 is a counterfactual (a QEMU that registered the hook once), kept to compare costs.
   */
  readonly iccResetCallsPerCpuReset: 1 | 2;
  readonly bootEntry: bigint;
  /** Pretend the kernel lacks vGICv3 save/restore (sets migration_blocker). */
  readonly migrationBlocker: boolean;
  /** Distributor writes in kvm_arm_gicv3_put beyond the GICD_TYPER check (the real put makes dozens). */
  readonly gicPutDistAccesses: number;
  /** Redistributor accesses per CPU in kvm_arm_gicv3_put (the real put makes ~20). */
  readonly gicPutRedistAccessesPerCpu: number;
  /** Forward PSCI CPU_ON (FN64) and CPU_OFF to userspace with the SMCCC filter (patch 18). */
  readonly forwardPsci: boolean;
  /**
   * What realize does for a CPU device_set realizes lazily. `as-posted` (RFC V6): the CPU object was
   * created in machvirt_init, so dev->hotplugged is 0 and cpu_common_realizefn neither syncs post_init nor
   * calls cpu_resume: the thread keeps qemu_init_vcpu's stopped = true. `hotplugged`: counterfactual, the
   * realize behaves as for a hotplugged device (post_init sync + cpu_resume).
   */
  readonly lazyRealizeResume: 'as-posted' | 'hotplugged';
  /** The in-kernel ITS (arm-its-kvm): virt creates one by default; false models `-machine its=off`. */
  readonly its: boolean;
}

/** What the board's devices and firmware read of it (ArmVirt implements it). */
export interface ArmBoard {
  readonly gic: GicState;
  readonly options: ArmVirtOptions;
  readonly oracle: Oracle;
  readonly strategy: IccResetStrategy;
  /** Set by kvm_arm_gicv3_realize: whether a stop saves the pending tables. */
  savePendingTables: boolean;
  isAdminDisabled(cpu: CpuState): boolean;
  /** Runs `body` with the reset trigger the oracle should record for resets on this thread. */
  withResetTrigger<T>(trigger: ResetTrigger, body: () => Proc<T>): Proc<T>;
  resetTrigger(): ResetTrigger;
}
