// KVM's view of a vCPU's virtual CPU-interface state: struct vgic_vmcr and its packing into the
// ICH_VMCR_EL2 (GICv3 layout) word. kvm.md §5.5. Field positions come from the ICH_VMCR_EL2 table so
// there is one source of truth.
import { findField } from './codec.js';
import type { LayoutField } from './field-table.js';
import { fieldMaxBig } from './field-table.js';
import { ICH_VMCR_EL2 } from './registers/ich.js';

/** Mirrors Linux struct vgic_vmcr (arch/arm64/kvm/vgic/vgic.h) without the GICv5-only `en`. */
export interface VgicVmcr {
  /** ICC_IGRPEN0_EL1.Enable ↔ VENG0. */
  readonly grpen0: number;
  /** ICC_IGRPEN1_EL1.Enable ↔ VENG1. */
  readonly grpen1: number;
  /** VAckCtl; always 0 for a GICv3 guest. */
  readonly ackctl: number;
  /** VFIQEn; always 1 for a GICv3 guest. */
  readonly fiqen: number;
  /** ICC_CTLR_EL1.CBPR ↔ VCBPR. */
  readonly cbpr: number;
  /** ICC_CTLR_EL1.EOImode ↔ VEOIM. */
  readonly eoim: number;
  /** ICC_BPR1_EL1 (the "aliased" BPR) ↔ VBPR1. */
  readonly abpr: number;
  /** ICC_BPR0_EL1 ↔ VBPR0. */
  readonly bpr: number;
  /** ICC_PMR_EL1 ↔ VPMR. */
  readonly pmr: number;
}

interface Slot {
  readonly shift: bigint;
  readonly max: bigint;
}

function slot(name: string): Slot {
  const f: LayoutField = findField(ICH_VMCR_EL2, name);
  return { shift: BigInt(f.lsb), max: fieldMaxBig(f) };
}

const SLOTS = {
  grpen0: slot('VENG0'),
  grpen1: slot('VENG1'),
  ackctl: slot('VAckCtl'),
  fiqen: slot('VFIQEn'),
  cbpr: slot('VCBPR'),
  eoim: slot('VEOIM'),
  abpr: slot('VBPR1'),
  bpr: slot('VBPR0'),
  pmr: slot('VPMR'),
} as const satisfies Record<keyof VgicVmcr, Slot>;

const KEYS = Object.keys(SLOTS) as (keyof VgicVmcr)[];

/**
 * Packs a VgicVmcr into an ICH_VMCR_EL2 value for a GICv3 guest: VFIQEn forced to 1 and VAckCtl to 0
 * (RES1/RES0 with SRE=1), every other field masked to its width.
 * Mirrors Linux vgic_v3_set_vmcr (arch/arm64/kvm/vgic/vgic-v3.c).
 */
export function packVgicVmcr(vmcr: VgicVmcr): bigint {
  const forced: VgicVmcr = { ...vmcr, fiqen: 1, ackctl: 0 };
  let out = 0n;
  for (const key of KEYS) {
    const s = SLOTS[key];
    out |= (BigInt(Math.trunc(forced[key]) >>> 0) & s.max) << s.shift;
  }
  return out;
}

/**
 * Unpacks an ICH_VMCR_EL2 value; for a GICv3 guest fiqen reads 1 and ackctl 0 whatever the bits say.
 * Mirrors Linux vgic_v3_get_vmcr (arch/arm64/kvm/vgic/vgic-v3.c).
 */
export function unpackVgicVmcr(value: bigint): VgicVmcr {
  const get = (key: keyof VgicVmcr): number => Number((value >> SLOTS[key].shift) & SLOTS[key].max);
  return {
    grpen0: get('grpen0'),
    grpen1: get('grpen1'),
    ackctl: 0,
    fiqen: 1,
    cbpr: get('cbpr'),
    eoim: get('eoim'),
    abpr: get('abpr'),
    bpr: get('bpr'),
    pmr: get('pmr'),
  };
}

/**
 * The VMCR a vCPU starts with: vgic_v3_enable stores a raw 0, which vgic_v3_get_vmcr reports as all
 * fields 0 except fiqen = 1.
 */
export function resetVgicVmcr(): VgicVmcr {
  return unpackVgicVmcr(0n);
}

/** Field-wise equality. */
export function vmcrEquals(a: VgicVmcr, b: VgicVmcr): boolean {
  return KEYS.every((k) => a[k] === b[k]);
}
