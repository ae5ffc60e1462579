// The `all-vcpus` lock policy, today's kernel: every vGIC register access trylocks every vCPU mutex
// (kvm_trylock_all_vcpus, virt/kvm/kvm_main.c; lock_all_vcpus before v6.16), so one vCPU in KVM_RUN makes
// it -EBUSY. The all-vCPU trylock and the kvm->lock sequence around it live here, once, for every caller
// (vGIC attributes, SAVE_PENDING_TABLES, kvm_vgic_create, the ITS).
import type { Mutex, Proc } from '../kernel/objects.js';
import type { KvmContext } from './context.js';
import type { VcpuState, VmState } from './state.js';
import type { VgicLockPolicy } from './vgic-lock-types.js';

/**
 * kvm_trylock_all_vcpus (or lock_all_vcpus): all-or-nothing trylock walk in index order; null when one is
 * held. The list returned is a snapshot of `vcpus` shared by every walk of the same list and length: read it,
 * never change it.
 */
export function* kvmTrylockAllVcpus(ctx: KvmContext, vcpus: readonly VcpuState[]): Proc<readonly VcpuState[] | null> {
  const list = walkList(vcpus);
  const failed = yield* ctx.sim.trylockWalk(list.mutexes, ctx.costs.deviceAttrPerVcpuNs);
  return failed < 0 ? list.vcpus : null;
}

// A vCPU list's snapshot and its mutex list, kept per list: every vGIC register access walks all vCPU
// mutexes, and building 512-entry lists each time was a large part of it. A VM's vCPU list only ever grows
// (vCPUs are appended, never replaced or removed) and a vCPU's mutex is fixed, so a list of the same length
// is current, and a snapshot stays what it was. A snapshot maps to itself, so unlocking what a walk took
// finds its mutexes without building them.
interface WalkList {
  readonly vcpus: readonly VcpuState[];
  readonly mutexes: readonly Mutex[];
}
const walkLists = new WeakMap<readonly VcpuState[], WalkList>();

function walkList(vcpus: readonly VcpuState[]): WalkList {
  let list = walkLists.get(vcpus);
  if (list === undefined || list.vcpus.length !== vcpus.length) {
    const snapshot = [...vcpus];
    list = { vcpus: snapshot, mutexes: snapshot.map((v) => v.mutex) };
    walkLists.set(vcpus, list);
    walkLists.set(snapshot, list);
  }
  return list;
}

/** kvm_unlock_all_vcpus: releases in reverse order what kvmTrylockAllVcpus took. */
export function kvmUnlockAllVcpus(ctx: KvmContext, vcpus: readonly VcpuState[]): void {
  ctx.sim.unlockReverse(walkList(vcpus).mutexes);
}

/**
 * kvm->lock, then the `inner` locks in order (the ITS's its_lock), then every vCPU mutex by trylock. When a
 * vCPU mutex is held, everything taken is released in reverse and the result is null: the caller's -EBUSY.
 */
export function* lockVmAndAllVcpus(ctx: KvmContext, vm: VmState, inner: readonly Mutex[] = []): Proc<readonly VcpuState[] | null> {
  const { sim } = ctx;
  yield* sim.lock(vm.lock);
  for (const m of inner) yield* sim.lock(m);
  const locked = yield* kvmTrylockAllVcpus(ctx, vm.vcpus);
  if (locked === null) unlockInnerAndVm(ctx, vm, inner);
  return locked;
}

/** The reverse of lockVmAndAllVcpus: the vCPU mutexes, the inner locks, kvm->lock. */
export function unlockVmAndAllVcpus(ctx: KvmContext, vm: VmState, locked: readonly VcpuState[], inner: readonly Mutex[] = []): void {
  kvmUnlockAllVcpus(ctx, locked);
  unlockInnerAndVm(ctx, vm, inner);
}

function unlockInnerAndVm(ctx: KvmContext, vm: VmState, inner: readonly Mutex[]): void {
  for (let i = inner.length - 1; i >= 0; i--) ctx.sim.unlock(inner[i] as Mutex);
  ctx.sim.unlock(vm.lock);
}

export const ALL_VCPUS_POLICY: VgicLockPolicy = {
  name: 'all-vcpus',
  seedsShadowAtInit: false,
  servesFromShadow: () => false,
  lockVcpus: (ctx, vm) => kvmTrylockAllVcpus(ctx, vm.vcpus),
};
