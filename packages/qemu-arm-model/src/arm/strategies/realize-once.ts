// Upstream commit 59ad421d66 "hw/intc/arm_gicv3_kvm: Avoid reading ICC_CTLR_EL1 from kernel in cpuif
// reset" (Peter Maydell, Oct 2025; qemu.md §1.8).
import type { Proc } from '@vgicsim/kvm-sim';
import { ICC_CTLR_EL1, kvmGiccAccess } from '../gic-access.js';
import { GICV3_NS, GICV3_S, type GicCpuState } from '../gic-state.js';
import type { IccResetStrategy, StrategyContext } from '../strategy.js';

export const REALIZE_ONCE: IccResetStrategy = {
  name: 'realize-once',
  description:
    'At the end of kvm_arm_gicv3_realize (after CTRL_INIT, before any vCPU has run) read each CPU’s ' +
    'ICC_CTLR_EL1 once with error_abort into kvm_reset_icc_ctlr_el1; every reset copies that value and ' +
    'never touches KVM, so no reset can hit EBUSY or pause the VM. With a migration blocker the cached ' +
    'value is 0 (the early return is gone).',
  source: 'qemu/qemu commit 59ad421d66df9e53b944475378b6fe389a61612d (<20251014102439.319915-1-peter.maydell@linaro.org>)',
  blockerEarlyReturn: false,
  *onRealize({ q, gic }: StrategyContext): Proc {
    if (gic.migrationBlocker !== null) return;
    for (const c of gic.cpus) {
      const val = { value: 0n };
      yield* kvmGiccAccess(q, gic, c, ICC_CTLR_EL1, val, false, 'error_abort');
      c.kvmResetIccCtlrEl1 = val.value;
    }
  },
  *resetIccCtlr(_ctx: StrategyContext, c: GicCpuState): Proc {
    c.iccCtlrEl1[GICV3_NS] = c.kvmResetIccCtlrEl1;
    c.iccCtlrEl1[GICV3_S] = c.kvmResetIccCtlrEl1;
  },
};
