import { KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS, kvmVcpuAffinity, packSysregAttr, kvmDefaultMpidr, mpidrHwid } from '@vgicsim/gicv3-regs';
import { describe, expect, it } from 'vitest';
import type { Proc } from '../kernel/objects.js';
import type { GuestCode, GuestProgram } from './guest.js';
import { EBUSY, EINTR } from './errno.js';
import { spawnForeignHolder } from './foreign-holder.js';
import {
  PSCI_0_2_FN64_AFFINITY_INFO,
  PSCI_0_2_FN64_CPU_ON,
  PSCI_RET_SUCCESS,
  x0ToPsciRet,
} from '@vgicsim/gicv3-regs';
import { makeTestVm, setupVm, type TestVm } from './test-vm.js';
import { KVM_EXIT_INTR, KVM_MP_STATE_STOPPED, KVM_REG_ARM_CORE_PC, coreRegX } from './uapi.js';
import { SYS_ICC_CTLR_EL1 } from './vgic-lock-lockless-shadow-as-posted.js';

const SIG_IPI = 10;
const CTLR_ID = 0xc664;

/** A guest that computes forever in 100 µs slices. */
const BUSY: GuestProgram = {
  name: 'busy',
  *start(): GuestCode {
    for (;;) yield { op: 'compute', ns: 100_000 };
  },
};

/** A vCPU thread the way QEMU runs one: KVM_RUN in a loop, SIG_IPI sets immediate_exit via its handler. */
function spawnVcpuThread(t: TestVm, index: number, log: string[]): void {
  const { sim, kvm } = t;
  sim.spawn(
    `vcpu${index}`,
    function* () {
      const self = sim.self();
      const fd = t.vcpuFds[index] as number;
      const vcpu = kvm.vcpuOf(fd);
      sim.setSignalHandler(self, SIG_IPI, () => {
        vcpu.run.immediate_exit = 1;
      });
      for (let i = 0; i < 3; i++) {
        const r = yield* kvm.ioctl(fd, 'KVM_RUN', undefined);
        log.push(`vcpu${index} KVM_RUN=${r} exit=${vcpu.run.exit_reason} t=${sim.now}`);
        vcpu.run.immediate_exit = 0;
        if (r === -EINTR) yield* sim.sleep(50_000); // parked in QEMU for a while
      }
    },
    { daemon: true },
  );
}

function getCtlr(t: TestVm, vcpu: number): Proc<number> {
  return t.kvm.ioctl(t.devFd, 'KVM_GET_DEVICE_ATTR', {
    group: KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
    attr: packSysregAttr(kvmVcpuAffinity(vcpu), CTLR_ID),
    addr: { value: 0n },
  });
}

describe('vCPU in KVM_RUN vs a CPU_SYSREGS access', () => {
  it('all-vcpus: EBUSY while vCPU 1 runs the guest, 0 once a signal has kicked it out of KVM_RUN', () => {
    const t = makeTestVm({ guest: BUSY });
    const log: string[] = [];
    const results: number[] = [];
    t.sim.spawn('vmm', function* () {
      yield* setupVm(t, 2);
      spawnVcpuThread(t, 1, log);
      yield* t.sim.sleep(20_000);
      results.push(yield* getCtlr(t, 0));
      const vcpu1 = t.sim.threads.find((x) => x.name === 'vcpu1');
      if (vcpu1 === undefined) throw new Error('no vcpu1');
      t.sim.kill(vcpu1, SIG_IPI);
      yield* t.sim.sleep(20_000);
      results.push(yield* getCtlr(t, 0));
    });
    const r = t.sim.run();
    expect(r.outcome.kind).toBe('ok');
    expect(results).toEqual([-EBUSY, 0]);
    expect(log[0]).toMatch(new RegExp(`^vcpu1 KVM_RUN=${-EINTR} exit=${KVM_EXIT_INTR}`));
    expect(t.kvm.count('KVM_GET_DEVICE_ATTR', '-EBUSY')).toBe(1);
  });

  it('target-vcpu: reading vCPU 0 succeeds while vCPU 1 runs; reading vCPU 1 is EBUSY', () => {
    const t = makeTestVm({ guest: BUSY, kvm: { lockPolicy: 'target-vcpu' } });
    const log: string[] = [];
    const results: number[] = [];
    t.sim.spawn('vmm', function* () {
      yield* setupVm(t, 2);
      spawnVcpuThread(t, 1, log);
      yield* t.sim.sleep(20_000);
      results.push(yield* getCtlr(t, 0));
      results.push(yield* getCtlr(t, 1));
    });
    expect(t.sim.run().outcome.kind).toBe('ok');
    expect(results).toEqual([0, -EBUSY]);
  });

  it('lockless-shadow-idealised: ICC_CTLR_EL1 reads succeed while every vCPU runs, other registers stay EBUSY', () => {
    const t = makeTestVm({ guest: BUSY, kvm: { lockPolicy: 'lockless-shadow-idealised' } });
    const results: number[] = [];
    t.sim.spawn('vmm', function* () {
      yield* setupVm(t, 2);
      spawnVcpuThread(t, 0, []);
      spawnVcpuThread(t, 1, []);
      yield* t.sim.sleep(20_000);
      results.push(yield* getCtlr(t, 1));
      results.push(
        yield* t.kvm.ioctl(t.devFd, 'KVM_GET_DEVICE_ATTR', {
          group: KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
          attr: packSysregAttr(kvmVcpuAffinity(1), 0xc230),
          addr: { value: 0n },
        }),
      );
    });
    expect(t.sim.run().outcome.kind).toBe('ok');
    expect(results).toEqual([0, -EBUSY]);
  });

  it('lockless-shadow-as-posted: the attr encoding 0xc664 never equals SYS_ICC_CTLR_EL1 (0x18cc80), so the read is EBUSY like all-vcpus', () => {
    expect(SYS_ICC_CTLR_EL1).toBe(0x18cc80);
    for (const policy of ['lockless-shadow-as-posted', 'all-vcpus'] as const) {
      const t = makeTestVm({ guest: BUSY, kvm: { lockPolicy: policy } });
      const results: number[] = [];
      t.sim.spawn('vmm', function* () {
        yield* setupVm(t, 2);
        spawnVcpuThread(t, 0, []);
        spawnVcpuThread(t, 1, []);
        yield* t.sim.sleep(20_000);
        results.push(yield* getCtlr(t, 1));
      });
      const r = t.sim.run();
      expect(r.outcome.kind).toBe('ok');
      expect(results).toEqual([-EBUSY]);
      expect(r.events.some((e) => e.kind === 'vgic-shadow-read')).toBe(false);
    }
  });

  it('lockless-shadow-as-posted never seeds the shadow at vGIC init (0 until set_gic_ctlr writes it); idealised seeds it', () => {
    const shadows: Record<string, bigint> = {};
    for (const policy of ['lockless-shadow-as-posted', 'lockless-shadow-idealised'] as const) {
      const t = makeTestVm({ guest: BUSY, kvm: { lockPolicy: policy } });
      t.sim.spawn('vmm', function* () {
        yield* setupVm(t, 2);
      });
      expect(t.sim.run().outcome.kind).toBe('ok');
      shadows[policy] = t.kvm.vcpuOf(t.vcpuFds[1] as number).vgic?.iccCtlrShadow ?? -1n;
    }
    expect(shadows).toEqual({ 'lockless-shadow-as-posted': 0n, 'lockless-shadow-idealised': 0x8400n });
  });

  it('a powered-off vCPU still holds its mutex inside KVM_RUN', () => {
    const t = makeTestVm({ guest: BUSY });
    const results: number[] = [];
    t.sim.spawn('vmm', function* () {
      yield* setupVm(t, 2, { powerOff: (i) => i === 1 });
      spawnVcpuThread(t, 1, []);
      yield* t.sim.sleep(20_000);
      results.push(t.kvm.vcpuOf(t.vcpuFds[1] as number).mpState);
      results.push(yield* getCtlr(t, 0));
    });
    expect(t.sim.run().outcome.kind).toBe('ok');
    expect(results).toEqual([KVM_MP_STATE_STOPPED, -EBUSY]);
  });

  it('a foreign kernel context holding a vCPU mutex makes the access EBUSY with no vCPU running', () => {
    const t = makeTestVm();
    const results: number[] = [];
    t.sim.spawn('vmm', function* () {
      yield* setupVm(t, 2);
      spawnForeignHolder(t.sim, t.kvm.vcpuOf(t.vcpuFds[1] as number), { startNs: 0, holdNs: 100_000 });
      yield* t.sim.sleep(10_000);
      results.push(yield* getCtlr(t, 0));
      yield* t.sim.sleep(200_000);
      results.push(yield* getCtlr(t, 0));
    });
    expect(t.sim.run().outcome.kind).toBe('ok');
    expect(results).toEqual([-EBUSY, 0]);
  });
});

describe('psci_test.c: CPU_ON of a never-run target', () => {
  it('in-kernel CPU_ON returns SUCCESS, AFFINITY_INFO turns ON, and the never-run target reads PC/x0 from the pending reset', () => {
    // A Linux guest passes the hardware id (MPIDR & MPIDR_HWID_BITMASK): bit 31 would be INVALID_PARAMS.
    const targetMpidr = mpidrHwid(kvmDefaultMpidr(1));
    let cpuOnRet = -99;
    let affinityPolls = 0;
    const source: GuestProgram = {
      name: 'psci-source',
      *start(cpu): GuestCode {
        if (cpu.index !== 0) return;
        const r = yield { op: 'hvc', x: [BigInt(PSCI_0_2_FN64_CPU_ON), targetMpidr, 0xfeedf00dn, 0xdeadc0den] };
        cpuOnRet = x0ToPsciRet(r ?? 0n);
        for (;;) {
          affinityPolls++;
          const a = yield { op: 'hvc', x: [BigInt(PSCI_0_2_FN64_AFFINITY_INFO), targetMpidr, 0n, 0n] };
          if (x0ToPsciRet(a ?? 1n) === 0) break;
          yield { op: 'compute', ns: 1000 };
        }
      },
    };
    const t = makeTestVm({ guest: source });
    const regs: bigint[] = [];
    t.sim.spawn('vmm', function* () {
      yield* setupVm(t, 2);
      yield* t.kvm.ioctl(t.vcpuFds[1] as number, 'KVM_SET_MP_STATE', { mp_state: KVM_MP_STATE_STOPPED });
      const fd0 = t.vcpuFds[0] as number;
      // Run vCPU 0 until its program ends in the idle WFI; a timer-free WFI never returns, so stop via a kick.
      const runner = t.sim.spawn('vcpu0', function* () {
        yield* t.kvm.ioctl(fd0, 'KVM_RUN', undefined);
      }, { daemon: true });
      yield* t.sim.sleep(200_000);
      t.sim.kill(runner, 10);
      yield* t.sim.join(runner);
      const pc = { value: 0n };
      const x0 = { value: 0n };
      yield* t.kvm.ioctl(t.vcpuFds[1] as number, 'KVM_GET_ONE_REG', { id: KVM_REG_ARM_CORE_PC, addr: pc });
      yield* t.kvm.ioctl(t.vcpuFds[1] as number, 'KVM_GET_ONE_REG', { id: coreRegX(0), addr: x0 });
      regs.push(pc.value, x0.value);
    });
    expect(t.sim.run().outcome.kind).toBe('ok');
    expect(cpuOnRet).toBe(PSCI_RET_SUCCESS);
    expect(affinityPolls).toBe(1);
    expect(regs).toEqual([0xfeedf00dn, 0xdeadc0den]);
  });
});
