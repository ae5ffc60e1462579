// Affinity: the Aff3.Aff2.Aff1.Aff0 address of a PE, and the three places it is packed — MPIDR_EL1
// (Aff3 at 39:32, Aff2..Aff0 at 23:0), the 32-bit "vgic mpidr" word used by KVM attrs and GICR_TYPER
// (Aff3<<24 | Aff2<<16 | Aff1<<8 | Aff0), and KVM's default vCPU MPIDR. gicv3.md §5, kvm.md §1.3.
import { RegsInputError, describeReceived } from './errors.js';

/** One affinity level per field, each 0..255. */
export interface Affinity {
  readonly aff3: number;
  readonly aff2: number;
  readonly aff1: number;
  readonly aff0: number;
}

/** MPIDR_HWID_BITMASK: the affinity bits of MPIDR_EL1 (Aff3 39:32, Aff2..Aff0 23:0). */
export const MPIDR_HWID_BITMASK = 0xff00ffffffn;
/** MPIDR_EL1 bit 31 (RES1). */
export const MPIDR_RES1_BIT = 1n << 31n;
export const MPIDR_U_BIT = 1n << 30n;
export const MPIDR_MT_BIT = 1n << 24n;

/** The hardware id of a PE: MPIDR_EL1 & MPIDR_HWID_BITMASK (what a guest passes to PSCI CPU_ON). */
export function mpidrHwid(mpidr: bigint): bigint {
  return mpidr & MPIDR_HWID_BITMASK;
}

/**
 * The affinity bits at `level` and above (Linux psci_affinity_mask): levels below are "don't care" in
 * PSCI AFFINITY_INFO. Level 3 starts at bit 32 (MPIDR_LEVEL_SHIFT), levels 0..2 at 8 × level.
 */
export function mpidrAffinityMask(level: 0 | 1 | 2 | 3): bigint {
  const shift = level === 3 ? 32n : BigInt(8 * level);
  return MPIDR_HWID_BITMASK & ~((1n << shift) - 1n);
}

const AFFINITY_ACCEPTED = 'accepted: A3.A2.A1.A0 with four decimal levels 0..255, e.g. 0.0.1.3';

function isLevel(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 255;
}

/** Builds an Affinity. @throws RegsInputError (kind 'affinity') for a level outside 0..255. */
export function makeAffinity(aff3: number, aff2: number, aff1: number, aff0: number): Affinity {
  const levels = [aff3, aff2, aff1, aff0];
  if (!levels.every(isLevel)) {
    throw new RegsInputError({
      kind: 'affinity',
      problem: 'affinity level out of range',
      accepted: AFFINITY_ACCEPTED,
      received: levels.map(describeReceived).join('.'),
    });
  }
  return { aff3, aff2, aff1, aff0 };
}

/** Parses "A3.A2.A1.A0" (decimal levels). @throws RegsInputError (kind 'affinity'). */
export function parseAffinity(text: string): Affinity {
  const parts = text.trim().split('.');
  const bad = (problem: string): RegsInputError =>
    new RegsInputError({ kind: 'affinity', problem, accepted: AFFINITY_ACCEPTED, received: text });
  if (parts.length !== 4) throw bad('affinity needs exactly four levels');
  const levels = parts.map((p) => (/^[0-9]{1,3}$/.test(p) ? Number(p) : NaN));
  if (levels.some((n) => Number.isNaN(n))) throw bad('affinity level is not a decimal number');
  const [a3, a2, a1, a0] = levels as [number, number, number, number];
  if (![a3, a2, a1, a0].every(isLevel)) throw bad('affinity level out of range');
  return { aff3: a3, aff2: a2, aff1: a1, aff0: a0 };
}

/** "A3.A2.A1.A0". */
export function formatAffinity(a: Affinity): string {
  return `${a.aff3}.${a.aff2}.${a.aff1}.${a.aff0}`;
}

/** The affinity fields of an MPIDR_EL1 value (other bits ignored). */
export function affinityFromMpidr(mpidr: bigint): Affinity {
  const level = (shift: bigint): number => Number((mpidr >> shift) & 0xffn);
  return { aff3: level(32n), aff2: level(16n), aff1: level(8n), aff0: level(0n) };
}

export interface MpidrOptions {
  /** Set bit 31 (RES1). Default true. */
  readonly res1?: boolean;
  /** Set MT (bit 24). Default false. */
  readonly mt?: boolean;
  /** Set U (bit 30). Default false. */
  readonly u?: boolean;
}

/** An MPIDR_EL1 value for an affinity; bit 31 set unless `res1: false`. */
export function mpidrFromAffinity(a: Affinity, options: MpidrOptions = {}): bigint {
  let v =
    (BigInt(a.aff3) << 32n) | (BigInt(a.aff2) << 16n) | (BigInt(a.aff1) << 8n) | BigInt(a.aff0);
  if (options.res1 ?? true) v |= MPIDR_RES1_BIT;
  if (options.mt ?? false) v |= MPIDR_MT_BIT;
  if (options.u ?? false) v |= MPIDR_U_BIT;
  return v;
}

/** The packed 32-bit "vgic mpidr" word: Aff3<<24 | Aff2<<16 | Aff1<<8 | Aff0 (unsigned). */
export function affinityToVgicMpidr(a: Affinity): number {
  return ((a.aff3 << 24) | (a.aff2 << 16) | (a.aff1 << 8) | a.aff0) >>> 0;
}

/** Inverse of affinityToVgicMpidr (only the low 32 bits of `word` are used). */
export function affinityFromVgicMpidr(word: number): Affinity {
  const w = word >>> 0;
  return { aff3: (w >>> 24) & 0xff, aff2: (w >>> 16) & 0xff, aff1: (w >>> 8) & 0xff, aff0: w & 0xff };
}

/**
 * Re-places each byte of the packed vgic mpidr word at its MPIDR_EL1 position (Aff3 → 39:32). No RES1 bit.
 * Mirrors Linux VGIC_TO_MPIDR (arch/arm64/kvm/vgic/vgic.h).
 */
export function vgicToMpidr(word: number): bigint {
  return mpidrFromAffinity(affinityFromVgicMpidr(word), { res1: false });
}

/**
 * MPIDR_EL1 → packed vgic mpidr word; equals QEMU's GICR_TYPER affinity squash
 * ((mp_affinity & 0xff00000000) >> 8 | (mp_affinity & 0xffffff)) in hw/intc/arm_gicv3_common.c.
 */
export function mpidrToVgicMpidr(mpidr: bigint): number {
  return affinityToVgicMpidr(affinityFromMpidr(mpidr));
}

function checkVcpuIndex(index: number): void {
  if (!Number.isSafeInteger(index) || index < 0 || index > 0xffffffff) {
    throw new RegsInputError({
      kind: 'vcpu',
      problem: 'vCPU index out of range',
      accepted: 'accepted: an integer vCPU index 0..4294967295',
      received: describeReceived(index),
    });
  }
}

/**
 * KVM's default MPIDR_EL1 for a vCPU id: Aff0 = id & 0xf, Aff1 = (id >> 4) & 0xff,
 * Aff2 = (id >> 12) & 0xff, Aff3 = 0, bit 31 set. Aff0 stops at 15 because ICC_SGI1R_EL1.TargetList
 * has 16 bits. Mirrors Linux reset_mpidr / calculate_mpidr (arch/arm64/kvm/sys_regs.c, sys_regs.h).
 */
export function kvmDefaultMpidr(vcpuIndex: number): bigint {
  checkVcpuIndex(vcpuIndex);
  return mpidrFromAffinity({
    aff3: 0,
    aff2: Math.floor(vcpuIndex / 4096) & 0xff,
    aff1: Math.floor(vcpuIndex / 16) & 0xff,
    aff0: vcpuIndex & 0xf,
  });
}

/** The affinity KVM gives vCPU `index` by default (QEMU's GICv3 cluster rule agrees: 16 per Aff1). */
export function kvmVcpuAffinity(vcpuIndex: number): Affinity {
  return affinityFromMpidr(kvmDefaultMpidr(vcpuIndex));
}
