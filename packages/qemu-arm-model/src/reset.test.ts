import {
  KVM_DEV_ARM_VGIC_CTRL_INIT,
  KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
  KVM_DEV_ARM_VGIC_GRP_CTRL,
  kvmVcpuAffinity,
  packSysregAttr,
} from '@vgicsim/gicv3-regs';
import { KVM_DEV_TYPE_ARM_VGIC_V3, type Proc } from '@vgicsim/kvm-sim';
import { describe, expect, it } from 'vitest';
import { kvmDeviceAccess } from './kvm-all.js';
import { requestQuit, scheduleCommand } from './machine.js';
import type { ArchHooks, Qemu } from './qemu.js';
import { qemuSystemReset } from './reset.js';
import { qemuSystemResetRequest } from './runstate.js';
import { makeHarness } from './test-harness.js';

/** A board with an in-kernel vGICv3 whose reset hold reads every CPU's ICC_CTLR_EL1 with error_abort. */
function gicLikeBoard(): ArchHooks & { devFd: number; reads: bigint[] } {
  const board = {
    devFd: -1,
    reads: [] as bigint[],
    *realizeDevices(q: Qemu): Proc {
      const dev = { type: KVM_DEV_TYPE_ARM_VGIC_V3, fd: -1 };
      yield* q.kvm.ioctl(q.vmFd, 'KVM_CREATE_DEVICE', dev);
      board.devFd = dev.fd;
      yield* q.kvm.ioctl(dev.fd, 'KVM_SET_DEVICE_ATTR', {
        group: KVM_DEV_ARM_VGIC_GRP_CTRL,
        attr: BigInt(KVM_DEV_ARM_VGIC_CTRL_INIT),
        addr: { value: 0n },
      });
      q.resetDevices.push({
        name: 'test-gic',
        *resetHold(qq: Qemu): Proc {
          for (const cpu of qq.cpus) {
            const val = { value: 0n };
            const attr = packSysregAttr(kvmVcpuAffinity(cpu.index), 0xc664);
            yield* kvmDeviceAccess(qq, board.devFd, KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS, attr, val, false, 'error_abort');
            board.reads.push(val.value);
          }
        },
      });
    },
  };
  return board;
}

describe('qemu_system_reset', () => {
  it('through the main loop (vCPUs paused) issues no failing device ioctl', () => {
    const board = gicLikeBoard();
    const h = makeHarness({ arch: board });
    scheduleCommand(h.q, 1_000_000, 'system_reset', function* (q) {
      yield* qemuSystemResetRequest(q, 'host-qmp-system-reset');
    });
    scheduleCommand(h.q, 3_000_000, 'quit', function* (q) {
      requestQuit(q);
    });
    const r = h.sim.run();
    expect(r.outcome.kind).toBe('ok');
    // The initial reset at machine creation and the requested one: 4 reads each, all 0x8400.
    expect(board.reads).toEqual(Array<bigint>(8).fill(0x8400n));
    expect(h.kvm.count('KVM_GET_DEVICE_ATTR', '-EBUSY')).toBe(0);
    expect(h.q.hazards.violations).toEqual([]);
    expect(h.q.metrics.snapshot().vmWidePauses).toBe(1);
  });

  it('without the pause (test hook) the main thread blocks on the running vCPU 0 mutex, as Linux would', () => {
    const board = gicLikeBoard();
    const h = makeHarness({ arch: board, sim: { timeLimitNs: 5_000_000 } });
    scheduleCommand(h.q, 1_000_000, 'unpaused-reset', function* (q) {
      yield* qemuSystemReset(q, 'host-qmp-system-reset');
    });
    const r = h.sim.run();
    expect(r.outcome.kind).toBe('time-limit');
    const main = h.sim.threads.find((t) => t.name === 'main');
    expect(main?.state).toBe('blocked');
    const waits = h.sim.waitFor().find((w) => w.thread === 'main');
    expect(waits).toEqual({ thread: 'main', daemon: false, kind: 'mutex', on: 'vcpu0.mutex', heldBy: 'CPU 0/KVM' });
    // The blocked call is cpu_reset's KVM_ARM_VCPU_INIT, issued before any device ioctl.
    const lastIoctl = [...r.events].reverse().find((e) => e.kind === 'ioctl-begin' && e.thread === main?.id);
    expect(lastIoctl?.data?.['req']).toBe('KVM_ARM_VCPU_INIT');
    expect(board.reads).toHaveLength(4);
  });
});

describe('metrics', () => {
  it('count time stopped while runnable, per vCPU, only for powered-on vCPUs while RUNNING', () => {
    const h = makeHarness();
    scheduleCommand(h.q, 1_000_000, 'system_reset', function* (q) {
      yield* qemuSystemResetRequest(q, 'host-qmp-system-reset');
    });
    scheduleCommand(h.q, 3_000_000, 'quit', function* (q) {
      requestQuit(q);
    });
    expect(h.sim.run().outcome.kind).toBe('ok');
    const m = h.q.metrics.snapshot();
    expect(m.vcpuStoppedNs.perVcpu[0]).toBe(109_100);
    // vCPUs 1-3 start powered off: their pause costs the guest nothing.
    expect(m.vcpuStoppedNs.perVcpu.slice(1)).toEqual([0, 0, 0]);
    expect(m.vcpuStoppedNs.total).toBe(m.vcpuStoppedNs.perVcpu[0]);
    expect(m.vcpuStoppedNs.max).toBe(m.vcpuStoppedNs.perVcpu[0]);
    expect(m.bqlMaxHoldNs).toBe(11_000);
    expect(m.ioctls['KVM_RUN']).toEqual({ '-EINTR': 12 });
  });
});
