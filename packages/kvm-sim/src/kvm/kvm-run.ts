// KVM_RUN on arm64 (kvm_arch_vcpu_ioctl_run and its request handling, kvm.md §6.5, §7.4, §8): the caller
// already holds vcpu->mutex and keeps it until this returns: while the guest computes, while it sleeps in
// WFI, and while the vCPU is powered off. Only a return to userspace releases it.
import type { Proc } from '../kernel/objects.js';
import { DoneCall, type OpCall } from '../kernel/op-call.js';
import type { KvmContext } from './context.js';
import { EBUSY, EINTR, ENOEXEC } from './errno.js';
import { type GuestAction, type GuestCode, type GuestCpu, IDLE_GUEST } from './guest.js';
import { kvmPsciCall, kvmVcpuKick } from './psci-kernel.js';
import { SMCCC_RET_NOT_SUPPORTED, psciFunctionName, psciRetToX0 } from '@vgicsim/gicv3-regs';
import type { VcpuState, VmState } from './state.js';
import {
  KVM_EXIT_HYPERCALL,
  KVM_EXIT_INTR,
  KVM_EXIT_SYSTEM_EVENT,
  KVM_EXIT_UNKNOWN,
  KVM_HYPERCALL_EXIT_SMC,
  KVM_MP_STATE_STOPPED,
  KVM_SMCCC_FILTER_DENY,
  KVM_SMCCC_FILTER_FWD_TO_USER,
} from './uapi.js';
import { guestReadIccReg, guestWriteIccReg } from './vgic-sysregs.js';
import { emitKvmEvent } from './trace-vocabulary.js';

/** The loop's verdict for one step: keep running the guest, or return this value from KVM_RUN. */
type StepResult = number | null;

export function* kvmArchVcpuIoctlRun(ctx: KvmContext, vm: VmState, vcpu: VcpuState): Proc<number> {
  const { sim, costs } = ctx;
  const self = sim.self();
  if (!vcpu.initialized) return -ENOEXEC;
  if (!vcpu.hasRunOnce) {
    // kvm_arch_vcpu_run_pid_change → kvm_vgic_map_resources: an uninitialised in-kernel vGIC fails the
    // first run and marks the VM dead.
    if (vm.vgic !== null && !vm.vgic.initialized) {
      vm.dead = true;
      return -EBUSY;
    }
    vcpu.hasRunOnce = true;
    if (!vm.hasRanOnce) {
      yield* sim.lock(vm.configLock);
      vm.hasRanOnce = true;
      sim.unlock(vm.configLock);
    }
  }
  const run = vcpu.run;
  // kvm_arch_vcpu_ioctl_run: immediate_exit returns -EINTR before exit_reason is reset, so userspace
  // still sees the previous exit's reason.
  if (run.immediate_exit !== 0) return -EINTR;
  run.exit_reason = KVM_EXIT_UNKNOWN;
  vcpu.runner = self;
  yield* sim.sleep(sim.resolve(costs.kvmRunEntryNs), 'kvm-run-entry');
  let ret: StepResult = null;
  while (ret === null) ret = yield* runOnce(ctx, vm, vcpu);
  vcpu.inGuest = false;
  yield* sim.sleep(sim.resolve(costs.kvmRunExitNs), 'kvm-run-exit');
  vcpu.runner = null;
  return ret;
}

/** One pass of the KVM_RUN loop: its verdict, or null to go round again. */
// A plain function handing back the op call it ends in (the guest action's, or the stopped vCPU's sleep)
// rather than a generator of its own: it runs on every guest step. kvmArchVcpuIoctlRun yield*s it at once.
function runOnce(ctx: KvmContext, vm: VmState, vcpu: VcpuState): OpCall<StepResult> {
  const { sim } = ctx;
  const self = sim.self();
  // check_vcpu_requests: a pending CPU_ON reset is applied by the vCPU's own thread.
  if (vcpu.pendingReset !== null) kvmResetVcpu(ctx, vcpu, null);
  if (vcpu.mpState === KVM_MP_STATE_STOPPED) return sleepWhileStopped(ctx, vcpu);
  if (sim.signalPending(self)) return new DoneCall<StepResult>(exitIntr(vcpu));
  const action = nextGuestAction(ctx, vcpu);
  return execute(ctx, vm, vcpu, action);
}

/** kvm_vcpu_sleep: TASK_INTERRUPTIBLE until powered on; a signal ends KVM_RUN with -EINTR. */
function* sleepWhileStopped(ctx: KvmContext, vcpu: VcpuState): Proc<StepResult> {
  const r = yield* ctx.sim.block(vcpu.waitq, {
    interruptible: true,
    until: () => vcpu.mpState !== KVM_MP_STATE_STOPPED,
    interruptWakeNs: ctx.costs.wakeBlockedNs,
  });
  if (r === 'interrupted') return exitIntr(vcpu);
  vcpu.requestSleep = false;
  return null;
}

function exitIntr(vcpu: VcpuState): number {
  vcpu.run.exit_reason = KVM_EXIT_INTR;
  return -EINTR;
}

/** Advances the guest program by one action, starting it from regs.pc after a reset. */
function nextGuestAction(ctx: KvmContext, vcpu: VcpuState): GuestAction {
  if (vcpu.computeLeftNs > 0) return { op: 'compute', ns: vcpu.computeLeftNs };
  let code = vcpu.guest;
  if (code === null) {
    code = vcpu.program.start(guestCpu(ctx, vcpu), vcpu.regs.pc, vcpu.regs.x[0] ?? 0n);
    vcpu.guest = code;
    vcpu.guestNext = undefined;
    emitKvmEvent(ctx.sim, 'guest-start', { vcpu: vcpu.index, program: vcpu.program.name, pc: vcpu.regs.pc });
  }
  let input = vcpu.guestNext;
  if (vcpu.awaitingHypercall) {
    // The forwarded call's result is whatever userspace left in x0 (KVM_SET_ONE_REG).
    input = vcpu.regs.x[0] ?? 0n;
    vcpu.awaitingHypercall = false;
  }
  vcpu.guestNext = undefined;
  const res = code.next(input);
  if (res.done === true) {
    // A finished program idles: the vCPU waits for interrupts forever.
    const idle: GuestCode = IDLE_GUEST.start(guestCpu(ctx, vcpu), 0n, 0n);
    vcpu.guest = idle;
    return idle.next().value ?? { op: 'wfi' };
  }
  return res.value;
}

function guestCpu(ctx: KvmContext, vcpu: VcpuState): GuestCpu {
  return { index: vcpu.index, mpidr: vcpu.mpidr, now: () => ctx.sim.now };
}

function* execute(ctx: KvmContext, vm: VmState, vcpu: VcpuState, action: GuestAction): Proc<StepResult> {
  const { sim, costs } = ctx;
  switch (action.op) {
    case 'compute': {
      vcpu.inGuest = true;
      const left = yield* sim.sleepInterruptible(action.ns, 'guest', costs.ipiGuestExitNs);
      vcpu.inGuest = false;
      vcpu.computeLeftNs = left;
      return null;
    }
    case 'hvc':
    case 'smc':
      return yield* hypercall(ctx, vm, vcpu, action.op === 'smc', action.x);
    case 'wfi': {
      if (vcpu.irqPending) {
        vcpu.irqPending = false;
        return null;
      }
      yield* sim.block(vcpu.waitq, {
        interruptible: true,
        until: () => vcpu.irqPending || vcpu.mpState === KVM_MP_STATE_STOPPED || vcpu.pendingReset !== null,
        ...(action.timeoutNs === undefined ? {} : { timeoutNs: action.timeoutNs }),
        interruptWakeNs: costs.wakeBlockedNs,
      });
      // The WFI completes however it ends (a spurious wake-up is architecturally allowed).
      vcpu.irqPending = false;
      return null;
    }
    case 'msr':
      yield* sim.sleep(sim.resolve(costs.guestSysregNs), 'guest-msr');
      if (vcpu.vgic !== null) guestWriteIccReg(vcpu.vgic, ctx.ichVtr, action.reg, action.value);
      emitKvmEvent(sim, 'guest-msr', { vcpu: vcpu.index, reg: action.reg, value: action.value });
      return null;
    case 'mrs':
      yield* sim.sleep(sim.resolve(costs.guestSysregNs), 'guest-mrs');
      vcpu.guestNext = vcpu.vgic === null ? 0n : guestReadIccReg(vcpu.vgic, ctx.ichVtr, action.reg);
      return null;
    case 'sgi': {
      const target = vm.vcpus[action.target];
      yield* sim.sleep(sim.resolve(costs.guestSysregNs), 'guest-sgi');
      if (target !== undefined) {
        target.irqPending = true;
        sim.wake(target.waitq, true, costs.virtualIpiNs);
      }
      return null;
    }
  }
}

function* hypercall(
  ctx: KvmContext,
  vm: VmState,
  vcpu: VcpuState,
  smc: boolean,
  x: readonly [bigint, bigint, bigint, bigint],
): Proc<StepResult> {
  const { sim, costs } = ctx;
  const fn = Number(x[0] & 0xffffffffn);
  for (let i = 0; i < 4; i++) vcpu.regs.x[i] = x[i] ?? 0n;
  const action = vm.filter.lookup(fn);
  if (action === KVM_SMCCC_FILTER_FWD_TO_USER) {
    const run = vcpu.run;
    run.exit_reason = KVM_EXIT_HYPERCALL;
    run.hypercall = { nr: fn, args: [...x], flags: smc ? KVM_HYPERCALL_EXIT_SMC : 0 };
    vcpu.awaitingHypercall = true;
    emitKvmEvent(sim, 'hypercall-exit', { vcpu: vcpu.index, fn: psciFunctionName(fn) });
    return 0;
  }
  yield* sim.sleep(sim.resolve(costs.hvcInKernelNs), 'hvc-kernel');
  if (action === KVM_SMCCC_FILTER_DENY) {
    vcpu.regs.x[0] = psciRetToX0(SMCCC_RET_NOT_SUPPORTED);
    vcpu.guestNext = vcpu.regs.x[0];
    return null;
  }
  const out = yield* kvmPsciCall(ctx, vm, vcpu, x);
  switch (out.kind) {
    case 'result':
      vcpu.regs.x[0] = out.x0;
      vcpu.guestNext = out.x0;
      return null;
    case 'off':
      return null;
    case 'system-event':
      // x0 was preloaded with INTERNAL_FAILURE: what the guest sees if userspace runs the vCPU again.
      vcpu.guestNext = vcpu.regs.x[0];
      vcpu.run.exit_reason = KVM_EXIT_SYSTEM_EVENT;
      vcpu.run.system_event = { type: out.type };
      return 0;
  }
}

/**
 * kvm_reset_vcpu: core registers from a pending CPU_ON reset (or zero), the guest restarts there. It
 * never touches the vGIC CPU interface (kvm.md §8.1): that is reset only by vgic_init.
 */
export function kvmResetVcpu(ctx: KvmContext, vcpu: VcpuState, powerOff: boolean | null): void {
  const pending = vcpu.pendingReset;
  vcpu.pendingReset = null;
  vcpu.regs.pc = pending?.pc ?? 0n;
  vcpu.regs.x = [pending?.r0 ?? 0n, 0n, 0n, 0n];
  vcpu.guest = null;
  vcpu.guestNext = undefined;
  vcpu.awaitingHypercall = false;
  vcpu.computeLeftNs = 0;
  if (powerOff !== null) vcpu.mpState = powerOff ? KVM_MP_STATE_STOPPED : 0;
  emitKvmEvent(ctx.sim, 'vcpu-reset', { vcpu: vcpu.index, pc: vcpu.regs.pc, psci: pending !== null });
}

export { kvmVcpuKick };
