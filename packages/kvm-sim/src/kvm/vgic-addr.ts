// GRP_ADDR of the vGICv3 device (kvm_vgic_addr, vgic_check_iorange in arch/arm64/kvm/vgic/vgic-kvm-device.c):
// where the guest sees the distributor and redistributor frames. No lock is taken here.
import { KVM_VGIC_V3_ADDR_TYPE_DIST, KVM_VGIC_V3_ADDR_TYPE_REDIST, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION } from '@vgicsim/gicv3-regs';
import { E2BIG, EEXIST, EFAULT, EINVAL, ENXIO } from './errno.js';
import type { VmState } from './state.js';
import type { KvmDeviceAttr } from './uapi.js';

const SZ_64K = 0x10000n;
/** KVM_VGIC_V3_DIST_SIZE and KVM_VGIC_V3_REDIST_SIZE (RD_base + SGI_base frames). */
const KVM_VGIC_V3_DIST_SIZE = SZ_64K;
const KVM_VGIC_V3_REDIST_SIZE = 2n * SZ_64K;

/**
 * vgic_check_iorange: already set → -EEXIST; base or size not aligned, or wrapping → -EINVAL; outside the
 * guest's IPA space (kvm_phys_size) → -E2BIG. Nothing is stored on failure, so a later valid address works.
 */
export function vgicCheckIorange(vm: VmState, ioaddr: bigint | null, addr: bigint, alignment: bigint, size: bigint): number {
  if (ioaddr !== null) return -EEXIST;
  if (addr % alignment !== 0n || size % alignment !== 0n) return -EINVAL;
  const end = addr + size;
  if (end >= 1n << 64n) return -EINVAL;
  const phys = 1n << BigInt(vm.ipaBits);
  if (addr >= phys || end > phys) return -E2BIG;
  return 0;
}

/**
 * GRP_ADDR for the DIST and the legacy REDIST base (kvm_vgic_addr): REDIST_REGION lists are not modelled
 * (-ENXIO). The legacy redistributor is checked for one 128 KiB frame (vgic_v3_alloc_redist_region with
 * count 0); a second one is -EEXIST.
 */
export function kvmVgicAddr(vm: VmState, attr: KvmDeviceAttr, write: boolean): number {
  const vgic = vm.vgic;
  if (vgic === null) return -ENXIO;
  if (attr.addr === null) return -EFAULT;
  // vgic_v3_alloc_redist_region: a REDIST_REGION after the legacy REDIST mixes the two APIs (-EINVAL).
  if (write && attr.attr === KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION && vgic.redistBase !== null) return -EINVAL;
  const key =
    attr.attr === KVM_VGIC_V3_ADDR_TYPE_DIST ? 'distBase' : attr.attr === KVM_VGIC_V3_ADDR_TYPE_REDIST ? 'redistBase' : null;
  if (key === null) return -ENXIO;
  if (!write) {
    attr.addr.value = vgic[key] ?? 0xffffffffffffffffn;
    return 0;
  }
  const size = key === 'distBase' ? KVM_VGIC_V3_DIST_SIZE : KVM_VGIC_V3_REDIST_SIZE;
  const ret = vgicCheckIorange(vm, vgic[key], attr.addr.value, SZ_64K, size);
  if (ret !== 0) return ret;
  vgic[key] = attr.addr.value;
  return 0;
}
