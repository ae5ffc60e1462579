// The interface every vCPU lock policy implements (a leaf module, so the policies and their lookup do not
// import each other in a cycle).
import type { Proc } from '../kernel/objects.js';
import type { KvmContext } from './context.js';
import type { LockPolicy, VcpuState, VmState } from './state.js';
import type { KvmDeviceAttr } from './uapi.js';

export interface VgicLockPolicy {
  readonly name: LockPolicy;
  /** vgic_init seeds every vCPU's ICC_CTLR_EL1 shadow (set_gic_ctlr refreshes it under every policy). */
  readonly seedsShadowAtInit: boolean;
  /** An initialised vGIC answers this CPU_SYSREGS read from the shadow, without taking any lock. */
  servesFromShadow(attr: KvmDeviceAttr): boolean;
  /**
   * Trylocks the vCPU mutexes a register access of `attr` on `target` needs, all or nothing; returns the
   * locked vCPUs (for kvmUnlockAllVcpus) or null when one was held (the caller returns -EBUSY).
   */
  lockVcpus(ctx: KvmContext, vm: VmState, attr: KvmDeviceAttr, target: VcpuState): Proc<readonly VcpuState[] | null>;
}
