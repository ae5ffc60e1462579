// accel/kvm/kvm-all.c and util/error.c as far as the model needs them: kvm_device_access with QEMU's
// Error semantics (qemu.md §1.3). accel_ioctl_begin/end are no-ops with the BQL held, so not modelled.
import { type Proc, type U64Ref, strerror } from '@vgicsim/kvm-sim';
import type { Qemu } from './qemu.js';

/** Where an error goes: &error_abort, &error_fatal, NULL (dropped), or a caller's local Error*. */
export type Errp = 'error_abort' | 'error_fatal' | null | { error: string | null };

export function hex64(v: bigint): string {
  return `0x${v.toString(16).padStart(16, '0')}`;
}

/** error_setg_errno → error_handle: abort, exit, drop or store. */
export function errorSetgErrno(q: Qemu, errp: Errp, errno: number, message: string, func: string): void {
  const text = `${message}: ${strerror(errno)}`;
  if (errp === null) return;
  if (errp === 'error_abort') q.abort(`Unexpected error in ${func}(): ${text}`);
  if (errp === 'error_fatal') q.abort(`qemu-system-aarch64: ${text} (error_fatal: exit(1))`);
  errp.error ??= text;
}

/**
 * kvm_device_access(fd, group, attr, val, write, errp): KVM_{SET,GET}_DEVICE_ATTR; on failure the error
 * "KVM_%s_DEVICE_ATTR failed: Group %d attr 0x%016" goes to errp. Returns the negative errno either way.
 */
export function* kvmDeviceAccess(
  q: Qemu,
  fd: number,
  group: number,
  attr: bigint,
  val: U64Ref,
  write: boolean,
  errp: Errp,
): Proc<number> {
  if (errp === 'error_abort') checkVcpusOutOfKvm(q, group, attr, write);
  const ret = yield* q.kvm.ioctl(fd, write ? 'KVM_SET_DEVICE_ATTR' : 'KVM_GET_DEVICE_ATTR', { group, attr, addr: val });
  if (ret < 0) {
    errorSetgErrno(q, errp, -ret, `KVM_${write ? 'SET' : 'GET'}_DEVICE_ATTR failed: Group ${group} attr ${hex64(attr)}`, 'kvm_device_access');
  }
  return ret;
}

/** Hazard: an error_abort GIC access while some vCPU's mutex is held (the access can only fail). */
function checkVcpusOutOfKvm(q: Qemu, group: number, attr: bigint, write: boolean): void {
  // No vCPU mutex held (the common case): the scan below would find nothing. O(1) instead of O(vCPUs).
  if (q.kvm.vcpuMutexesHeld === 0) return;
  for (const cpu of q.allCpus) {
    if (cpu.vcpuFd < 0) continue;
    const holder = q.kvm.vcpuOf(cpu.vcpuFd).mutex.owner;
    if (holder !== null) {
      q.hazards.report(
        'device-ioctl-while-vcpu-runs',
        `KVM_${write ? 'SET' : 'GET'}_DEVICE_ATTR group ${group} attr ${hex64(attr)} with error_abort while ${holder.name} holds vcpu${cpu.index}.mutex`,
      );
      return;
    }
  }
}
