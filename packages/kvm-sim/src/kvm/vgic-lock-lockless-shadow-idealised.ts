// The `lockless-shadow-idealised` lock policy: the Oct-2025 lockless-shadow RFC as it was meant to work.
// vgic_init seeds a per-vCPU copy of ICC_CTLR_EL1, and once the vGIC is initialised a CPU_SYSREGS read of
// ICC_CTLR_EL1 is answered from that copy without any lock; every other access locks like `all-vcpus`.
import { lookupCpuSysreg } from './vgic-sysregs.js';
import { kvmTrylockAllVcpus } from './vgic-lock-all-vcpus.js';
import type { VgicLockPolicy } from './vgic-lock-types.js';

export const LOCKLESS_SHADOW_IDEALISED_POLICY: VgicLockPolicy = {
  name: 'lockless-shadow-idealised',
  seedsShadowAtInit: true,
  // Compares what the patch meant: the register the attr's 16-bit sysreg id names.
  servesFromShadow: (attr) => lookupCpuSysreg(Number(attr.attr & 0xffffn))?.kind === 'CTLR',
  lockVcpus: (ctx, vm) => kvmTrylockAllVcpus(ctx, vm.vcpus),
};
