// A baseline (Salil's earlier qemu-devel variant, kvm.md §12): every read wrapped in
// pause_all_vcpus/resume_all_vcpus, error_abort on failure.
import type { Proc } from '@vgicsim/kvm-sim';
import { pauseAllVcpus, resumeAllVcpus } from '../../cpus.js';
import { ICC_CTLR_EL1, kvmGiccAccess } from '../gic-access.js';
import { GICV3_NS, GICV3_S, type GicCpuState } from '../gic-state.js';
import type { IccResetStrategy, StrategyContext } from '../strategy.js';

export const PAUSE_ALWAYS: IccResetStrategy = {
  name: 'pause-always',
  description:
    'Every reset pauses all vCPUs, reads ICC_CTLR_EL1 from KVM with error_abort and resumes: never EBUSY ' +
    'from a running vCPU, but one VM-wide pause per arm_gicv3_icc_reset call (two per cpu_reset), and a resume_all_vcpus that also restarts ' +
    'vCPUs someone else (a system reset) had paused.',
  source: 'qemu-devel: the pause_all_vcpus/resume_all_vcpus wrapper proposed before the RFC V6 caching (kvm.md §12)',
  blockerEarlyReturn: true,
  *resetIccCtlr({ q, gic }: StrategyContext, c: GicCpuState): Proc {
    yield* pauseAllVcpus(q);
    const val = { value: 0n };
    yield* kvmGiccAccess(q, gic, c, ICC_CTLR_EL1, val, false, 'error_abort');
    yield* resumeAllVcpus(q);
    c.iccCtlrEl1[GICV3_NS] = val.value;
    c.iccCtlrEl1[GICV3_S] = val.value;
  },
};
