// QEMU before commit 59ad421d66: arm_gicv3_icc_reset reads the kernel's current ICC_CTLR_EL1 on every
// reset with &error_abort (hw/intc/arm_gicv3_kvm.c, qemu.md §1.4 step 8) — here combined with RFC patch 18's
// userspace PSCI, which upstream never had: the pair never shipped.
import type { Proc } from '@vgicsim/kvm-sim';
import { ICC_CTLR_EL1, kvmGiccAccess } from '../gic-access.js';
import { GICV3_NS, GICV3_S, type GicCpuState } from '../gic-state.js';
import type { IccResetStrategy, StrategyContext } from '../strategy.js';

export const UPSTREAM_2025: IccResetStrategy = {
  name: 'upstream-2025',
  description:
    'A combination that never shipped: the pre-59ad421d66 GIC code plus RFC patch 18’s PSCI forwarding. ' +
    'Every cpu_reset reads ICC_CTLR_EL1 from KVM with KVM_GET_DEVICE_ATTR and error_abort, straight into ' +
    'icc_ctlr_el1[NS], then copies it to [S]. KVM only allows the read when it can trylock every vCPU mutex, ' +
    'so once PSCI CPU_ON is handled in userspace the first CPU_ON while other vCPUs sit in KVM_RUN aborts QEMU. ' +
    'Upstream never had both: under KVM, PSCI stays in the kernel, and since 59ad421d66 the reset no longer reads ' +
    'ICC_CTLR_EL1 from KVM.',
  source:
    'pre-59ad421d66 GIC code + RFC patch 18’s PSCI forwarding, never shipped (hw/intc/arm_gicv3_kvm.c ' +
    'arm_gicv3_icc_reset before 59ad421d66, qemu.md §1.4)',
  blockerEarlyReturn: true,
  *resetIccCtlr({ q, gic }: StrategyContext, c: GicCpuState): Proc {
    const val = { value: c.iccCtlrEl1[GICV3_NS] };
    yield* kvmGiccAccess(q, gic, c, ICC_CTLR_EL1, val, false, 'error_abort');
    c.iccCtlrEl1[GICV3_NS] = val.value;
    c.iccCtlrEl1[GICV3_S] = c.iccCtlrEl1[GICV3_NS];
  },
};
