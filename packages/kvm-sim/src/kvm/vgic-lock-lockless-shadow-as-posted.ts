// The `lockless-shadow-as-posted` lock policy: the Oct-2025 lockless-shadow RFC as posted. Its register
// check compares the attr's 16-bit KVM_DEV_ARM_VGIC_SYSREG id (0xc664 for ICC_CTLR_EL1) with the kernel's
// internal SYS_ICC_CTLR_EL1 (0x18cc80): they never match, so every read takes the locked path, and it
// never seeds the shadow at init. It behaves exactly like `all-vcpus`.
import { REGISTERS, kernelSysReg } from '@vgicsim/gicv3-regs';
import { kvmTrylockAllVcpus } from './vgic-lock-all-vcpus.js';
import type { VgicLockPolicy } from './vgic-lock-types.js';

/** The kernel's internal sys_reg() encoding of ICC_CTLR_EL1 (arch/arm64/include/asm/sysreg.h SYS_ICC_CTLR_EL1). */
export const SYS_ICC_CTLR_EL1 = kernelSysReg(REGISTERS.ICC_CTLR_EL1.encoding);

export const LOCKLESS_SHADOW_AS_POSTED_POLICY: VgicLockPolicy = {
  name: 'lockless-shadow-as-posted',
  seedsShadowAtInit: false,
  servesFromShadow: (attr) => Number(attr.attr & 0xffffn) === SYS_ICC_CTLR_EL1,
  lockVcpus: (ctx, vm) => kvmTrylockAllVcpus(ctx, vm.vcpus),
};
