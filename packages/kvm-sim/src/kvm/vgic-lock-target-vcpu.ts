// The `target-vcpu` lock policy (a proposal, kvm.md §12): a per-vCPU access (CPU_SYSREGS, REDIST_REGS,
// LEVEL_INFO) trylocks only the mutex of the vCPU the attr's MPIDR names; DIST_REGS, which is VM-wide,
// still trylocks every vCPU.
import { KVM_DEV_ARM_VGIC_GRP_DIST_REGS } from '@vgicsim/gicv3-regs';
import { kvmTrylockAllVcpus } from './vgic-lock-all-vcpus.js';
import type { VgicLockPolicy } from './vgic-lock-types.js';

export const TARGET_VCPU_POLICY: VgicLockPolicy = {
  name: 'target-vcpu',
  seedsShadowAtInit: false,
  servesFromShadow: () => false,
  lockVcpus: (ctx, vm, attr, target) =>
    kvmTrylockAllVcpus(ctx, attr.group === KVM_DEV_ARM_VGIC_GRP_DIST_REGS ? vm.vcpus : [target]),
};
