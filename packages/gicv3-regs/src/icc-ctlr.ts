// ICC_CTLR_EL1 as KVM synthesizes and checks it, the vGICv3 reset state, and the APR counts that
// follow from the number of priority bits. kvm.md §5.3–5.5, gicv3.md §3.
import { assertFitsRegister, decode, encode } from './codec.js';
import { ICC_CTLR_EL1 } from './registers/icc.js';
import { ICH_VTR_EL2 } from './registers/ich.js';
import type { VgicVmcr } from './vmcr.js';
import { resetVgicVmcr } from './vmcr.js';

/** The per-vCPU state ICC_CTLR_EL1 reads and writes touch. */
export interface VgicCpuIfState {
  /** vgic_cpu.num_pri_bits (implemented priority bits, e.g. 5). */
  readonly numPriBits: number;
  /** vgic_cpu.num_id_bits (the IDbits encoding: 0 = 16-bit, 1 = 24-bit). */
  readonly numIdBits: number;
  readonly vmcr: VgicVmcr;
}

/** The state vgic_v3_enable leaves, plus the SRE value it stores. */
export interface VgicV3ResetState extends VgicCpuIfState {
  /** vgic_sre: SRE | DFB | DIB = 0x7 for a GICv3 guest. */
  readonly sre: bigint;
}

/** ICC_SRE_EL1 value KVM stores for a GICv3 guest (SRE | DFB | DIB). */
export const KVM_GICV3_SRE = 0x7n;

/** The ICH_VTR_EL2 fields KVM uses, decoded. */
export interface HostVtrFields {
  readonly priBits: number;
  readonly preBits: number;
  readonly idBits: number;
  readonly seis: number;
  readonly a3v: number;
  readonly listRegs: number;
}

// The host's ICH_VTR_EL2 is one value per run, decoded on every ICC_CTLR_EL1 get and set: keep the last.
let lastVtr: bigint | null = null;
let lastVtrFields: HostVtrFields | null = null;

/** Decodes the host ICH_VTR_EL2. @throws RegsInputError if the value is wider than 64 bits. */
export function hostVtrFields(ichVtr: bigint): HostVtrFields {
  if (ichVtr === lastVtr && lastVtrFields !== null) return lastVtrFields;
  const fields = decodeVtr(ichVtr);
  lastVtr = ichVtr;
  lastVtrFields = fields;
  return fields;
}

function decodeVtr(ichVtr: bigint): HostVtrFields {
  const f = decode(ICH_VTR_EL2, ichVtr);
  return {
    priBits: f['PRIbits'] ?? 0,
    preBits: f['PREbits'] ?? 0,
    idBits: f['IDbits'] ?? 0,
    seis: f['SEIS'] ?? 0,
    a3v: f['A3V'] ?? 0,
    listRegs: f['ListRegs'] ?? 0,
  };
}

/**
 * The vCPU state after vgic_v3_enable: VMCR raw 0, SRE 0x7, num_pri_bits = VTR.PRIbits + 1,
 * num_id_bits = VTR.IDbits. Mirrors Linux vgic_v3_enable (arch/arm64/kvm/vgic/vgic-v3.c).
 */
export function vgicV3ResetState(ichVtr: bigint): VgicV3ResetState {
  const vtr = hostVtrFields(ichVtr);
  return { numPriBits: vtr.priBits + 1, numIdBits: vtr.idBits, vmcr: resetVgicVmcr(), sre: KVM_GICV3_SRE };
}

/**
 * ICC_CTLR_EL1 as KVM_GET_DEVICE_ATTR returns it: PRIbits = numPriBits - 1, IDbits = numIdBits,
 * SEIS/A3V from the host ICH_VTR_EL2, CBPR/EOImode from the VMCR; PMHE, RSS, ExtRange and bits 63:16
 * read 0. Mirrors Linux get_gic_ctlr (arch/arm64/kvm/vgic-sys-reg-v3.c).
 */
export function kvmGetIccCtlr(state: VgicCpuIfState, ichVtr: bigint): bigint {
  const vtr = hostVtrFields(ichVtr);
  const pri = (state.numPriBits - 1) & 7;
  const id = state.numIdBits & 7;
  const eoim = state.vmcr.eoim & 1;
  const cbpr = state.vmcr.cbpr & 1;
  // Every input is a few bits (SEIS and A3V are 1-bit fields of ICH_VTR_EL2): the value is a pure function
  // of a 10-bit key, built once per key and process (KVM reads it on every get and set of ICC_CTLR_EL1).
  if ((vtr.seis | vtr.a3v) >>> 1 !== 0) return encodeIccCtlr(pri, id, vtr.seis, vtr.a3v, eoim, cbpr);
  const key = pri | (id << 3) | (vtr.seis << 6) | (vtr.a3v << 7) | (eoim << 8) | (cbpr << 9);
  return (iccCtlrByKey[key] ??= encodeIccCtlr(pri, id, vtr.seis, vtr.a3v, eoim, cbpr));
}

const iccCtlrByKey: (bigint | undefined)[] = new Array<bigint | undefined>(1024).fill(undefined);

function encodeIccCtlr(pri: number, id: number, seis: number, a3v: number, eoim: number, cbpr: number): bigint {
  return encode(ICC_CTLR_EL1, { PRIbits: pri, IDbits: id, SEIS: seis, A3V: a3v, EOImode: eoim, CBPR: cbpr });
}

/** ICC_CTLR_EL1 a freshly reset vCPU reports on this host (RO fields from VTR, CBPR = EOImode = 0). */
export function freshIccCtlr(ichVtr: bigint): bigint {
  return kvmGetIccCtlr(vgicV3ResetState(ichVtr), ichVtr);
}

/** Which check of set_gic_ctlr failed; numbered as the steps in kvm.md §5.3. */
export type IccCtlrSetFailure =
  | { readonly step: 2; readonly check: 'PRIbits' }
  | { readonly step: 3; readonly check: 'IDbits' }
  | { readonly step: 4; readonly check: 'SEIS' }
  | { readonly step: 5; readonly check: 'A3V' };

/** Outcome of kvmSetIccCtlr; `state` keeps any extra properties of the state passed in. */
export type IccCtlrSetResult<S extends VgicCpuIfState = VgicCpuIfState> =
  | { readonly ok: true; readonly state: S }
  | ({
      readonly ok: false;
      readonly error: 'EINVAL';
      readonly reason: string;
      /** State after the failed write: numPriBits (and numIdBits) may already be lowered. */
      readonly state: S;
    } & IccCtlrSetFailure);

/**
 * KVM_SET_DEVICE_ATTR of ICC_CTLR_EL1, step by step, with the partial commit KVM performs:
 *  2. pri = PRIbits + 1 must be <= numPriBits, then numPriBits = pri (may shrink);
 *  3. IDbits must be <= numIdBits, then numIdBits = IDbits;
 *  4. SEIS must equal the host's; 5. A3V must equal the host's;
 *  6. VMCR.cbpr/eoim = CBPR/EOImode.
 * A failure at step 3, 4 or 5 returns EINVAL with the already-committed numbers in `state`.
 * PMHE, RSS, ExtRange and RES0 bits are ignored. Mirrors Linux set_gic_ctlr (arch/arm64/kvm/vgic-sys-reg-v3.c).
 * @throws RegsInputError if `value` is not a 64-bit value.
 */
export function kvmSetIccCtlr<S extends VgicCpuIfState>(state: S, ichVtr: bigint, value: bigint): IccCtlrSetResult<S> {
  assertFitsRegister(ICC_CTLR_EL1, value);
  const vtr = hostVtrFields(ichVtr);
  const f = decode(ICC_CTLR_EL1, value);
  const pri = (f['PRIbits'] ?? 0) + 1;
  if (pri > state.numPriBits) {
    return { ok: false, error: 'EINVAL', step: 2, check: 'PRIbits', state, reason: `PRIbits+1 = ${pri} exceeds num_pri_bits ${state.numPriBits}` };
  }
  let next: S = { ...state, numPriBits: pri };
  const id = f['IDbits'] ?? 0;
  if (id > next.numIdBits) {
    return { ok: false, error: 'EINVAL', step: 3, check: 'IDbits', state: next, reason: `IDbits ${id} exceeds num_id_bits ${next.numIdBits}` };
  }
  next = { ...next, numIdBits: id };
  const seis = f['SEIS'] ?? 0;
  if (seis !== vtr.seis) {
    return { ok: false, error: 'EINVAL', step: 4, check: 'SEIS', state: next, reason: `SEIS ${seis} differs from host SEIS ${vtr.seis}` };
  }
  const a3v = f['A3V'] ?? 0;
  if (a3v !== vtr.a3v) {
    return { ok: false, error: 'EINVAL', step: 5, check: 'A3V', state: next, reason: `A3V ${a3v} differs from host A3V ${vtr.a3v}` };
  }
  const vmcr: VgicVmcr = { ...next.vmcr, cbpr: f['CBPR'] ?? 0, eoim: f['EOImode'] ?? 0 };
  return { ok: true, state: { ...next, vmcr } };
}

/**
 * Highest accessible ICC_AP{0,1}R<n>_EL1 index for a number of priority bits: 7 → 3, 6 → 1, else 0.
 * Mirrors Linux vgic_v3_max_apr_idx (arch/arm64/kvm/vgic/vgic.h).
 */
export function vgicV3MaxAprIdx(numPriBits: number): number {
  if (numPriBits === 7) return 3;
  if (numPriBits === 6) return 1;
  return 0;
}

/**
 * How many AP0R/AP1R registers QEMU saves and restores per group for a number of priority bits:
 * 7 → 4, 6 → 2, otherwise 1 (8 bits also gives 1). Mirrors the APR loops of kvm_arm_gicv3_put/get
 * (hw/intc/arm_gicv3_kvm.c).
 */
export function qemuAprCount(numPriBits: number): number {
  return vgicV3MaxAprIdx(numPriBits) + 1;
}
