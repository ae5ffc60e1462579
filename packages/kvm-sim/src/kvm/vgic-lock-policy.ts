// How KVM locks the vCPUs for a vGIC register access (kvm.md §12): one small interface, one module per
// policy, and the lookup from the LockPolicy option to its implementation.
import type { Proc } from '../kernel/objects.js';
import type { KvmContext } from './context.js';
import type { LockPolicy, VcpuState, VmState } from './state.js';
import type { KvmDeviceAttr } from './uapi.js';
import { ALL_VCPUS_POLICY } from './vgic-lock-all-vcpus.js';
import { LOCKLESS_SHADOW_AS_POSTED_POLICY } from './vgic-lock-lockless-shadow-as-posted.js';
import { LOCKLESS_SHADOW_IDEALISED_POLICY } from './vgic-lock-lockless-shadow-idealised.js';
import { TARGET_VCPU_POLICY } from './vgic-lock-target-vcpu.js';
import type { VgicLockPolicy } from './vgic-lock-types.js';

export type { VgicLockPolicy } from './vgic-lock-types.js';

const POLICIES: Readonly<Record<LockPolicy, VgicLockPolicy>> = {
  'all-vcpus': ALL_VCPUS_POLICY,
  'target-vcpu': TARGET_VCPU_POLICY,
  'lockless-shadow-idealised': LOCKLESS_SHADOW_IDEALISED_POLICY,
  'lockless-shadow-as-posted': LOCKLESS_SHADOW_AS_POSTED_POLICY,
};

export function vgicLockPolicy(name: LockPolicy): VgicLockPolicy {
  return POLICIES[name];
}

/** Whether the selected policy answers this CPU_SYSREGS read from the ICC_CTLR_EL1 shadow, lock-free. */
export function locklessShadowMatches(ctx: KvmContext, attr: KvmDeviceAttr): boolean {
  return vgicLockPolicy(ctx.lockPolicy).servesFromShadow(attr);
}

/** The vCPU mutexes the selected policy trylocks for one register access; null when one is held (-EBUSY). */
export function* lockVcpusForAccess(ctx: KvmContext, vm: VmState, attr: KvmDeviceAttr, target: VcpuState): Proc<readonly VcpuState[] | null> {
  return yield* vgicLockPolicy(ctx.lockPolicy).lockVcpus(ctx, vm, attr, target);
}
