// KVM UAPI names and numbers the model uses (include/uapi/linux/kvm.h, arch/arm64/include/uapi/asm/kvm.h;
// kvm.md §1, §9). Group constants of the vGIC device live in @vgicsim/gicv3-regs.
import { REGISTERS, arm64SysRegId } from '@vgicsim/gicv3-regs';

export const KVM_DEV_TYPE_ARM_VGIC_V2 = 5;
export const KVM_DEV_TYPE_ARM_VGIC_V3 = 7;
export const KVM_DEV_TYPE_ARM_VGIC_ITS = 8;

export const KVM_EXIT_UNKNOWN = 0;
export const KVM_EXIT_HYPERCALL = 3;
export const KVM_EXIT_MMIO = 6;
export const KVM_EXIT_INTR = 10;
export const KVM_EXIT_SYSTEM_EVENT = 24;

export const KVM_SYSTEM_EVENT_SHUTDOWN = 1;
export const KVM_SYSTEM_EVENT_RESET = 2;
export const KVM_SYSTEM_EVENT_CRASH = 3;

export const KVM_MP_STATE_RUNNABLE = 0;
export const KVM_MP_STATE_STOPPED = 5;
export const KVM_MP_STATE_SUSPENDED = 10;

/** KVM_ARM_VCPU_INIT feature bit: the vCPU starts powered off (one-shot, kvm.md §8.1). */
export const KVM_ARM_VCPU_POWER_OFF = 0;

export const KVM_ARM_VM_SMCCC_CTRL = 0;
export const KVM_ARM_VM_SMCCC_FILTER = 0;
export const KVM_SMCCC_FILTER_HANDLE = 0;
export const KVM_SMCCC_FILTER_DENY = 1;
export const KVM_SMCCC_FILTER_FWD_TO_USER = 2;
export const KVM_HYPERCALL_EXIT_SMC = 1 << 0;
export const KVM_HYPERCALL_EXIT_16BIT = 1 << 1;

/** Core-register ONE_REG ids the model supports (KVM_REG_ARM_CORE: regs.regs[n] and regs.pc). */
export const KVM_REG_ARM_CORE_BASE = 0x6030000000100000n;
export function coreRegX(n: number): bigint {
  return KVM_REG_ARM_CORE_BASE | BigInt(n * 2);
}
export const KVM_REG_ARM_CORE_PC = KVM_REG_ARM_CORE_BASE | 64n;
/** MPIDR_EL1 as ARM64_SYS_REG(3,0,0,0,5). */
export const KVM_REG_MPIDR_EL1 = arm64SysRegId(REGISTERS.MPIDR_EL1.encoding);

/** A u64 the kernel reads or writes through a user pointer; `null` stands for a faulting pointer. */
export interface U64Ref {
  value: bigint;
}

/** struct kvm_device_attr (flags are not checked by the vGIC code, so they are not modelled). */
export interface KvmDeviceAttr {
  readonly group: number;
  readonly attr: bigint;
  readonly addr: U64Ref | null;
}

/** struct kvm_smccc_filter. */
export interface KvmSmcccFilter {
  readonly base: number;
  readonly nr_functions: number;
  readonly action: number;
  /** The 15 pad bytes; any non-zero byte is rejected. */
  readonly pad?: readonly number[];
}

/** The shared kvm_run page of a vCPU, as far as the model uses it. */
export interface KvmRun {
  immediate_exit: number;
  exit_reason: number;
  hypercall: { nr: number; args: readonly bigint[]; flags: number };
  system_event: { type: number };
}
