// PSCI calls KVM handles itself when the SMCCC filter does not forward them (arch/arm64/kvm/psci.c,
// kvm.md §8.2). Runs in the calling vCPU's KVM_RUN, holding only the caller's vcpu->mutex.
import { MPIDR_HWID_BITMASK, mpidrAffinityMask } from '@vgicsim/gicv3-regs';
import type { Proc } from '../kernel/objects.js';
import type { KvmContext } from './context.js';
import { kernelShape } from './kernel-versions.js';
import {
  PSCI_0_2_AFFINITY_LEVEL_OFF,
  PSCI_0_2_AFFINITY_LEVEL_ON,
  PSCI_0_2_FN64_AFFINITY_INFO,
  PSCI_0_2_FN64_CPU_ON,
  PSCI_0_2_FN_AFFINITY_INFO,
  PSCI_0_2_FN_CPU_OFF,
  PSCI_0_2_FN_CPU_ON,
  PSCI_0_2_FN_MIGRATE_INFO_TYPE,
  PSCI_0_2_FN_PSCI_VERSION,
  PSCI_0_2_FN_SYSTEM_OFF,
  PSCI_0_2_FN_SYSTEM_RESET,
  PSCI_0_2_FN64_CPU_SUSPEND,
  PSCI_0_2_FN_CPU_SUSPEND,
  PSCI_1_0_FN_PSCI_FEATURES,
  PSCI_1_1_FN64_SYSTEM_RESET2,
  PSCI_1_1_FN_SYSTEM_RESET2,
  PSCI_1_3_FN64_SYSTEM_OFF2,
  PSCI_1_3_FN_SYSTEM_OFF2,
  PSCI_1_3_OFF_TYPE_HIBERNATE_OFF,
  ARM_SMCCC_VERSION_FUNC_ID,
  PSCI_RET_ALREADY_ON,
  PSCI_RET_INTERNAL_FAILURE,
  PSCI_RET_INVALID_PARAMS,
  PSCI_RET_NOT_SUPPORTED,
  PSCI_RET_SUCCESS,
  psciFunctionName,
  psciRetToX0,
} from '@vgicsim/gicv3-regs';
import type { VcpuState, VmState } from './state.js';
import { KVM_MP_STATE_RUNNABLE, KVM_MP_STATE_STOPPED, KVM_SYSTEM_EVENT_RESET, KVM_SYSTEM_EVENT_SHUTDOWN } from './uapi.js';
import { emitKvmEvent } from './trace-vocabulary.js';

/** What the guest sees next: an x0 result, no return at all (CPU_OFF), or an exit to userspace. */
export type PsciOutcome =
  | { readonly kind: 'result'; readonly x0: bigint }
  | { readonly kind: 'off' }
  | { readonly kind: 'system-event'; readonly type: number };

/** kvm_vcpu_kick as far as the model needs it: end a WFI/stopped sleep, or make a guest exit. */
export function kvmVcpuKick(ctx: KvmContext, target: VcpuState): void {
  ctx.sim.wake(target.waitq, true, ctx.costs.wakeBlockedNs);
  if (target.inGuest && target.runner !== null) ctx.sim.kick(target.runner);
}

/** kvm_psci_version's default: KVM_ARM_PSCI_LATEST, 1.3 from Linux 6.13 (SYSTEM_OFF2), 1.1 before. */
export function kvmPsciVersion(ctx: KvmContext): number {
  return kernelShape(ctx.kernel).psciVersion;
}

/** kvm_psci_narrow_to_32bit: the 32-bit calls see only the low halves of x1..x3. */
function narrow(x: readonly bigint[]): bigint[] {
  return [x[0] ?? 0n, ...[1, 2, 3].map((i) => (x[i] ?? 0n) & 0xffffffffn)];
}

export function* kvmPsciCall(ctx: KvmContext, vm: VmState, vcpu: VcpuState, x0s: readonly bigint[]): Proc<PsciOutcome> {
  const fn = Number((x0s[0] ?? 0n) & 0xffffffffn);
  const x = fn === PSCI_0_2_FN_CPU_ON || fn === PSCI_0_2_FN_AFFINITY_INFO ? narrow(x0s) : x0s;
  const x1 = x[1] ?? 0n;
  const minor = kvmPsciVersion(ctx) & 0xffff;
  emitKvmEvent(ctx.sim, 'psci-kernel', { vcpu: vcpu.index, fn: psciFunctionName(fn) });
  switch (fn) {
    case PSCI_0_2_FN_PSCI_VERSION:
      return result(kvmPsciVersion(ctx));
    case PSCI_0_2_FN_CPU_ON:
    case PSCI_0_2_FN64_CPU_ON: {
      // kvm->lock is held around kvm_psci_vcpu_on.
      yield* ctx.sim.lock(vm.lock);
      const ret = kvmPsciVcpuOn(ctx, vm, x1, x[2] ?? 0n, x[3] ?? 0n);
      ctx.sim.unlock(vm.lock);
      return result(ret);
    }
    case PSCI_0_2_FN_CPU_OFF:
      // kvm_arm_vcpu_power_off: STOPPED + KVM_REQ_SLEEP; the run loop then sleeps holding the mutex.
      vcpu.mpState = KVM_MP_STATE_STOPPED;
      vcpu.requestSleep = true;
      return { kind: 'off' };
    case PSCI_0_2_FN_AFFINITY_INFO:
    case PSCI_0_2_FN64_AFFINITY_INFO:
      return result(affinityInfo(vm, x1, x[2] ?? 0n));
    case PSCI_0_2_FN_SYSTEM_OFF:
    case PSCI_0_2_FN_SYSTEM_RESET: {
      // Every vCPU is stopped and put to sleep; x0 is preloaded with INTERNAL_FAILURE for a resume.
      for (const v of vm.vcpus) {
        v.mpState = KVM_MP_STATE_STOPPED;
        v.requestSleep = true;
        if (v !== vcpu) kvmVcpuKick(ctx, v);
      }
      vcpu.regs.x[0] = psciRetToX0(PSCI_RET_INTERNAL_FAILURE);
      yield* ctx.sim.schedPoint();
      return { kind: 'system-event', type: fn === PSCI_0_2_FN_SYSTEM_RESET ? KVM_SYSTEM_EVENT_RESET : KVM_SYSTEM_EVENT_SHUTDOWN };
    }
    case PSCI_1_0_FN_PSCI_FEATURES:
      return result(psciFeatures(Number(x1 & 0xffffffffn), minor));
    case PSCI_0_2_FN_MIGRATE_INFO_TYPE:
      return result(2);
    default:
      return result(PSCI_RET_NOT_SUPPORTED);
  }
}

/**
 * kvm_psci_1_x_call's PSCI_FEATURES: 0 for the PSCI 0.2 set, PSCI_FEATURES and SMCCC_VERSION; SYSTEM_RESET2
 * from 1.1; SYSTEM_OFF2 from 1.3 answers its supported types (HIBERNATE_OFF); SYSTEM_SUSPEND only with
 * KVM_CAP_ARM_SYSTEM_SUSPEND, which the model never enables.
 */
export function psciFeatures(f: number, minor: number): number {
  switch (f) {
    case PSCI_0_2_FN_PSCI_VERSION:
    case PSCI_0_2_FN_CPU_SUSPEND:
    case PSCI_0_2_FN64_CPU_SUSPEND:
    case PSCI_0_2_FN_CPU_OFF:
    case PSCI_0_2_FN_CPU_ON:
    case PSCI_0_2_FN64_CPU_ON:
    case PSCI_0_2_FN_AFFINITY_INFO:
    case PSCI_0_2_FN64_AFFINITY_INFO:
    case PSCI_0_2_FN_MIGRATE_INFO_TYPE:
    case PSCI_0_2_FN_SYSTEM_OFF:
    case PSCI_0_2_FN_SYSTEM_RESET:
    case PSCI_1_0_FN_PSCI_FEATURES:
    case ARM_SMCCC_VERSION_FUNC_ID:
      return PSCI_RET_SUCCESS;
    case PSCI_1_1_FN_SYSTEM_RESET2:
    case PSCI_1_1_FN64_SYSTEM_RESET2:
      return minor >= 1 ? PSCI_RET_SUCCESS : PSCI_RET_NOT_SUPPORTED;
    case PSCI_1_3_FN_SYSTEM_OFF2:
    case PSCI_1_3_FN64_SYSTEM_OFF2:
      return minor >= 3 ? PSCI_1_3_OFF_TYPE_HIBERNATE_OFF : PSCI_RET_NOT_SUPPORTED;
    default:
      return PSCI_RET_NOT_SUPPORTED;
  }
}

function result(ret: number): PsciOutcome {
  return { kind: 'result', x0: psciRetToX0(ret) };
}

/** kvm_psci_vcpu_on: the reset itself happens later, in the target's own thread (KVM_REQ_VCPU_RESET). */
export function kvmPsciVcpuOn(ctx: KvmContext, vm: VmState, mpidr: bigint, pc: bigint, r0: bigint): number {
  if ((mpidr & ~MPIDR_HWID_BITMASK) !== 0n) return PSCI_RET_INVALID_PARAMS;
  const target = vm.vcpuByMpidr(mpidr);
  if (target === undefined) return PSCI_RET_INVALID_PARAMS;
  if (target.mpState !== KVM_MP_STATE_STOPPED) return PSCI_RET_ALREADY_ON;
  target.pendingReset = { pc, r0 };
  target.mpState = KVM_MP_STATE_RUNNABLE;
  target.requestSleep = false;
  kvmVcpuKick(ctx, target);
  return PSCI_RET_SUCCESS;
}

/** kvm_psci_vcpu_affinity_info: bits outside MPIDR_HWID_BITMASK, or a level above 3, are INVALID_PARAMS. */
function affinityInfo(vm: VmState, targetAffinity: bigint, lowestLevelArg: bigint): number {
  if ((targetAffinity & ~MPIDR_HWID_BITMASK) !== 0n) return PSCI_RET_INVALID_PARAMS;
  if (lowestLevelArg > 3n || lowestLevelArg < 0n) return PSCI_RET_INVALID_PARAMS;
  // Levels below the lowest are "don't care": mask them out of both sides.
  const mask = mpidrAffinityMask(Number(lowestLevelArg) as 0 | 1 | 2 | 3);
  const want = targetAffinity & mask;
  let matched = false;
  for (const v of vm.vcpus) {
    if ((v.mpidr & mask) !== want) continue;
    matched = true;
    if (v.mpState !== KVM_MP_STATE_STOPPED) return PSCI_0_2_AFFINITY_LEVEL_ON;
  }
  return matched ? PSCI_0_2_AFFINITY_LEVEL_OFF : PSCI_RET_INVALID_PARAMS;
}
