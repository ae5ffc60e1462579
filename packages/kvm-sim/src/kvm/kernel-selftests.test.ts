// Ports of Linux's KVM arm64 selftests (tools/testing/selftests/kvm/arm64/vgic_init.c, psci_test.c) against
// kvm-sim's public API, plus the kernel behaviours those tests rely on. Each test names the case it ports.
import {
  KVM_DEV_ARM_VGIC_CTRL_INIT,
  KVM_DEV_ARM_VGIC_GRP_ADDR,
  KVM_DEV_ARM_VGIC_GRP_CTRL,
  KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
  kvmDefaultMpidr,
} from '@vgicsim/gicv3-regs';
import { describe, expect, it } from 'vitest';
import type { Proc } from '../kernel/objects.js';
import { E2BIG, EEXIST, EINTR, EINVAL, ENOEXEC, ENXIO } from './errno.js';
import type { GuestCode, GuestProgram } from './guest.js';
import {
  PSCI_0_2_FN64_AFFINITY_INFO,
  PSCI_0_2_FN64_CPU_ON,
  PSCI_0_2_FN_AFFINITY_INFO,
  PSCI_0_2_FN_CPU_ON,
  PSCI_0_2_FN_PSCI_VERSION,
  PSCI_0_2_FN_SYSTEM_OFF,
  PSCI_1_0_FN64_SYSTEM_SUSPEND,
  PSCI_1_0_FN_PSCI_FEATURES,
  PSCI_1_0_FN_SYSTEM_SUSPEND,
  PSCI_1_3_FN64_SYSTEM_OFF2,
  PSCI_1_3_FN_SYSTEM_OFF2,
  PSCI_RET_INTERNAL_FAILURE,
  PSCI_RET_INVALID_PARAMS,
  PSCI_RET_NOT_SUPPORTED,
  PSCI_RET_SUCCESS,
  PSCI_VERSION_1_1,
  PSCI_VERSION_1_3,
  x0ToPsciRet,
} from '@vgicsim/gicv3-regs';
import { makeTestVm, setupVm, type TestVm } from './test-vm.js';
import {
  KVM_DEV_TYPE_ARM_VGIC_ITS,
  KVM_DEV_TYPE_ARM_VGIC_V3,
  KVM_EXIT_HYPERCALL,
  KVM_EXIT_SYSTEM_EVENT,
  KVM_MP_STATE_RUNNABLE,
  KVM_MP_STATE_STOPPED,
  KVM_REG_ARM_CORE_PC,
  KVM_SYSTEM_EVENT_SHUTDOWN,
  coreRegX,
} from './uapi.js';
import { KVM_VGIC_V3_ADDR_TYPE_DIST, KVM_VGIC_V3_ADDR_TYPE_REDIST, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION } from '@vgicsim/gicv3-regs';
import { KVM_VGIC_ITS_ADDR_TYPE } from '@vgicsim/gicv3-regs';

/** max_phys_size of the selftests: 1 << the default VM's IPA bits (40). */
const MAX_PHYS = 1n << 40n;
const GICR_TYPER = 0x0008n;

function runVmm(t: TestVm, body: () => Proc): void {
  t.sim.spawn('vmm', body);
  const r = t.sim.run();
  expect(r.outcome.kind).toBe('ok');
}

function* setAddr(t: TestVm, fd: number, type: bigint, value: bigint | null): Proc<number> {
  return yield* t.kvm.ioctl(fd, 'KVM_SET_DEVICE_ATTR', { group: KVM_DEV_ARM_VGIC_GRP_ADDR, attr: type, addr: value === null ? null : { value } });
}

function* createVgic(t: TestVm): Proc<number> {
  const dev = { type: KVM_DEV_TYPE_ARM_VGIC_V3, fd: -1 };
  const r = yield* t.kvm.ioctl(t.vmFd, 'KVM_CREATE_DEVICE', dev);
  if (r < 0) throw new Error(`create vGIC: ${r}`);
  return dev.fd;
}

function* typerLo(t: TestVm, fd: number, vcpu: number): Proc<bigint> {
  const v = { value: -1n };
  const r = yield* t.kvm.ioctl(fd, 'KVM_GET_DEVICE_ATTR', { group: KVM_DEV_ARM_VGIC_GRP_REDIST_REGS, attr: (BigInt(vcpu) << 32n) | GICR_TYPER, addr: v });
  if (r < 0) return BigInt(r);
  return v.value;
}

describe('vgic_init.c: subtest_dist_rdist (GICv3)', () => {
  it('misaligned → EINVAL, beyond the IPA range (or half a redistributor beyond) → E2BIG, then valid bases succeed; the legacy REDIST twice → EEXIST; REDIST_REGION after it → EINVAL', () => {
    const t = makeTestVm();
    const r: number[] = [];
    runVmm(t, function* () {
      for (let i = 0; i < 4; i++) t.vcpuFds.push(yield* t.kvm.ioctl(t.vmFd, 'KVM_CREATE_VCPU', i));
      const fd = yield* createVgic(t);
      r.push(yield* t.kvm.ioctl(fd, 'KVM_HAS_DEVICE_ATTR', { group: KVM_DEV_ARM_VGIC_GRP_ADDR, attr: KVM_VGIC_V3_ADDR_TYPE_DIST, addr: null }));
      r.push(yield* t.kvm.ioctl(fd, 'KVM_HAS_DEVICE_ATTR', { group: KVM_DEV_ARM_VGIC_GRP_ADDR, attr: KVM_VGIC_V3_ADDR_TYPE_REDIST, addr: null }));
      r.push(yield* t.kvm.ioctl(fd, 'KVM_HAS_DEVICE_ATTR', { group: KVM_DEV_ARM_VGIC_GRP_ADDR, attr: 0xffffffffffffffffn, addr: null }));
      r.push(yield* setAddr(t, fd, KVM_VGIC_V3_ADDR_TYPE_DIST, 0x1000n));
      r.push(yield* setAddr(t, fd, KVM_VGIC_V3_ADDR_TYPE_REDIST, 0x1000n));
      r.push(yield* setAddr(t, fd, KVM_VGIC_V3_ADDR_TYPE_DIST, MAX_PHYS));
      r.push(yield* setAddr(t, fd, KVM_VGIC_V3_ADDR_TYPE_REDIST, MAX_PHYS));
      r.push(yield* setAddr(t, fd, KVM_VGIC_V3_ADDR_TYPE_REDIST, MAX_PHYS - 0x10000n));
      r.push(yield* setAddr(t, fd, KVM_VGIC_V3_ADDR_TYPE_REDIST, 0n));
      r.push(yield* setAddr(t, fd, KVM_VGIC_V3_ADDR_TYPE_REDIST, 0xe0000n));
      r.push(yield* setAddr(t, fd, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION, (4n << 52n) | 0x100000n));
      // Overlapping DIST/REDIST is not detected here (KVM finds it on the first run, not modelled).
      r.push(yield* setAddr(t, fd, KVM_VGIC_V3_ADDR_TYPE_DIST, 4n * 0x20000n - 0x10000n));
    });
    expect(r).toEqual([0, 0, -ENXIO, -EINVAL, -EINVAL, -E2BIG, -E2BIG, -E2BIG, 0, -EEXIST, -EINVAL, 0]);
  });
});

describe('vgic_init.c: test_v3_last_bit_single_rdist', () => {
  it('vCPUs created as 0, 3, 5, 4, 1, 2: after a legacy REDIST base only vCPU 2 (created last) has Last; Processor_Number = vcpu_id', () => {
    const t = makeTestVm();
    const typers: bigint[] = [];
    runVmm(t, function* () {
      for (const id of [0, 3, 5, 4, 1, 2]) t.vcpuFds.push(yield* t.kvm.ioctl(t.vmFd, 'KVM_CREATE_VCPU', id));
      const fd = yield* createVgic(t);
      yield* t.kvm.ioctl(fd, 'KVM_SET_DEVICE_ATTR', { group: KVM_DEV_ARM_VGIC_GRP_CTRL, attr: BigInt(KVM_DEV_ARM_VGIC_CTRL_INIT), addr: { value: 0n } });
      yield* setAddr(t, fd, KVM_VGIC_V3_ADDR_TYPE_REDIST, 0x10000n);
      for (const id of [0, 3, 5, 1, 2]) typers.push(yield* typerLo(t, fd, id));
    });
    expect(typers).toEqual([0x000n, 0x300n, 0x500n, 0x100n, 0x210n]);
  });

  it('test_v3_typer_accesses (legacy part): EINVAL for a vCPU not created yet; before any redistributor base no Last bit', () => {
    const t = makeTestVm();
    const typers: bigint[] = [];
    runVmm(t, function* () {
      t.vcpuFds.push(yield* t.kvm.ioctl(t.vmFd, 'KVM_CREATE_VCPU', 0));
      const fd = yield* createVgic(t);
      t.vcpuFds.push(yield* t.kvm.ioctl(t.vmFd, 'KVM_CREATE_VCPU', 3));
      typers.push(yield* typerLo(t, fd, 1));
      t.vcpuFds.push(yield* t.kvm.ioctl(t.vmFd, 'KVM_CREATE_VCPU', 1));
      t.vcpuFds.push(yield* t.kvm.ioctl(t.vmFd, 'KVM_CREATE_VCPU', 2));
      yield* t.kvm.ioctl(fd, 'KVM_SET_DEVICE_ATTR', { group: KVM_DEV_ARM_VGIC_GRP_CTRL, attr: BigInt(KVM_DEV_ARM_VGIC_CTRL_INIT), addr: { value: 0n } });
      for (let i = 0; i < 4; i++) typers.push(yield* typerLo(t, fd, i));
    });
    expect(typers).toEqual([BigInt(-EINVAL), 0x000n, 0x100n, 0x200n, 0x300n]);
  });
});

describe('vgic_init.c: test_v3_its_region', () => {
  it('misaligned → EINVAL, base or half the frame beyond the IPA range → E2BIG, 0x400000 succeeds, set again → EEXIST', () => {
    const t = makeTestVm();
    const r: number[] = [];
    runVmm(t, function* () {
      yield* setupVm(t, 4, { init: false });
      const dev = { type: KVM_DEV_TYPE_ARM_VGIC_ITS, fd: -1 };
      yield* t.kvm.ioctl(t.vmFd, 'KVM_CREATE_DEVICE', dev);
      for (const a of [0x401000n, MAX_PHYS, MAX_PHYS - 0x10000n, 0x400000n, 0x300000n]) r.push(yield* setAddr(t, dev.fd, KVM_VGIC_ITS_ADDR_TYPE, a));
    });
    expect(r).toEqual([-EINVAL, -E2BIG, -E2BIG, 0, -EEXIST]);
  });
});

/** A guest on vCPU 0 that makes the given calls and records each x0 as a PSCI return. */
function callsGuest(calls: readonly (readonly [number, bigint, bigint, bigint])[], seen: number[], then?: () => GuestCode): GuestProgram {
  return {
    name: 'psci-calls',
    *start(cpu): GuestCode {
      if (cpu.index !== 0) {
        for (;;) yield { op: 'wfi' };
      }
      for (const [fn, a, b, c] of calls) seen.push(x0ToPsciRet((yield { op: 'hvc', x: [BigInt(fn), a, b, c] }) ?? 0n));
      if (then !== undefined) yield* then();
      for (;;) yield { op: 'wfi' };
    },
  };
}

function runGuest(t: TestVm, vcpus: number, body?: () => Proc): void {
  runVmm(t, function* () {
    yield* setupVm(t, vcpus, { powerOff: (i) => i !== 0 });
    const fd0 = t.vcpuFds[0] as number;
    const runner = t.sim.spawn('vcpu0', function* () {
      yield* t.kvm.ioctl(fd0, 'KVM_RUN', undefined);
    }, { daemon: true });
    yield* t.sim.sleep(200_000);
    t.sim.kill(runner, 10);
    yield* t.sim.join(runner);
    if (body !== undefined) yield* body();
  });
}

describe('psci_test.c: PSCI_VERSION and PSCI_FEATURES (guest_test_system_off2 discoverability)', () => {
  it('kernel v6.16 (≥ 6.13): PSCI 1.3, SYSTEM_OFF2 (32/64) answers HIBERNATE_OFF; SYSTEM_SUSPEND is NOT_SUPPORTED without KVM_CAP_ARM_SYSTEM_SUSPEND', () => {
    const seen: number[] = [];
    const t = makeTestVm({
      guest: callsGuest(
        [
          [PSCI_0_2_FN_PSCI_VERSION, 0n, 0n, 0n],
          [PSCI_1_0_FN_PSCI_FEATURES, BigInt(PSCI_1_3_FN_SYSTEM_OFF2), 0n, 0n],
          [PSCI_1_0_FN_PSCI_FEATURES, BigInt(PSCI_1_3_FN64_SYSTEM_OFF2), 0n, 0n],
          [PSCI_1_0_FN_PSCI_FEATURES, BigInt(PSCI_1_0_FN_SYSTEM_SUSPEND), 0n, 0n],
          [PSCI_1_0_FN_PSCI_FEATURES, BigInt(PSCI_1_0_FN64_SYSTEM_SUSPEND), 0n, 0n],
          [PSCI_1_0_FN_PSCI_FEATURES, 0x80000000n, 0n, 0n],
          [PSCI_1_0_FN_PSCI_FEATURES, 0x84000001n, 0n, 0n],
        ],
        seen,
      ),
    });
    runGuest(t, 1);
    expect(seen).toEqual([PSCI_VERSION_1_3, 1, 1, PSCI_RET_NOT_SUPPORTED, PSCI_RET_NOT_SUPPORTED, PSCI_RET_SUCCESS, PSCI_RET_SUCCESS]);
  });

  it('kernel v6.4: PSCI 1.1 and no SYSTEM_OFF2', () => {
    const seen: number[] = [];
    const t = makeTestVm({
      kvm: { kernel: 'v6.4' },
      guest: callsGuest(
        [
          [PSCI_0_2_FN_PSCI_VERSION, 0n, 0n, 0n],
          [PSCI_1_0_FN_PSCI_FEATURES, BigInt(PSCI_1_3_FN64_SYSTEM_OFF2), 0n, 0n],
        ],
        seen,
      ),
    });
    runGuest(t, 1);
    expect(seen).toEqual([PSCI_VERSION_1_1, PSCI_RET_NOT_SUPPORTED]);
  });
});

describe('psci.c behaviours the selftests rely on', () => {
  it('AFFINITY_INFO: bits outside MPIDR_HWID_BITMASK or a level above 3 → INVALID_PARAMS; the 32-bit call narrows its arguments', () => {
    const seen: number[] = [];
    const t = makeTestVm({
      guest: callsGuest(
        [
          [PSCI_0_2_FN64_AFFINITY_INFO, 0x80000000n, 0n, 0n],
          [PSCI_0_2_FN64_AFFINITY_INFO, 0n, 4n, 0n],
          // 32-bit: the upper halves of target and level are dropped.
          [PSCI_0_2_FN_AFFINITY_INFO, 0xffffffff00000001n, 0x100000000n, 0n],
          [PSCI_0_2_FN64_AFFINITY_INFO, 0x1n, 0n, 0n],
        ],
        seen,
      ),
    });
    runGuest(t, 2);
    expect(seen).toEqual([PSCI_RET_INVALID_PARAMS, PSCI_RET_INVALID_PARAMS, 1, 1]);
  });

  it('32-bit CPU_ON truncates the entry point and context id to 32 bits (kvm_psci_narrow_to_32bit)', () => {
    const seen: number[] = [];
    const t = makeTestVm({ guest: callsGuest([[PSCI_0_2_FN_CPU_ON, kvmDefaultMpidr(1) & 0xffffffn, 0xaaaa0000feedf00dn, 0xbbbb0000deadc0den]], seen) });
    const regs: bigint[] = [];
    runGuest(t, 2, function* () {
      const pc = { value: 0n };
      const x0 = { value: 0n };
      yield* t.kvm.ioctl(t.vcpuFds[1] as number, 'KVM_GET_ONE_REG', { id: KVM_REG_ARM_CORE_PC, addr: pc });
      yield* t.kvm.ioctl(t.vcpuFds[1] as number, 'KVM_GET_ONE_REG', { id: coreRegX(0), addr: x0 });
      regs.push(pc.value, x0.value);
    });
    expect(seen).toEqual([PSCI_RET_SUCCESS]);
    expect(regs).toEqual([0xfeedf00dn, 0xdeadc0den]);
  });

  it('a vCPU run after SYSTEM_OFF sleeps until userspace makes it RUNNABLE, then the guest sees INTERNAL_FAILURE', () => {
    const seen: number[] = [];
    let afterOff = -99;
    const guest: GuestProgram = {
      name: 'off-then-continue',
      *start(cpu): GuestCode {
        if (cpu.index !== 0) {
          for (;;) yield { op: 'wfi' };
        }
        afterOff = x0ToPsciRet((yield { op: 'hvc', x: [BigInt(PSCI_0_2_FN_SYSTEM_OFF), 0n, 0n, 0n] }) ?? 0n);
        seen.push(afterOff);
        for (;;) yield { op: 'wfi' };
      },
    };
    const t = makeTestVm({ guest });
    const log: string[] = [];
    runVmm(t, function* () {
      yield* setupVm(t, 1);
      const fd = t.vcpuFds[0] as number;
      const run = t.kvm.vcpuOf(fd).run;
      log.push(`run1=${yield* t.kvm.ioctl(fd, 'KVM_RUN', undefined)} exit=${run.exit_reason} type=${run.system_event.type}`);
      // Run again without changing the MP state: the vCPU sleeps in KVM_RUN until a signal.
      const self = t.sim.self();
      t.sim.spawn('kicker', function* () {
        yield* t.sim.sleep(100_000);
        t.sim.kill(self, 10);
      }, { daemon: true });
      t.sim.setSignalHandler(self, 10, () => {});
      log.push(`run2=${yield* t.kvm.ioctl(fd, 'KVM_RUN', undefined)} t=${t.sim.now >= 100_000}`);
      yield* t.kvm.ioctl(fd, 'KVM_SET_MP_STATE', { mp_state: KVM_MP_STATE_RUNNABLE });
      const runner = t.sim.spawn('vcpu0', function* () {
        yield* t.kvm.ioctl(fd, 'KVM_RUN', undefined);
      }, { daemon: true });
      yield* t.sim.sleep(100_000);
      t.sim.kill(runner, 10);
      yield* t.sim.join(runner);
    });
    expect(log).toEqual([`run1=0 exit=${KVM_EXIT_SYSTEM_EVENT} type=${KVM_SYSTEM_EVENT_SHUTDOWN}`, `run2=${-EINTR} t=true`]);
    expect(seen).toEqual([PSCI_RET_INTERNAL_FAILURE]);
  });
});

describe('vCPU ioctl details', () => {
  it('KVM_GET_ONE_REG / KVM_SET_ONE_REG before KVM_ARM_VCPU_INIT → ENOEXEC', () => {
    const t = makeTestVm();
    const r: number[] = [];
    runVmm(t, function* () {
      const fd = yield* t.kvm.ioctl(t.vmFd, 'KVM_CREATE_VCPU', 0);
      r.push(yield* t.kvm.ioctl(fd, 'KVM_GET_ONE_REG', { id: KVM_REG_ARM_CORE_PC, addr: { value: 0n } }));
      r.push(yield* t.kvm.ioctl(fd, 'KVM_SET_ONE_REG', { id: KVM_REG_ARM_CORE_PC, addr: { value: 0n } }));
      yield* t.kvm.ioctl(fd, 'KVM_ARM_VCPU_INIT', { powerOff: false });
      r.push(yield* t.kvm.ioctl(fd, 'KVM_GET_ONE_REG', { id: KVM_REG_ARM_CORE_PC, addr: { value: 0n } }));
    });
    expect(r).toEqual([-ENOEXEC, -ENOEXEC, 0]);
  });

  it('immediate_exit: KVM_RUN returns -EINTR and leaves exit_reason as the previous exit set it', () => {
    const seen: number[] = [];
    const t = makeTestVm({ guest: callsGuest([[PSCI_0_2_FN_PSCI_VERSION, 0n, 0n, 0n]], seen) });
    const log: number[] = [];
    runVmm(t, function* () {
      yield* setupVm(t, 1);
      // Forward PSCI_VERSION so the first run ends with KVM_EXIT_HYPERCALL.
      yield* t.kvm.ioctl(t.vmFd, 'KVM_SET_DEVICE_ATTR', { group: 0, attr: 0n, addr: { base: PSCI_0_2_FN_PSCI_VERSION, nr_functions: 1, action: 2 } });
      const fd = t.vcpuFds[0] as number;
      const run = t.kvm.vcpuOf(fd).run;
      log.push(yield* t.kvm.ioctl(fd, 'KVM_RUN', undefined), run.exit_reason);
      run.immediate_exit = 1;
      log.push(yield* t.kvm.ioctl(fd, 'KVM_RUN', undefined), run.exit_reason);
    });
    expect(log).toEqual([0, KVM_EXIT_HYPERCALL, -EINTR, KVM_EXIT_HYPERCALL]);
  });

  it('KVM_CREATE_VCPU errno order: id ≥ KVM_MAX_VCPU_IDS → EINVAL; max_vcpus reached → EINVAL before the initialised-vGIC EBUSY; duplicate id → EEXIST', () => {
    const t = makeTestVm({ kvm: { maxVcpus: 2 } });
    const r: number[] = [];
    runVmm(t, function* () {
      r.push(yield* t.kvm.ioctl(t.vmFd, 'KVM_CREATE_VCPU', 2));
      r.push((yield* t.kvm.ioctl(t.vmFd, 'KVM_CREATE_VCPU', 0)) >= 0 ? 0 : -1);
      r.push(yield* t.kvm.ioctl(t.vmFd, 'KVM_CREATE_VCPU', 0));
      r.push((yield* t.kvm.ioctl(t.vmFd, 'KVM_CREATE_VCPU', 1)) >= 0 ? 0 : -1);
      const fd = yield* createVgic(t);
      yield* t.kvm.ioctl(fd, 'KVM_SET_DEVICE_ATTR', { group: KVM_DEV_ARM_VGIC_GRP_CTRL, attr: BigInt(KVM_DEV_ARM_VGIC_CTRL_INIT), addr: { value: 0n } });
      r.push(yield* t.kvm.ioctl(t.vmFd, 'KVM_CREATE_VCPU', 1));
    });
    expect(r).toEqual([-EINVAL, 0, -EEXIST, 0, -EINVAL]);
  });

  it('a powered-off target stays STOPPED until CPU_ON (host_test_cpu_on precondition)', () => {
    const t = makeTestVm();
    const mp = { mp_state: -1 };
    runVmm(t, function* () {
      yield* setupVm(t, 2);
      yield* t.kvm.ioctl(t.vcpuFds[1] as number, 'KVM_SET_MP_STATE', { mp_state: KVM_MP_STATE_STOPPED });
      yield* t.kvm.ioctl(t.vcpuFds[1] as number, 'KVM_GET_MP_STATE', mp);
    });
    expect(mp.mp_state).toBe(KVM_MP_STATE_STOPPED);
    expect(PSCI_0_2_FN64_CPU_ON).toBe(0xc4000003);
  });
});
