// The cost model: every duration the simulated KVM (and the QEMU model above it) charges, in ns. Defaults
// are the "Default ns" column of shared/reference/costs.md; each entry names its row. Any entry can be
// overridden, and any entry can be an inclusive [min, max] range resolved through the choice source.
import { DEFAULT_KERNEL_COSTS, type Duration, type KernelCosts, validateDuration } from '../kernel/durations.js';

export interface CostModel extends KernelCosts {
  /** Plain system call entry + exit (row 11). */
  readonly syscallNs: Duration;
  /** A simple vCPU ioctl such as KVM_GET_ONE_REG or KVM_SET_MP_STATE (row 12). */
  readonly vcpuIoctlNs: Duration;
  /** KVM_GET/SET_DEVICE_ATTR on vGIC registers: fixed part (row 13, 500 + 20 × nVCPU). */
  readonly deviceAttrBaseNs: Duration;
  /** …and per vCPU, charged on each trylock of the all-vCPU walk (row 13). */
  readonly deviceAttrPerVcpuNs: number;
  /** KVM_RUN entry into the guest (row 4 split: 500). */
  readonly kvmRunEntryNs: Duration;
  /** Leaving the guest and returning from KVM_RUN to user space (row 4 split: 500). */
  readonly kvmRunExitNs: Duration;
  /** QEMU's handling of an exit in user space (row 4 split: 800). */
  readonly userspaceExitNs: Duration;
  /** A guest HVC handled in the host kernel, round trip (row 1). */
  readonly hvcInKernelNs: Duration;
  /** A signalled vCPU running guest code: IPI and guest exit (row 15 component: ~1,200). */
  readonly ipiGuestExitNs: number;
  /** A vCPU blocked in WFI or powered off, woken by a signal or kick (row 16 futex wake: 4,000). */
  readonly wakeBlockedNs: number;
  /** pthread_kill / tgkill from the sender's side (row 15 component: 400). */
  readonly tgkillNs: Duration;
  /** SIG_IPI handler run on return to user space (row 15 component: ~1,000). */
  readonly signalHandlerNs: Duration;
  /** Virtual IPI between running vCPUs (row 7). */
  readonly virtualIpiNs: Duration;
  /** Default timer slack of a SCHED_OTHER thread (row 19). */
  readonly timerSlackNs: Duration;
  /** Wake-up path of a nanosleep after its slack (row 20: 104,000 = 50,000 + 50,000 + ~4,000). */
  readonly sleepWakeNs: Duration;
  /** A guest access to an ICC system register that does not trap (ICV registers in hardware; assumed). */
  readonly guestSysregNs: Duration;
}

export const DEFAULT_COST_MODEL: CostModel = {
  ...DEFAULT_KERNEL_COSTS,
  syscallNs: 350,
  vcpuIoctlNs: 400,
  deviceAttrBaseNs: 500,
  deviceAttrPerVcpuNs: 20,
  kvmRunEntryNs: 500,
  kvmRunExitNs: 500,
  userspaceExitNs: 800,
  hvcInKernelNs: 400,
  ipiGuestExitNs: 1200,
  wakeBlockedNs: 4000,
  tgkillNs: 400,
  signalHandlerNs: 1000,
  virtualIpiNs: 2000,
  timerSlackNs: 50_000,
  sleepWakeNs: 4000,
  guestSysregNs: 20,
};

/** Where each default comes from: costs.md row and tag (P published, C converted, D derived, A assumed). */
export const COST_SOURCES: Readonly<Record<keyof CostModel, string>> = {
  mutexFastPathNs: 'row 18 (A)',
  futexWakeNs: 'row 16 (P)',
  condWakeNs: 'row 16 (P)',
  signalWakeNs: 'row 16 (P)',
  spawnNs: 'assumed (A)',
  syscallNs: 'row 11 (P)',
  vcpuIoctlNs: 'row 12 (P)',
  deviceAttrBaseNs: 'row 13 (A)',
  deviceAttrPerVcpuNs: 'row 13 (A)',
  kvmRunEntryNs: 'row 4 (D/A split)',
  kvmRunExitNs: 'row 4 (D/A split)',
  userspaceExitNs: 'row 4 (D/A split)',
  hvcInKernelNs: 'row 1 (P)',
  ipiGuestExitNs: 'row 15 (A component)',
  wakeBlockedNs: 'rows 15–16 (A/P)',
  tgkillNs: 'row 15 (A component)',
  signalHandlerNs: 'row 15 (A component)',
  virtualIpiNs: 'row 7 (P)',
  timerSlackNs: 'row 19 (P)',
  sleepWakeNs: 'row 20 (D)',
  guestSysregNs: 'assumed (A)',
};

/**
 * The same model with the spreads the reference reports between current Arm servers (Ampere Altra to
 * Kunpeng 920 for rows 1, 3, 6, 7; the published futex/condvar spreads for row 16), for runs that want
 * timing noise from the cost model as well as from the scheduling window.
 */
export const SPREAD_COST_MODEL: CostModel = {
  ...DEFAULT_COST_MODEL,
  futexWakeNs: [3500, 4500],
  condWakeNs: [4000, 5000],
  hvcInKernelNs: [306, 408],
  virtualIpiNs: [1618, 1926],
  sleepWakeNs: [3500, 5500],
};

export function makeCostModel(overrides: Partial<CostModel> = {}, base: CostModel = DEFAULT_COST_MODEL): CostModel {
  const model: CostModel = { ...base, ...overrides };
  for (const [name, d] of Object.entries(model)) validateDuration(name, d as Duration);
  return model;
}
