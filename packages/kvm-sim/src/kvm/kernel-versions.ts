// What differs between the kernel releases the model can mirror, as data (kvm.md §4.3). Every behaviour
// that depends on the release reads one field of this table, never the version name itself.
import { ENOENT, ENXIO } from './errno.js';
import { PSCI_VERSION_1_1, PSCI_VERSION_1_3 } from '@vgicsim/gicv3-regs';
import type { KernelVersion } from './state.js';

export interface KernelShape {
  /**
   * Where vgic_v3_attr_regs_access checks that the vGIC is initialised: under kvm->lock before the vCPU
   * locks, without config_lock (before the config_lock conversion), or under config_lock after them.
   */
  readonly initCheck: 'before-vcpu-locks' | 'under-config-lock';
  /** The CPU_SYSREGS u64 is copied from userspace before any lock, so a bad pointer is -EFAULT first. */
  readonly sysregCopyInBeforeLocks: boolean;
  /** The errno of a CPU_SYSREGS id the table does not hold (positive). */
  readonly unknownSysregErrno: number;
  /** reg_allowed_pre_init: GICD_IIDR and GICD_TYPER2 may be accessed before CTRL_INIT. */
  readonly regAllowedPreInit: boolean;
  /** kvm_psci_version's default (KVM_ARM_PSCI_LATEST). */
  readonly psciVersion: number;
  /** The upstream tree, commit or release this row was read from. */
  readonly source: string;
}

export const KERNEL_SHAPES: Readonly<Record<KernelVersion, KernelShape>> = {
  'v5.19': {
    initCheck: 'before-vcpu-locks',
    sysregCopyInBeforeLocks: true,
    unknownSysregErrno: ENXIO,
    regAllowedPreInit: false,
    psciVersion: PSCI_VERSION_1_1,
    source: 'v5.19 (maz arm-platforms): lock_all_vcpus in vgic-kvm-device.c; vgic_v3_cpu_sysregs_uaccess(vcpu, is_write, id, u64*)',
  },
  'v6.0': {
    initCheck: 'before-vcpu-locks',
    sysregCopyInBeforeLocks: false,
    unknownSysregErrno: ENOENT,
    regAllowedPreInit: false,
    psciVersion: PSCI_VERSION_1_1,
    source: 'torvalds@38cf0bb7: kvm_sys_reg_{get,set}_user path, user copy inside the locks (release placed by code shape, kvm.md §4.3)',
  },
  'v6.4': {
    initCheck: 'under-config-lock',
    sysregCopyInBeforeLocks: false,
    unknownSysregErrno: ENOENT,
    regAllowedPreInit: false,
    psciVersion: PSCI_VERSION_1_1,
    source: 'torvalds@0ea5c948; f00327731131 "KVM: arm64: Use config_lock to protect vgic state"',
  },
  'v6.16': {
    initCheck: 'under-config-lock',
    sysregCopyInBeforeLocks: false,
    unknownSysregErrno: ENOENT,
    regAllowedPreInit: true,
    psciVersion: PSCI_VERSION_1_3,
    source: 'v6.16: kvm_trylock_all_vcpus; reg_allowed_pre_init (release UNVERIFIED, kvm.md §4.3); PSCI 1.3 since v6.13 (SYSTEM_OFF2)',
  },
};

export function kernelShape(kernel: KernelVersion): KernelShape {
  return KERNEL_SHAPES[kernel];
}
