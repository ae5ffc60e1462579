// Test helpers (not built into dist): set up a simulated VM the way a VMM would.
import { KVM_DEV_ARM_VGIC_CTRL_INIT, KVM_DEV_ARM_VGIC_GRP_CTRL, type HostProfile } from '@vgicsim/gicv3-regs';
import { Simulator, type SimOptions } from '../kernel/sim.js';
import type { Proc } from '../kernel/objects.js';
import type { GuestProgram } from './guest.js';
import { Kvm, type KvmOptions } from './kvm.js';
import { KVM_DEV_TYPE_ARM_VGIC_V3 } from './uapi.js';

export interface TestVm {
  readonly sim: Simulator;
  readonly kvm: Kvm;
  readonly vmFd: number;
  readonly vcpuFds: number[];
  devFd: number;
}

export function makeTestVm(options: { sim?: SimOptions; kvm?: KvmOptions; guest?: GuestProgram; host?: HostProfile } = {}): TestVm {
  const sim = new Simulator({ trace: 'full', ...options.sim });
  const kvm = new Kvm(sim, { ...options.kvm, ...(options.host ? { host: options.host } : {}) });
  if (options.guest) kvm.setGuestProgram(options.guest);
  return { sim, kvm, vmFd: kvm.createVm(), vcpuFds: [], devFd: -1 };
}

/** Creates `n` vCPUs, the vGICv3 device and (optionally) runs CTRL_INIT and KVM_ARM_VCPU_INIT. */
export function* setupVm(
  t: TestVm,
  n: number,
  options: { init?: boolean; vcpuInit?: boolean; powerOff?: (i: number) => boolean } = {},
): Proc {
  const { kvm } = t;
  for (let i = 0; i < n; i++) {
    const fd = yield* kvm.ioctl(t.vmFd, 'KVM_CREATE_VCPU', i);
    if (fd < 0) throw new Error(`KVM_CREATE_VCPU ${i} failed: ${fd}`);
    t.vcpuFds.push(fd);
  }
  const dev = { type: KVM_DEV_TYPE_ARM_VGIC_V3, fd: -1 };
  const r = yield* kvm.ioctl(t.vmFd, 'KVM_CREATE_DEVICE', dev);
  if (r < 0) throw new Error(`KVM_CREATE_DEVICE failed: ${r}`);
  t.devFd = dev.fd;
  if (options.init ?? true) {
    const ri = yield* kvm.ioctl(t.devFd, 'KVM_SET_DEVICE_ATTR', {
      group: KVM_DEV_ARM_VGIC_GRP_CTRL,
      attr: BigInt(KVM_DEV_ARM_VGIC_CTRL_INIT),
      addr: { value: 0n },
    });
    if (ri < 0) throw new Error(`CTRL_INIT failed: ${ri}`);
  }
  if (options.vcpuInit ?? true) {
    for (let i = 0; i < n; i++) {
      const fd = t.vcpuFds[i] as number;
      yield* kvm.ioctl(fd, 'KVM_ARM_VCPU_INIT', { powerOff: options.powerOff?.(i) ?? false });
    }
  }
}
