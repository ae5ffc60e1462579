// The Arm `virt` board with an in-kernel GICv3 and userspace PSCI (RFC V6 patch 18): its ArchHooks plug
// the Arm and GIC logic into the generic machinery of part 1.
import {
  KVM_DEV_ARM_VGIC_GRP_CTRL,
  KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES,
  PSCI_0_2_FN64_CPU_ON,
  PSCI_0_2_FN_CPU_OFF,
} from '@vgicsim/gicv3-regs';
import {
  EFAULT,
  errnoName,
  KVM_ARM_VM_SMCCC_CTRL,
  KVM_ARM_VM_SMCCC_FILTER,
  KVM_EXIT_HYPERCALL,
  KVM_SMCCC_FILTER_FWD_TO_USER,
  type KvmRun,
  type Proc,
  type SimThread,
} from '@vgicsim/kvm-sim';
import type { CpuState } from '../cpu-state.js';
import { kvmDeviceAccess } from '../kvm-all.js';
import type { ArchHooks, Qemu } from '../qemu.js';
import { ItsState, kvmArmItsRealize, kvmArmItsResetHold, kvmArmItsVmChangeStateHandler } from './arm-gicv3-its-kvm.js';
import type { ArmBoard, ArmVirtOptions } from './board.js';
import { GicState } from './gic-state.js';
import { kvmArmGicv3Realize } from './gicv3-kvm.js';
import { Oracle, type ResetTrigger } from './oracle.js';
import { kvmArmHandleHypercall } from './psci.js';
import type { IccResetStrategy } from './strategy.js';
import { emitQemuEvent } from '../trace-vocabulary.js';

/** Where the guest kernel is entered on the boot CPU, and where secondaries start (a guest's choice). */
export const DEFAULT_BOOT_ENTRY = 0x40080000n;

export type { ArmVirtOptions };

export const DEFAULT_ARM_VIRT_OPTIONS: Omit<ArmVirtOptions, 'strategy'> = {
  iccResetCallsPerCpuReset: 2,
  bootEntry: DEFAULT_BOOT_ENTRY,
  migrationBlocker: false,
  gicPutDistAccesses: 2,
  gicPutRedistAccessesPerCpu: 2,
  forwardPsci: true,
  lazyRealizeResume: 'as-posted',
  its: true,
};

export class ArmVirt implements ArchHooks, ArmBoard {
  readonly gic = new GicState();
  /** The ITS, when the board has one (created after the GIC, as virt's create_its). */
  its: ItsState | null = null;
  readonly options: ArmVirtOptions;
  oracle!: Oracle;
  savePendingTables = false;
  /** Admin-disabled CPUs (RFC device_set): CPU_ON to them is DENIED. */
  readonly adminDisabled = new Set<CpuState>();
  private readonly triggers = new Map<SimThread, ResetTrigger[]>();
  private q: Qemu | null = null;

  constructor(options: Partial<ArmVirtOptions> & { strategy: IccResetStrategy }) {
    this.options = { ...DEFAULT_ARM_VIRT_OPTIONS, ...options };
  }

  get strategy(): IccResetStrategy {
    return this.options.strategy;
  }

  /** Binds the board to its QEMU process (the oracle needs the host profile). */
  attach(q: Qemu): void {
    this.q = q;
    this.oracle = new Oracle(q);
  }

  isAdminDisabled(cpu: CpuState): boolean {
    return this.adminDisabled.has(cpu);
  }

  /** Runs `body` with the reset trigger the oracle should record for resets on this thread. */
  *withResetTrigger<T>(trigger: ResetTrigger, body: () => Proc<T>): Proc<T> {
    const t = this.qemu().sim.self();
    const stack = this.triggers.get(t) ?? [];
    stack.push(trigger);
    this.triggers.set(t, stack);
    try {
      return yield* body();
    } finally {
      stack.pop();
    }
  }

  resetTrigger(): ResetTrigger {
    const q = this.qemu();
    const stack = this.triggers.get(q.sim.self());
    const top = stack?.[stack.length - 1];
    if (top !== undefined) return top;
    return q.runstate === 'prelaunch' ? 'machine-creation' : 'system-reset';
  }

  private qemu(): Qemu {
    if (this.q === null) throw new Error('ArmVirt is not attached to a Qemu (call attach)');
    return this.q;
  }

  /** kvm_arch_init + patch 18's kvm_arm_set_smccc_filter for FN64 CPU_ON and CPU_OFF. */
  *kvmArchInit(q: Qemu): Proc {
    if (!this.options.forwardPsci) return;
    for (const fn of [PSCI_0_2_FN64_CPU_ON, PSCI_0_2_FN_CPU_OFF]) {
      const attr = { group: KVM_ARM_VM_SMCCC_CTRL, attr: BigInt(KVM_ARM_VM_SMCCC_FILTER), addr: null };
      const has = yield* q.kvm.ioctl(q.vmFd, 'KVM_HAS_DEVICE_ATTR', attr);
      if (has < 0) q.abort(`kvm_arm_set_smccc_filter: SMCCC filter not supported (${errnoName(has)})`);
      const r = yield* q.kvm.ioctl(q.vmFd, 'KVM_SET_DEVICE_ATTR', {
        group: KVM_ARM_VM_SMCCC_CTRL,
        attr: BigInt(KVM_ARM_VM_SMCCC_FILTER),
        addr: { base: fn, nr_functions: 1, action: KVM_SMCCC_FILTER_FWD_TO_USER },
      });
      if (r < 0) q.abort(`kvm_arm_set_smccc_filter: failed to set filter for 0x${fn.toString(16)}: ${errnoName(r)}`);
    }
  }

  *handleExit(q: Qemu, cpu: CpuState, run: KvmRun): Proc<number> {
    if (run.exit_reason === KVM_EXIT_HYPERCALL) return yield* kvmArmHandleHypercall(q, this, cpu, run);
    emitQemuEvent(q.sim, 'unhandled-exit', { cpu: cpu.index, reason: run.exit_reason });
    return 0;
  }

  *realizeDevices(q: Qemu): Proc {
    yield* kvmArmGicv3Realize(q, this);
    if (!this.options.its) return;
    const its = new ItsState();
    this.its = its;
    this.gic.lpiEnable = true;
    yield* kvmArmItsRealize(q, its);
    // bus_add_child inserts each new sysbus device at the head of the bus's children, and the reset phases
    // walk that list in order: the ITS, created after the GIC, runs its hold phase first.
    q.resetDevices.unshift({ name: 'arm-its-kvm', resetHold: (qq) => kvmArmItsResetHold(qq, its) });
  }

  /** RFC patch 5: possible CPUs beyond -smp cpus start admin-disabled (qdev_disable). */
  onDisabledCpu(_q: Qemu, cpu: CpuState): void {
    this.adminDisabled.add(cpu);
  }

  /** do_cpu_reset for the primary CPU: enter the kernel at its entry point. */
  bootCpuSetup(_q: Qemu, cpu: CpuState): void {
    if (cpu.index === 0) cpu.env.pc = this.options.bootEntry;
  }

  /**
   * vm_state_notify runs the change-state handlers in reverse registration order on a stop: the ITS's
   * (SAVE_TABLES, errors reported) before the GIC's (SAVE_PENDING_TABLES, abort on failure other than -EFAULT).
   */
  *vmStateChange(q: Qemu, running: boolean): Proc {
    if (this.its !== null) yield* kvmArmItsVmChangeStateHandler(q, this.its, running);
    if (running || !this.savePendingTables) return;
    const err = { error: null as string | null };
    const ret = yield* kvmDeviceAccess(
      q,
      this.gic.devFd,
      KVM_DEV_ARM_VGIC_GRP_CTRL,
      BigInt(KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES),
      { value: 0n },
      true,
      err,
    );
    if (ret < 0 && ret !== -EFAULT) q.abort(`vm_change_state_handler: ${err.error ?? errnoName(ret)}`);
  }
}
