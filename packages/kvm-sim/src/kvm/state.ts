// Plain state of the simulated VM, its vCPUs and the vGIC (kvm.md §13.1). Behaviour lives in the modules
// that mirror the kernel files: vgic-init.ts, vgic-kvm-device.ts, vgic-sysregs.ts, kvm-run.ts, psci-kernel.ts, kvm.ts.
import { type VgicVmcr, mpidrHwid } from '@vgicsim/gicv3-regs';
import { type HeldCounter, Mutex, type SimThread, WaitQueue } from '../kernel/objects.js';
import type { GuestCode, GuestProgram, GuestResult } from './guest.js';
import { SmcccFilter } from './smccc-filter.js';
import { vcpuWaitQueueName } from './trace-vocabulary.js';
import { KVM_EXIT_UNKNOWN, KVM_MP_STATE_RUNNABLE, type KvmRun } from './uapi.js';

/**
 * How KVM locks the vCPUs for a vGIC register access. `lockless-shadow-idealised` is the Oct-2025 RFC as it
 * was meant to work (ICC_CTLR_EL1 reads after CTRL_INIT answered from a shadow seeded at init);
 * `lockless-shadow-as-posted` is the patch as posted: its register check never matches (see vgic-lock-lockless-shadow-as-posted.ts)
 * and it never seeds the shadow, so it behaves exactly like `all-vcpus`. One module each: vgic-lock-*.ts.
 */
export type LockPolicy = 'all-vcpus' | 'target-vcpu' | 'lockless-shadow-idealised' | 'lockless-shadow-as-posted';
export const LOCK_POLICIES: readonly LockPolicy[] = ['all-vcpus', 'target-vcpu', 'lockless-shadow-idealised', 'lockless-shadow-as-posted'];

/** Kernel releases whose behaviour the model can mirror; what differs is data in kernel-versions.ts (kvm.md §4.3). */
export type KernelVersion = 'v6.16' | 'v6.4' | 'v6.0' | 'v5.19';
export const KERNEL_VERSIONS: readonly KernelVersion[] = ['v6.16', 'v6.4', 'v6.0', 'v5.19'];

/** struct vgic_v3_cpu_if plus vgic_cpu's bit counts, as far as the sysreg accessors use them. */
export interface VgicCpuState {
  vmcr: VgicVmcr;
  sre: bigint;
  readonly ap0r: number[];
  readonly ap1r: number[];
  numPriBits: number;
  numIdBits: number;
  /** The lockless-shadow RFC's per-vCPU copy of ICC_CTLR_EL1 (kept in every policy; read only by the idealised one). */
  iccCtlrShadow: bigint;
}

export interface PsciResetState {
  pc: bigint;
  r0: bigint;
}

export class VcpuState {
  readonly mutex: Mutex;
  /** rcuwait the vCPU sleeps on in WFI, while powered off or paused. */
  readonly waitq: WaitQueue;
  initialized = false;
  hasRunOnce = false;
  mpState = KVM_MP_STATE_RUNNABLE;
  /** A CPU_ON reset waiting for the vCPU's own thread (KVM_REQ_VCPU_RESET). */
  pendingReset: PsciResetState | null = null;
  requestSleep = false;
  /** Interrupt pending for the guest (an SGI); WFI returns when set. */
  irqPending = false;
  readonly regs = { pc: 0n, x: [0n, 0n, 0n, 0n] as bigint[] };
  readonly run: KvmRun = {
    immediate_exit: 0,
    exit_reason: KVM_EXIT_UNKNOWN,
    hypercall: { nr: 0, args: [], flags: 0 },
    system_event: { type: 0 },
  };
  /** The running guest code; null until started (again) from regs.pc after a reset. */
  guest: GuestCode | null = null;
  guestNext: GuestResult = undefined;
  /** A forwarded HVC waits for userspace: the guest sees regs.x[0] when it resumes. */
  awaitingHypercall = false;
  /** Guest compute left over when an exit interrupted it. */
  computeLeftNs = 0;
  /** The thread currently inside KVM_RUN, and whether it is executing guest code right now. */
  runner: SimThread | null = null;
  inGuest = false;
  vgic: VgicCpuState | null = null;

  private mpidrValue: bigint;

  constructor(
    readonly index: number,
    mpidr: bigint,
    public program: GuestProgram,
    /** Counts this vCPU's mutex while held, with every other vCPU mutex of its KVM (Kvm.vcpuMutexesHeld). */
    heldCounter: HeldCounter | null = null,
  ) {
    this.mpidrValue = mpidr;
    this.mutex = new Mutex(`vcpu${index}.mutex`, 'barging', heldCounter);
    this.waitq = new WaitQueue(vcpuWaitQueueName(index));
  }

  get mpidr(): bigint {
    return this.mpidrValue;
  }

  /** A write invalidates every VM's MPIDR index (see VmState.vcpuByMpidr). */
  set mpidr(value: bigint) {
    this.mpidrValue = value;
    mpidrWrites++;
  }
}

/** Counts MPIDR writes of any vCPU, so a VM's MPIDR index can tell when it is out of date. */
let mpidrWrites = 0;

export interface VgicDistState {
  readonly model: 'v3';
  initialized: boolean;
  nrSpis: number;
  distBase: bigint | null;
  redistBase: bigint | null;
  miIntid: number;
}

export class VmState {
  /** kvm->lock */
  readonly lock = new Mutex('kvm->lock');
  /** kvm->arch.config_lock */
  readonly configLock = new Mutex('config_lock');
  readonly vcpus: VcpuState[] = [];
  readonly filter = new SmcccFilter();
  vgic: VgicDistState | null = null;
  dead = false;
  hasRanOnce = false;
  /** kvm->arch.vgic.has_its, and how many ITS devices were created (names their its_lock). */
  hasIts = false;
  itsCount = 0;
  /** The guest's IPA size (kvm_phys_size): 40 bits, the default VM type. */
  ipaBits = 40;

  /** kvm_mpidr_to_vcpu's hwid → vCPU map (first vCPU wins, as the scan); rebuilt when vCPUs or MPIDRs change. */
  private mpidrIndex = new Map<bigint, VcpuState>();
  private indexedVcpus = 0;
  private indexedWrites = 0;

  /**
   * kvm_mpidr_to_vcpu: the first vCPU whose MPIDR has these affinity bits. Every vGIC sysreg access looks
   * its target up this way, so the answer comes from an index instead of a scan of all vCPUs (upstream
   * keeps such an index too, kvm->arch.mpidr_data); the index is rebuilt whenever a vCPU was added or an
   * MPIDR written since, so it always answers what the scan would.
   */
  vcpuByMpidr(mpidr: bigint): VcpuState | undefined {
    if (this.indexedVcpus !== this.vcpus.length || this.indexedWrites !== mpidrWrites) {
      this.mpidrIndex.clear();
      for (const v of this.vcpus) {
        const hwid = mpidrHwid(v.mpidr);
        if (!this.mpidrIndex.has(hwid)) this.mpidrIndex.set(hwid, v);
      }
      this.indexedVcpus = this.vcpus.length;
      this.indexedWrites = mpidrWrites;
    }
    return this.mpidrIndex.get(mpidrHwid(mpidr));
  }
}
