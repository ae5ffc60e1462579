// The ITS device: attribute routing, errnos, and vgic_its_ctrl's all-vCPU trylock.
import {
  KVM_DEV_ARM_ITS_CTRL_RESET,
  KVM_DEV_ARM_ITS_RESTORE_TABLES,
  KVM_DEV_ARM_ITS_SAVE_TABLES,
  KVM_DEV_ARM_VGIC_CTRL_INIT,
  KVM_DEV_ARM_VGIC_GRP_ADDR,
  KVM_DEV_ARM_VGIC_GRP_CTRL,
  KVM_DEV_ARM_VGIC_GRP_ITS_REGS,
} from '@vgicsim/gicv3-regs';
import { describe, expect, it } from 'vitest';
import type { Proc } from '../kernel/objects.js';
import { EBUSY, EEXIST, EINVAL, ENODEV, ENXIO } from './errno.js';
import { spawnForeignHolder } from './foreign-holder.js';
import type { GuestCode, GuestProgram } from './guest.js';
import { makeTestVm, setupVm, type TestVm } from './test-vm.js';
import { KVM_DEV_TYPE_ARM_VGIC_ITS } from './uapi.js';
import { GITS_BASER, GITS_CBASER, GITS_CREADR, GITS_CTLR, GITS_IIDR, KVM_VGIC_ITS_ADDR_TYPE } from '@vgicsim/gicv3-regs';

const BUSY: GuestProgram = {
  name: 'busy',
  *start(): GuestCode {
    for (;;) yield { op: 'compute', ns: 100_000 };
  },
};

function* createIts(t: TestVm): Proc<number> {
  const dev = { type: KVM_DEV_TYPE_ARM_VGIC_ITS, fd: -1 };
  const r = yield* t.kvm.ioctl(t.vmFd, 'KVM_CREATE_DEVICE', dev);
  if (r < 0) throw new Error(`create ITS: ${r}`);
  return dev.fd;
}

function ctrl(t: TestVm, fd: number, attr: number): Proc<number> {
  return t.kvm.ioctl(fd, 'KVM_SET_DEVICE_ATTR', { group: KVM_DEV_ARM_VGIC_GRP_CTRL, attr: BigInt(attr), addr: { value: 0n } });
}

describe('KVM_DEV_TYPE_ARM_VGIC_ITS', () => {
  it('GRP_ADDR: wrong type -ENODEV, unaligned -EINVAL, set once then -EEXIST; ITS_REGS before the base is set -ENXIO', () => {
    const t = makeTestVm();
    const r: number[] = [];
    t.sim.spawn('vmm', function* () {
      yield* setupVm(t, 1);
      const fd = yield* createIts(t);
      const regs = { group: KVM_DEV_ARM_VGIC_GRP_ITS_REGS, attr: GITS_CTLR, addr: { value: 0n } };
      r.push(yield* t.kvm.ioctl(fd, 'KVM_GET_DEVICE_ATTR', regs));
      r.push(yield* t.kvm.ioctl(fd, 'KVM_SET_DEVICE_ATTR', { group: KVM_DEV_ARM_VGIC_GRP_ADDR, attr: 3n, addr: { value: 0x8080000n } }));
      r.push(yield* t.kvm.ioctl(fd, 'KVM_SET_DEVICE_ATTR', { group: KVM_DEV_ARM_VGIC_GRP_ADDR, attr: KVM_VGIC_ITS_ADDR_TYPE, addr: { value: 0x8081000n } }));
      r.push(yield* t.kvm.ioctl(fd, 'KVM_SET_DEVICE_ATTR', { group: KVM_DEV_ARM_VGIC_GRP_ADDR, attr: KVM_VGIC_ITS_ADDR_TYPE, addr: { value: 0x8080000n } }));
      r.push(yield* t.kvm.ioctl(fd, 'KVM_SET_DEVICE_ATTR', { group: KVM_DEV_ARM_VGIC_GRP_ADDR, attr: KVM_VGIC_ITS_ADDR_TYPE, addr: { value: 0x8090000n } }));
      r.push(yield* t.kvm.ioctl(fd, 'KVM_GET_DEVICE_ATTR', regs));
      r.push(yield* t.kvm.ioctl(fd, 'KVM_HAS_DEVICE_ATTR', { group: KVM_DEV_ARM_VGIC_GRP_ITS_REGS, attr: 0x2n, addr: null }));
      r.push(yield* t.kvm.ioctl(fd, 'KVM_HAS_DEVICE_ATTR', { group: KVM_DEV_ARM_VGIC_GRP_ITS_REGS, attr: 0x200n, addr: null }));
      r.push(yield* t.kvm.ioctl(fd, 'KVM_HAS_DEVICE_ATTR', { group: KVM_DEV_ARM_VGIC_GRP_CTRL, attr: BigInt(KVM_DEV_ARM_ITS_CTRL_RESET), addr: null }));
    });
    expect(t.sim.run().outcome.kind).toBe('ok');
    expect(r).toEqual([-ENXIO, -ENODEV, -EINVAL, 0, -EEXIST, 0, -EINVAL, -ENXIO, 0]);
  });

  it('vgic_its_ctrl: INIT takes no lock (0 while a vCPU runs); RESET, SAVE_TABLES and RESTORE_TABLES are -EBUSY while any vCPU is in KVM_RUN', () => {
    const t = makeTestVm({ guest: BUSY });
    const r: number[] = [];
    let fd = -1;
    t.sim.spawn('vmm', function* () {
      yield* setupVm(t, 2);
      fd = yield* createIts(t);
      const vcpu1 = t.vcpuFds[1] as number;
      t.sim.spawn('vcpu1', function* () {
        yield* t.kvm.ioctl(vcpu1, 'KVM_RUN', undefined);
      }, { daemon: true });
      yield* t.sim.sleep(20_000);
      for (const a of [KVM_DEV_ARM_VGIC_CTRL_INIT, KVM_DEV_ARM_ITS_CTRL_RESET, KVM_DEV_ARM_ITS_SAVE_TABLES, KVM_DEV_ARM_ITS_RESTORE_TABLES]) {
        r.push(yield* ctrl(t, fd, a));
      }
    });
    expect(t.sim.run().outcome.kind).toBe('ok');
    expect(r).toEqual([0, -EBUSY, -EBUSY, -EBUSY]);
    expect(t.kvm.itsOf(fd).ctrlDone).toEqual({ reset: 0, saveTables: 0, restoreTables: 0 });
  });

  it('with every vCPU out of KVM_RUN, CTRL_RESET clears CBASER/CREADR/CTLR and the BASER Valid bits; a foreign vCPU-mutex holder makes it -EBUSY', () => {
    const t = makeTestVm();
    const r: number[] = [];
    const regs: bigint[] = [];
    let fd = -1;
    t.sim.spawn('vmm', function* () {
      yield* setupVm(t, 2);
      fd = yield* createIts(t);
      yield* t.kvm.ioctl(fd, 'KVM_SET_DEVICE_ATTR', { group: KVM_DEV_ARM_VGIC_GRP_ADDR, attr: KVM_VGIC_ITS_ADDR_TYPE, addr: { value: 0x8080000n } });
      const set = (attr: bigint, value: bigint) => t.kvm.ioctl(fd, 'KVM_SET_DEVICE_ATTR', { group: KVM_DEV_ARM_VGIC_GRP_ITS_REGS, attr, addr: { value } });
      const get = function* (attr: bigint): Proc<bigint> {
        const v = { value: -1n };
        yield* t.kvm.ioctl(fd, 'KVM_GET_DEVICE_ATTR', { group: KVM_DEV_ARM_VGIC_GRP_ITS_REGS, attr, addr: v });
        return v.value;
      };
      yield* set(GITS_BASER, (1n << 63n) | 0x40000n);
      yield* set(GITS_CBASER, 0x50000n);
      yield* set(GITS_CREADR, 0x20n);
      yield* set(GITS_CTLR, 1n);
      regs.push(yield* get(GITS_CREADR), yield* get(GITS_CTLR));
      r.push(yield* ctrl(t, fd, KVM_DEV_ARM_ITS_CTRL_RESET));
      regs.push(yield* get(GITS_BASER), yield* get(GITS_CBASER), yield* get(GITS_CREADR), yield* get(GITS_CTLR));
      spawnForeignHolder(t.sim, t.kvm.vcpuOf(t.vcpuFds[0] as number), { startNs: 0, holdNs: 100_000 });
      yield* t.sim.sleep(1000);
      r.push(yield* ctrl(t, fd, KVM_DEV_ARM_ITS_CTRL_RESET));
      yield* t.sim.sleep(200_000);
      r.push(yield* ctrl(t, fd, KVM_DEV_ARM_ITS_SAVE_TABLES));
    });
    expect(t.sim.run().outcome.kind).toBe('ok');
    expect(regs).toEqual([0x20n, 1n, 0x40000n, 0n, 0n, 0n]);
    expect(r).toEqual([0, -EBUSY, 0]);
    expect(t.kvm.itsOf(fd).ctrlDone).toEqual({ reset: 1, saveTables: 1, restoreTables: 0 });
  });
});

describe('vgic_its_attr_regs_access errno order', () => {
  it('the all-vCPU trylock comes before the base and register checks: -EBUSY, not -ENXIO, while a vCPU is in KVM_RUN', () => {
    const t = makeTestVm({ guest: BUSY });
    const r: number[] = [];
    t.sim.spawn('vmm', function* () {
      yield* setupVm(t, 2);
      const fd = yield* createIts(t);
      const vcpu1 = t.vcpuFds[1] as number;
      t.sim.spawn('vcpu1', function* () {
        yield* t.kvm.ioctl(vcpu1, 'KVM_RUN', undefined);
      }, { daemon: true });
      yield* t.sim.sleep(20_000);
      // No base yet: upstream finds the running vCPU first.
      r.push(yield* t.kvm.ioctl(fd, 'KVM_GET_DEVICE_ATTR', { group: KVM_DEV_ARM_VGIC_GRP_ITS_REGS, attr: GITS_CTLR, addr: { value: 0n } }));
      yield* t.kvm.ioctl(fd, 'KVM_SET_DEVICE_ATTR', { group: KVM_DEV_ARM_VGIC_GRP_ADDR, attr: KVM_VGIC_ITS_ADDR_TYPE, addr: { value: 0x8080000n } });
      // An aligned offset no register answers: -ENXIO only once the vCPUs are locked, so -EBUSY here.
      r.push(yield* t.kvm.ioctl(fd, 'KVM_GET_DEVICE_ATTR', { group: KVM_DEV_ARM_VGIC_GRP_ITS_REGS, attr: 0x200n, addr: { value: 0n } }));
      // Misalignment is checked before any lock: -EINVAL even now.
      r.push(yield* t.kvm.ioctl(fd, 'KVM_GET_DEVICE_ATTR', { group: KVM_DEV_ARM_VGIC_GRP_ITS_REGS, attr: 0x2n, addr: { value: 0n } }));
    });
    expect(t.sim.run().outcome.kind).toBe('ok');
    expect(r).toEqual([-EBUSY, -EBUSY, -EINVAL]);
  });
});

describe('GITS_IIDR', () => {
  it('reads ProductID KVM, Revision 0 (the only ITS ABI), implementer ARM; a write of another Revision is -EINVAL', () => {
    const t = makeTestVm();
    const r: number[] = [];
    const iidr = { value: 0n };
    t.sim.spawn('vmm', function* () {
      yield* setupVm(t, 1);
      const fd = yield* createIts(t);
      yield* t.kvm.ioctl(fd, 'KVM_SET_DEVICE_ATTR', { group: KVM_DEV_ARM_VGIC_GRP_ADDR, attr: KVM_VGIC_ITS_ADDR_TYPE, addr: { value: 0x8080000n } });
      r.push(yield* t.kvm.ioctl(fd, 'KVM_GET_DEVICE_ATTR', { group: KVM_DEV_ARM_VGIC_GRP_ITS_REGS, attr: GITS_IIDR, addr: iidr }));
      // kvm_arm_its_post_load writes back what pre_save read: accepted.
      r.push(yield* t.kvm.ioctl(fd, 'KVM_SET_DEVICE_ATTR', { group: KVM_DEV_ARM_VGIC_GRP_ITS_REGS, attr: GITS_IIDR, addr: { value: iidr.value } }));
      r.push(yield* t.kvm.ioctl(fd, 'KVM_SET_DEVICE_ATTR', { group: KVM_DEV_ARM_VGIC_GRP_ITS_REGS, attr: GITS_IIDR, addr: { value: 0x4b00143bn } }));
    });
    expect(t.sim.run().outcome.kind).toBe('ok');
    expect(iidr.value).toBe(0x4b00043bn);
    expect(r).toEqual([0, 0, -EINVAL]);
  });
});
