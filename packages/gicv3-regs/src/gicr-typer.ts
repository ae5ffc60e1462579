// GICR_TYPER as the two producers build it: QEMU's model (what QEMU stores per CPU and reuses for
// KVM attrs) and KVM's emulated redistributor. gicv3.md §2b, §4; kvm.md §11.1.
import { mpidrToVgicMpidr } from './affinity.js';
import type { Affinity } from './affinity.js';
import { affinityFromVgicMpidr } from './affinity.js';
import { RegsInputError, describeReceived } from './errors.js';

export const GICR_TYPER_PLPIS = 1n << 0n;
export const GICR_TYPER_VLPIS = 1n << 1n;
export const GICR_TYPER_LAST = 1n << 4n;
export const GICR_TYPER_PROCESSOR_NUMBER_SHIFT = 8n;
export const GICR_TYPER_COMMON_LPI_AFF_SHIFT = 24n;
export const GICR_TYPER_AFFINITY_SHIFT = 32n;

export interface QemuGicrTyperInput {
  /** QEMU CPU index i (becomes Processor_Number). */
  readonly cpuIndex: number;
  /** Number of CPUs; Last is set on index cpuCount-1 unless `last` overrides it. */
  readonly cpuCount: number;
  /** The CPU's mp-affinity (MPIDR_EL1 affinity bits; under KVM, KVM's MPIDR value). */
  readonly mpAffinity: bigint;
  /**
   * Override the Last bit. QEMU versions with several redistributor regions compute Last per region;
   * that rule is not modelled here (pass it explicitly).
   */
  readonly last?: boolean;
  /** Set PLPIS (QEMU does when LPIs are enabled / an ITS is present). */
  readonly plpis?: boolean;
  /** Set VLPIS (GICv4 models). */
  readonly vlpis?: boolean;
}

function checkIndex(what: string, n: number, max: number): void {
  if (!Number.isSafeInteger(n) || n < 0 || n > max) {
    throw new RegsInputError({ kind: 'vcpu', problem: `${what} out of range`, accepted: `accepted: an integer 0..${max}`, received: describeReceived(n) });
  }
}

/**
 * GICR_TYPER for QEMU CPU i: squashed affinity << 32 | CommonLPIAff=1 << 24 | i << 8 | Last << 4
 * [| VLPIS | PLPIS]. Mirrors the gicr_typer set-up in QEMU hw/intc/arm_gicv3_common.c.
 */
export function qemuGicrTyper(input: QemuGicrTyperInput): bigint {
  checkIndex('CPU count', input.cpuCount, 0xffff + 1);
  checkIndex('CPU index', input.cpuIndex, Math.max(0, input.cpuCount - 1));
  const last = input.last ?? input.cpuIndex === input.cpuCount - 1;
  let v =
    (BigInt(mpidrToVgicMpidr(input.mpAffinity)) << GICR_TYPER_AFFINITY_SHIFT) |
    (1n << GICR_TYPER_COMMON_LPI_AFF_SHIFT) |
    (BigInt(input.cpuIndex) << GICR_TYPER_PROCESSOR_NUMBER_SHIFT);
  if (last) v |= GICR_TYPER_LAST;
  if (input.vlpis ?? false) v |= GICR_TYPER_VLPIS;
  if (input.plpis ?? false) v |= GICR_TYPER_PLPIS;
  return v;
}

export interface KvmGicrTyperInput {
  /** KVM vcpu_id (becomes Processor_Number). */
  readonly vcpuId: number;
  /** The vCPU's MPIDR_EL1. */
  readonly mpidr: bigint;
  /** Last redistributor of its region (KVM computes this per region; pass the result). Default false. */
  readonly last?: boolean;
  /** PLPIS: KVM sets it when the VM has an ITS. Default false. */
  readonly plpis?: boolean;
}

/**
 * KVM's emulated GICR_TYPER: (mpidr & 0xffffff) << 32 | vcpu_id << 8 | Last | PLPIS. Aff3 is dropped:
 * the mainline copies read do not report it (an LKML patch adds Aff3; merge status UNVERIFIED).
 * Mirrors vgic_mmio_read_v3r_typer (arch/arm64/kvm/vgic/vgic-mmio-v3.c).
 */
export function kvmGicrTyper(input: KvmGicrTyperInput): bigint {
  checkIndex('vCPU id', input.vcpuId, 0xffff);
  let v = ((input.mpidr & 0xffffffn) << GICR_TYPER_AFFINITY_SHIFT) | (BigInt(input.vcpuId) << GICR_TYPER_PROCESSOR_NUMBER_SHIFT);
  if (input.last ?? false) v |= GICR_TYPER_LAST;
  if (input.plpis ?? false) v |= GICR_TYPER_PLPIS;
  return v;
}

/** The affinity in GICR_TYPER[63:32]; QEMU's gicv3_redist_affid is the packed form of this. */
export function gicrTyperAffinity(typer: bigint): Affinity {
  return affinityFromVgicMpidr(Number((typer >> GICR_TYPER_AFFINITY_SHIFT) & 0xffffffffn));
}
