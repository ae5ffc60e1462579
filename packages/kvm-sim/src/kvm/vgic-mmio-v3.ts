// The distributor and redistributor registers userspace reaches through DIST_REGS and REDIST_REGS
// (arch/arm64/kvm/vgic/vgic-mmio-v3.c), reduced to what QEMU's reset and save paths read. Called with
// every lock of vgic_v3_attr_regs_access held.
import { GICD_TYPER, GICR_TYPER, mpidrToVgicMpidr } from '@vgicsim/gicv3-regs';
import { EFAULT } from './errno.js';
import type { VcpuState, VmState } from './state.js';
import type { KvmDeviceAttr } from './uapi.js';

// GICR_TYPER is 64-bit: userspace reads it as two 32-bit halves.
const GICR_TYPER_LO = BigInt(GICR_TYPER);
const GICR_TYPER_HI = BigInt(GICR_TYPER + 4);

/**
 * vgic_v3_redist_uaccess, reduced to GICR_TYPER as vgic_mmio_read_v3r_typer builds it: Aff3..Aff0 of the
 * MPIDR in 63:32, Processor_Number = vcpu_id, PLPIS when the VM has an ITS, and Last on the vCPU whose
 * redistributor is the last one of the region — the last vCPU *created* (rdreg_index follows creation
 * order), once a legacy redistributor base is set (vgic_mmio_vcpu_rdist_is_last). Other offsets read 0
 * and ignore writes (not modelled).
 */
export function vgicV3RedistUaccess(vm: VmState, attr: KvmDeviceAttr, isWrite: boolean, vcpu: VcpuState): number {
  if (attr.addr === null) return -EFAULT;
  if (isWrite) return 0;
  const off = attr.attr & 0xffffffffn;
  const last = vm.vgic?.redistBase !== null && vm.vcpus[vm.vcpus.length - 1] === vcpu;
  const aff = BigInt(mpidrToVgicMpidr(vcpu.mpidr));
  const plpis = vm.hasIts ? 1n : 0n;
  const typer = (aff << 32n) | ((BigInt(vcpu.index) & 0xffffn) << 8n) | (last ? 0x10n : 0n) | plpis;
  if (off === GICR_TYPER_LO) attr.addr.value = typer & 0xffffffffn;
  else if (off === GICR_TYPER_HI) attr.addr.value = typer >> 32n;
  else attr.addr.value = 0n;
  return 0;
}

/** vgic_v3_dist_uaccess, reduced to GICD_TYPER (ITLinesNumber from nr_spis); others read 0 (not modelled). */
export function vgicV3DistUaccess(vm: VmState, attr: KvmDeviceAttr, isWrite: boolean): number {
  if (attr.addr === null) return -EFAULT;
  if (isWrite) return 0;
  const off = attr.attr & 0xffffffffn;
  const nrIrqs = (vm.vgic?.nrSpis ?? 0) + 32;
  attr.addr.value = off === BigInt(GICD_TYPER) ? BigInt(((nrIrqs >> 5) - 1) & 0x1f) : 0n;
  return 0;
}
