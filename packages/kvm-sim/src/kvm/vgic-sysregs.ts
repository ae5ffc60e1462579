// The GIC CPU-interface sysreg table and accessors behind KVM_{GET,SET}_DEVICE_ATTR(CPU_SYSREGS)
// (arch/arm64/kvm/vgic-sys-reg-v3.c, kvm.md §5). Called with every lock of vgic_v3_attr_regs_access held
// (vgic-kvm-device.ts); the accessors are pure functions over a vCPU's vGIC state.
import {
  KVM_ICC_SYSREG_NAMES,
  type KvmIccSysregName,
  iccSysregId,
  kvmGetIccCtlr,
  kvmSetIccCtlr,
  type VgicVmcr,
  readBpr1,
  vgicV3MaxAprIdx,
  vmcrAfterBpr0Write,
  vmcrAfterCtlrWrite,
  vmcrAfterBpr1Write,
  vmcrAfterIgrpen0Write,
  vmcrAfterIgrpen1Write,
  vmcrAfterPmrWrite,
} from '@vgicsim/gicv3-regs';
import type { KvmContext } from './context.js';
import { EFAULT, EINVAL } from './errno.js';
import type { GuestIccReg } from './guest.js';
import { kernelShape } from './kernel-versions.js';
import type { VcpuState, VgicCpuState } from './state.js';
import type { KvmDeviceAttr } from './uapi.js';
import { emitKvmEvent } from './trace-vocabulary.js';

export type SysregKind = 'PMR' | 'BPR0' | 'AP0R' | 'AP1R' | 'BPR1' | 'CTLR' | 'SRE' | 'IGRPEN0' | 'IGRPEN1';

interface SysregDesc {
  readonly name: string;
  readonly kind: SysregKind;
  /** APR index (Op2 & 3) for AP0R/AP1R. */
  readonly apr: number;
}

/** gic_v3_icc_reg_descs: the EL1 registers. The ICH_*_EL2 entries exist only for nested-virt vCPUs,
 * which the model does not create, so they are hidden (GET/SET -ENOENT, HAS -ENXIO) as on such vCPUs. */
const TABLE = new Map<number, SysregDesc>();
const KIND_OF: Readonly<Record<KvmIccSysregName, SysregKind>> = {
  ICC_PMR_EL1: 'PMR',
  ICC_BPR0_EL1: 'BPR0',
  ICC_AP0R0_EL1: 'AP0R',
  ICC_AP0R1_EL1: 'AP0R',
  ICC_AP0R2_EL1: 'AP0R',
  ICC_AP0R3_EL1: 'AP0R',
  ICC_AP1R0_EL1: 'AP1R',
  ICC_AP1R1_EL1: 'AP1R',
  ICC_AP1R2_EL1: 'AP1R',
  ICC_AP1R3_EL1: 'AP1R',
  ICC_BPR1_EL1: 'BPR1',
  ICC_CTLR_EL1: 'CTLR',
  ICC_SRE_EL1: 'SRE',
  ICC_IGRPEN0_EL1: 'IGRPEN0',
  ICC_IGRPEN1_EL1: 'IGRPEN1',
};
const BY_NAME = new Map<string, SysregDesc>();
for (const name of KVM_ICC_SYSREG_NAMES) {
  const id = iccSysregId(name);
  // APR index = Op2 & 3 (ICC_AP0R<n> is op2 4+n, ICC_AP1R<n> is op2 n).
  const desc: SysregDesc = { name, kind: KIND_OF[name], apr: id & 3 };
  TABLE.set(id, desc);
  BY_NAME.set(name, desc);
}

/** The sysreg ids of every register the table holds, in table order (used by conformance tests). */
export const CPU_SYSREG_IDS: readonly number[] = [...TABLE.keys()];

export function lookupCpuSysreg(id: number): SysregDesc | undefined {
  return TABLE.get(id & 0xffff);
}

export type SysregGet = { readonly ok: true; readonly value: bigint } | { readonly ok: false; readonly errno: number };

/** The get_user hooks. */
export function getCpuSysreg(desc: SysregDesc, cpu: VgicCpuState, ichVtr: bigint): SysregGet {
  const v = cpu.vmcr;
  switch (desc.kind) {
    case 'CTLR':
      return { ok: true, value: kvmGetIccCtlr(cpu, ichVtr) };
    case 'PMR':
      return { ok: true, value: BigInt(v.pmr & 0xff) };
    case 'BPR0':
      return { ok: true, value: BigInt(v.bpr & 7) };
    case 'BPR1':
      return { ok: true, value: BigInt(readBpr1(v)) };
    case 'IGRPEN0':
      return { ok: true, value: BigInt(v.grpen0 & 1) };
    case 'IGRPEN1':
      return { ok: true, value: BigInt(v.grpen1 & 1) };
    case 'SRE':
      return { ok: true, value: cpu.sre };
    case 'AP0R':
    case 'AP1R': {
      if (desc.apr > vgicV3MaxAprIdx(cpu.numPriBits)) return { ok: false, errno: EINVAL };
      const arr = desc.kind === 'AP0R' ? cpu.ap0r : cpu.ap1r;
      return { ok: true, value: BigInt((arr[desc.apr] ?? 0) >>> 0) };
    }
  }
}

/** How a write of each VMCR-backed register lands in the VMCR (userspace keeps all 8 PMR bits). */
const VMCR_WRITES: Readonly<Record<'PMR' | 'BPR0' | 'BPR1' | 'IGRPEN0' | 'IGRPEN1', (vmcr: VgicVmcr, value: bigint) => VgicVmcr>> = {
  PMR: (vmcr, value) => vmcrAfterPmrWrite(vmcr, value),
  BPR0: vmcrAfterBpr0Write,
  BPR1: vmcrAfterBpr1Write,
  IGRPEN0: vmcrAfterIgrpen0Write,
  IGRPEN1: vmcrAfterIgrpen1Write,
};

/** The set_user hooks; mutate `cpu` (including the partial commit of ICC_CTLR_EL1). 0 or -errno. */
export function setCpuSysreg(desc: SysregDesc, cpu: VgicCpuState, ichVtr: bigint, value: bigint): number {
  switch (desc.kind) {
    case 'CTLR': {
      const r = kvmSetIccCtlr(cpu, ichVtr, BigInt.asUintN(64, value));
      cpu.numPriBits = r.state.numPriBits;
      cpu.numIdBits = r.state.numIdBits;
      cpu.vmcr = r.state.vmcr;
      if (!r.ok) return -EINVAL;
      // The lockless-shadow RFC (both forms) refreshes its copy in set_gic_ctlr.
      cpu.iccCtlrShadow = kvmGetIccCtlr(cpu, ichVtr);
      return 0;
    }
    case 'PMR':
    case 'BPR0':
    case 'BPR1':
    case 'IGRPEN0':
    case 'IGRPEN1':
      cpu.vmcr = VMCR_WRITES[desc.kind](cpu.vmcr, value);
      return 0;
    case 'SRE':
      // Must have SRE set; the value itself is never stored (kvm.md §5.4).
      return (value & 1n) === 0n ? -EINVAL : 0;
    case 'AP0R':
    case 'AP1R': {
      if (desc.apr > vgicV3MaxAprIdx(cpu.numPriBits)) return -EINVAL;
      const arr = desc.kind === 'AP0R' ? cpu.ap0r : cpu.ap1r;
      arr[desc.apr] = Number(value & 0xffffffffn);
      return 0;
    }
  }
}

/** vgic_v3_cpu_sysregs_uaccess → kvm_sys_reg_{get,set}_user (kvm.md §5.1, errno order of §4.2). */
export function vgicV3CpuSysregsUaccess(ctx: KvmContext, attr: KvmDeviceAttr, isWrite: boolean, vcpu: VcpuState): number {
  const unknown = -kernelShape(ctx.kernel).unknownSysregErrno;
  // Bits 31:16 of attr are not validated: only the five encoding fields are extracted.
  const id = Number(attr.attr & 0xffffn);
  const cpu = vcpu.vgic;
  if (isWrite) {
    if (attr.addr === null) return -EFAULT;
    const desc = lookupCpuSysreg(id);
    if (desc === undefined || cpu === null) return unknown;
    const ret = setCpuSysreg(desc, cpu, ctx.ichVtr, attr.addr.value);
    emitKvmEvent(ctx.sim, 'vgic-sysreg-set', { vcpu: vcpu.index, reg: desc.name, value: attr.addr.value, ret });
    return ret;
  }
  const desc = lookupCpuSysreg(id);
  if (desc === undefined || cpu === null) return unknown;
  const r = getCpuSysreg(desc, cpu, ctx.ichVtr);
  if (!r.ok) return -r.errno;
  if (attr.addr === null) return -EFAULT;
  attr.addr.value = r.value;
  emitKvmEvent(ctx.sim, 'vgic-sysreg-get', { vcpu: vcpu.index, reg: desc.name, value: r.value });
  return 0;
}

function guestDesc(reg: GuestIccReg): SysregDesc {
  const desc = BY_NAME.get(reg);
  if (desc === undefined) throw new Error(`${reg} is not in gic_v3_icc_reg_descs`);
  return desc;
}

/**
 * A guest read of an ICC register hits the hardware ICV register backed by the VMCR: the same value the
 * get_user hook reports (ICC_CTLR_EL1 as KVM synthesises it).
 */
export function guestReadIccReg(cpu: VgicCpuState, ichVtr: bigint, reg: GuestIccReg): bigint {
  const r = getCpuSysreg(guestDesc(reg), cpu, ichVtr);
  return r.ok ? r.value : 0n;
}

/**
 * A guest write of an ICC register lands in the VMCR as the set_user hook's does, except where the
 * hardware ICV register differs from KVM's userspace path: ICC_CTLR_EL1 changes only CBPR and EOImode
 * (no PRIbits/IDbits/SEIS/A3V checks), ICC_PMR_EL1 drops the unimplemented priority bits, and
 * ICC_SRE_EL1 is fixed at 0x7 (writes are ignored).
 */
export function guestWriteIccReg(cpu: VgicCpuState, ichVtr: bigint, reg: GuestIccReg, value: bigint): void {
  const desc = guestDesc(reg);
  switch (desc.kind) {
    case 'CTLR':
      cpu.vmcr = vmcrAfterCtlrWrite(cpu.vmcr, value);
      return;
    case 'PMR':
      cpu.vmcr = vmcrAfterPmrWrite(cpu.vmcr, value, { numPriBits: cpu.numPriBits });
      return;
    case 'SRE':
      return;
    default:
      setCpuSysreg(desc, cpu, ichVtr, value);
  }
}
