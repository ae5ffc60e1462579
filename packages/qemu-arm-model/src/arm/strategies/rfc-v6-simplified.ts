// The simplification Salil Mehta proposed in review of RFC V6 21/24 (PMM-fix thread, Oct 2025; qemu.md
// §7.1): drop first_psci_on_request_seen (and with it guest_gicc_initialized and the second cache) and
// cache ICC_CTLR_EL1 on the first cpu_reset of each vCPU, through the same kvm_gicc_get_cached_icc_ctlr_el1.
import type { Proc } from '@vgicsim/kvm-sim';
import type { GicCpuState } from '../gic-state.js';
import type { IccResetStrategy, StrategyContext } from '../strategy.js';
import { kvmGiccGetCachedIccCtlrEl1 } from './rfc-v6.js';

export const RFC_V6_SIMPLIFIED: IccResetStrategy = {
  name: 'rfc-v6-simplified',
  description:
    'One per-vCPU cache, filled on the first cpu_reset of that vCPU by the RFC’s helper (a plain read, on ' +
    'EBUSY/EAGAIN pause_all_vcpus with 5 tries and 50 µs sleeps under the BQL, abort on the 5th) and used by ' +
    'every later reset; no first_psci_on_request_seen, no guest_gicc_initialized. CPUs realized at machine ' +
    'creation fill it in the initial system reset while every vCPU is stopped (no pause); a CPU realized later ' +
    '(device_set) misses while the VM runs and pauses it from the main thread. Nothing is migrated or reset.',
  source: 'Salil Mehta’s reply in the PMM-fix review thread (Oct 2025, qemu.md §7.1): "drop first_psci_on_request_seen, cache on the first cpu_reset"',
  blockerEarlyReturn: true,
  *resetIccCtlr(ctx: StrategyContext, c: GicCpuState): Proc {
    // The single cache lives in the helper's arch-default slot: its value is the one at the first reset.
    yield* kvmGiccGetCachedIccCtlrEl1(ctx, c, 'arch-def');
  },
};
