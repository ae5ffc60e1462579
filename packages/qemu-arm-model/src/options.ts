// Options that select between upstream shapes the reference documents (qemu.md §5.12) or mark facts it
// leaves UNVERIFIED. Defaults follow current upstream ([QB]/[QM]).
import type { HandoffPolicy } from '@vgicsim/kvm-sim';
import type { QemuFixId } from './fixes.js';

export type VcpuLoopOrder =
  /** [QB]/[QM]: process events first, then exec if cpu_can_run (Paolo Bonzini, Sep 2025). */
  | 'events-then-exec'
  /** [QS], the RFC series' base: exec, then qemu_wait_io_event; cpu_exit does not kick. */
  | 'exec-then-events';

export interface QemuOptions {
  readonly loopOrder: VcpuLoopOrder;
  /** The BQL is a plain pthread mutex: not fair (barging). FIFO is available to study fairness. */
  readonly bqlPolicy: HandoffPolicy;
  /** A held BQL across a sleep longer than this (ns) is reported as a hazard. */
  readonly bqlSleepBoundNs: number;
  /**
   * kvm_halt_in_kernel_allowed: true on Arm, so a halted or powered-off vCPU still sits in KVM_RUN
   * (qemu.md §1.9). False makes cpu_thread_is_idle() true for halted vCPUs, as on accelerators without it.
   */
  readonly haltInKernel: boolean;
  /** What a stranded pauser does to the run: record it and go on (to the deadlock), or end the run. */
  readonly strandedPauserVerdict: 'continue' | 'stop';
  /** Patch 20/24: kvm_arm_reset_vcpu and the CPU_OFF work mark the vCPU dirty so its state is pushed. */
  readonly resetMarksDirty: boolean;
  /** How many core registers kvm_arch_put/get_registers move (each one KVM_{SET,GET}_ONE_REG). */
  readonly syncRegisterCount: number;
  /** Prefix of this process's thread names (a migration destination runs beside its source). */
  readonly threadPrefix: string;
  /** Upstream fixes to revert (fixes.ts): the model then behaves as QEMU did before each commit. */
  readonly revert: readonly QemuFixId[];
  /**
   * What a certain hang does to the run: a thread that can never leave pause_all_vcpus by itself ends the
   * run at once with verdict `hang` (`stop`), or is recorded and the run goes on (`continue`).
   */
  readonly hangVerdict: 'continue' | 'stop';
}

export const DEFAULT_QEMU_OPTIONS: QemuOptions = {
  loopOrder: 'events-then-exec',
  bqlPolicy: 'barging',
  bqlSleepBoundNs: 20_000,
  haltInKernel: true,
  strandedPauserVerdict: 'continue',
  resetMarksDirty: true,
  syncRegisterCount: 5,
  threadPrefix: '',
  revert: [],
  hangVerdict: 'stop',
};
