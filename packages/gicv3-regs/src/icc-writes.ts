// How writes of the VMCR-backed ICC registers land in the VMCR, and how BPR1 reads back. The same
// rules serve a guest writing the hardware ICV_* aliases and userspace writing through the KVM device
// attr (kvm.md §5.4); userspace differs only in ICC_CTLR_EL1 (see kvmSetIccCtlr) and ICC_SRE_EL1.
import type { VgicVmcr } from './vmcr.js';

function low(value: bigint, bits: number): number {
  return Number(value & ((1n << BigInt(bits)) - 1n));
}

/** Guest ICC_CTLR_EL1 write: only EOImode (bit 1) and CBPR (bit 0) reach the VMCR (VEOIM, VCBPR). */
export function vmcrAfterCtlrWrite(vmcr: VgicVmcr, value: bigint): VgicVmcr {
  return { ...vmcr, cbpr: Number(value & 1n), eoim: Number((value >> 1n) & 1n) };
}

export interface PmrWriteOptions {
  /**
   * Implemented priority bits. When given, the unimplemented low-order bits are dropped as hardware does
   * (RAZ/WI). KVM's userspace SET does not mask (omit it for that path).
   */
  readonly numPriBits?: number;
}

/** ICC_PMR_EL1 write: VPMR = value & 0xff (optionally masked to the implemented priority bits). */
export function vmcrAfterPmrWrite(vmcr: VgicVmcr, value: bigint, options: PmrWriteOptions = {}): VgicVmcr {
  let pmr = low(value, 8);
  if (options.numPriBits !== undefined) {
    const bits = Math.min(8, Math.max(0, Math.trunc(options.numPriBits)));
    pmr &= (0xff << (8 - bits)) & 0xff;
  }
  return { ...vmcr, pmr };
}

/**
 * ICC_BPR0_EL1 write: VBPR0 = value & 7. Real hardware may clamp values below the minimum binary point
 * once the VMCR is loaded (hardware-dependent, UNVERIFIED); that is left to the simulator.
 */
export function vmcrAfterBpr0Write(vmcr: VgicVmcr, value: bigint): VgicVmcr {
  return { ...vmcr, bpr: low(value, 3) };
}

/** ICC_BPR1_EL1 write: VBPR1 = value & 7, but silently ignored while CBPR = 1. */
export function vmcrAfterBpr1Write(vmcr: VgicVmcr, value: bigint): VgicVmcr {
  return vmcr.cbpr === 1 ? vmcr : { ...vmcr, abpr: low(value, 3) };
}

/** ICC_IGRPEN0_EL1 write: VENG0 = value & 1. */
export function vmcrAfterIgrpen0Write(vmcr: VgicVmcr, value: bigint): VgicVmcr {
  return { ...vmcr, grpen0: low(value, 1) };
}

/** ICC_IGRPEN1_EL1 write: VENG1 = value & 1. */
export function vmcrAfterIgrpen1Write(vmcr: VgicVmcr, value: bigint): VgicVmcr {
  return { ...vmcr, grpen1: low(value, 1) };
}

/** ICC_BPR1_EL1 read: VBPR1, or min(VBPR0 + 1, 7) while CBPR = 1. */
export function readBpr1(vmcr: VgicVmcr): number {
  return vmcr.cbpr === 1 ? Math.min(vmcr.bpr + 1, 7) : vmcr.abpr;
}
