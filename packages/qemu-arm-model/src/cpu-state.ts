// CPUState (include/hw/core/cpu.h) and the ARMCPU fields the model needs (target/arm/cpu.h), as plain
// data. The functions that change them live in cpus.ts, cpu-work.ts, vcpu-thread.ts and reset.ts.
import { CondVar, Mutex, type SimThread } from '@vgicsim/kvm-sim';
import type { Proc } from '@vgicsim/kvm-sim';

/** A queued run_on_cpu item (struct qemu_work_item). */
export interface WorkItem {
  readonly label: string;
  readonly fn: (cpu: CpuState) => Proc;
  /** async items are freed after running; sync ones get `done` set for their waiter. */
  readonly free: boolean;
  done: boolean;
}

/** ARMPSCIState: also the AFFINITY_INFO return values. */
export const PSCI_ON = 0;
export const PSCI_OFF = 1;
/** Never assigned anywhere upstream (qemu.md §3): the ON_PENDING checks are dead code. */
export const PSCI_ON_PENDING = 2;

export class CpuState {
  thread: SimThread | null = null;
  vcpuFd = -1;
  created = false;
  /** Asked to stop (set by others, cleared when the vCPU stops itself). */
  stop = false;
  /** Really stopped: written only by the vCPU's own thread (or qemu_init_vcpu). */
  private stoppedFlag = false;
  threadKicked = false;
  exitRequest = false;
  halted = false;
  running = false;
  vcpuDirty = false;
  unplug = false;
  /** RFC patch 17: parked in userspace (out of cpus_queue, idle on halt_cond). */
  parked = false;
  readonly workList: WorkItem[] = [];
  readonly workMutex: Mutex;
  readonly haltCond: CondVar;
  exceptionIndex = -1;
  /** Guest registers as QEMU holds them (env->pc, env->xregs[0..3]). */
  readonly env = { pc: 0n, xregs: [0n, 0n, 0n, 0n] as bigint[] };

  // ARMCPU
  startPoweredOff = false;
  powerState = PSCI_ON;
  mpAffinity = 0n;
  /** RFC V6 21/24: set at the start of every CPU_ON work item, never cleared (outside env, survives reset). */
  firstPsciOnRequestSeen = false;

  /** Called on every change of `stopped` (metrics of time spent stopped). */
  onStoppedChange: ((cpu: CpuState, stopped: boolean) => void) | null = null;

  constructor(readonly index: number) {
    this.workMutex = new Mutex(`cpu${index}.work_mutex`);
    this.haltCond = new CondVar(`cpu${index}.halt_cond`);
  }

  get stopped(): boolean {
    return this.stoppedFlag;
  }

  set stopped(value: boolean) {
    if (value === this.stoppedFlag) return;
    this.stoppedFlag = value;
    this.onStoppedChange?.(this, value);
  }

  get name(): string {
    return `CPU ${this.index}/KVM`;
  }
}
