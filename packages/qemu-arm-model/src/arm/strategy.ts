// The ICC_CTLR_EL1 part of arm_gicv3_icc_reset as a pluggable strategy. Built-in strategies mirror the
// designs on the table; users supply their own object with the same shape (see strategy-api.ts for what a
// design may call, and strategy-validate.ts for how a module's export is checked).
import type { Proc } from '@vgicsim/kvm-sim';
import type { CpuState } from '../cpu-state.js';
import type { GicCpuState } from './gic-state.js';
import type { StrategyContext } from './strategy-api.js';

export type { StrategyContext };

export interface IccResetStrategy {
  readonly name: string;
  /** One paragraph: what the design does and what it costs. */
  readonly description: string;
  /** Where it comes from (commit, patch, message-id). */
  readonly source: string;
  /**
   * Whether arm_gicv3_icc_reset keeps upstream's `if (s->migration_blocker) return;` before the
   * ICC_CTLR_EL1 step (59ad421d66 removed it).
   */
  readonly blockerEarlyReturn: boolean;
  /** Runs at the end of kvm_arm_gicv3_realize: after CTRL_INIT, before any vCPU runs. */
  onRealize?(ctx: StrategyContext): Proc;
  /** Step 8 of arm_gicv3_icc_reset: leave the reset value in c.iccCtlrEl1[NS] and [S]. */
  resetIccCtlr(ctx: StrategyContext, c: GicCpuState): Proc;
  /** First statement of arm_set_cpu_on_async_work (the RFC sets first_psci_on_request_seen here). */
  beforeCpuOnReset?(cpu: CpuState): void;
}
