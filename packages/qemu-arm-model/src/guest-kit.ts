// Building blocks of the Linux-like guest programs on the virt board: the entry points, the GIC driver's
// CPU-interface init (gic_cpu_sys_reg_init) and the PSCI calls Linux makes (drivers/firmware/psci). One
// source for the scenario guests (@vgicsim/scenarios guests/linux-guest.ts) and this package's test guest.
import {
  kvmDefaultMpidr,
  mpidrHwid,
  PSCI_0_2_FN64_AFFINITY_INFO,
  PSCI_0_2_FN64_CPU_ON,
  PSCI_0_2_FN_CPU_OFF,
  PSCI_0_2_FN_SYSTEM_OFF,
  PSCI_0_2_FN_SYSTEM_RESET,
} from '@vgicsim/gicv3-regs';
import { type GuestAction, type GuestResult } from '@vgicsim/kvm-sim';
import { DEFAULT_BOOT_ENTRY } from './arm/virt.js';

/** Where the boot CPU enters the kernel (the board's default). */
export const BOOT_ENTRY = DEFAULT_BOOT_ENTRY;
/** Where secondaries start (secondary_entry): the guest's choice, passed in CPU_ON. */
export const SECONDARY_ENTRY = 0x40081000n;

/** The MPIDR affinity KVM gives vCPU `n` by default, as the guest names CPUs in PSCI calls. */
export function guestHwid(n: number): bigint {
  return mpidrHwid(kvmDefaultMpidr(n));
}

/** gic_cpu_sys_reg_init's ICC writes: SRE, PMR, BPR1, CTLR (EOImode), IGRPEN1. */
export function* gicCpuSysRegInit(eoimode: bigint): Generator<GuestAction, void, GuestResult> {
  yield { op: 'msr', reg: 'ICC_SRE_EL1', value: 7n };
  yield { op: 'msr', reg: 'ICC_PMR_EL1', value: 0xf0n };
  yield { op: 'msr', reg: 'ICC_BPR1_EL1', value: 0n };
  yield { op: 'msr', reg: 'ICC_CTLR_EL1', value: eoimode << 1n };
  yield { op: 'msr', reg: 'ICC_IGRPEN1_EL1', value: 1n };
}

/** PSCI CPU_ON (64-bit) of CPU `n` at SECONDARY_ENTRY, with `n` as its context id. */
export function psciCpuOn(n: number): GuestAction {
  return { op: 'hvc', x: [BigInt(PSCI_0_2_FN64_CPU_ON), guestHwid(n), SECONDARY_ENTRY, BigInt(n)] };
}

/** PSCI AFFINITY_INFO (64-bit) of CPU `n`, level 0 (1 = OFF). */
export function psciAffinityInfo(n: number): GuestAction {
  return { op: 'hvc', x: [BigInt(PSCI_0_2_FN64_AFFINITY_INFO), guestHwid(n), 0n, 0n] };
}

/** A PSCI call without arguments: CPU_OFF, SYSTEM_OFF or SYSTEM_RESET. */
export function psciCall(fn: typeof PSCI_0_2_FN_CPU_OFF | typeof PSCI_0_2_FN_SYSTEM_OFF | typeof PSCI_0_2_FN_SYSTEM_RESET): GuestAction {
  return { op: 'hvc', x: [BigInt(fn), 0n, 0n, 0n] };
}
