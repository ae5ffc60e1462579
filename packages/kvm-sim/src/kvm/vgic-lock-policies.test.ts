// One test per lock policy and per kernel-shape field, through the ioctl surface: exact errnos, which
// vCPU mutexes an access takes, and what each kernel release does differently.
import {
  KVM_DEV_ARM_ITS_CTRL_RESET,
  KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
  KVM_DEV_ARM_VGIC_GRP_CTRL,
  KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
  KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
  KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES,
  kvmVcpuAffinity,
  packSysregAttr,
} from '@vgicsim/gicv3-regs';
import { describe, expect, it } from 'vitest';
import type { Proc } from '../kernel/objects.js';
import { EBUSY, EFAULT, ENOENT, ENXIO } from './errno.js';
import { spawnForeignHolder } from './foreign-holder.js';
import { KERNEL_SHAPES } from './kernel-versions.js';
import type { KvmOptions } from './kvm.js';
import { PSCI_VERSION_1_1, PSCI_VERSION_1_3 } from '@vgicsim/gicv3-regs';
import { KERNEL_VERSIONS, LOCK_POLICIES } from './state.js';
import { makeTestVm, setupVm, type TestVm } from './test-vm.js';
import { KVM_DEV_TYPE_ARM_VGIC_ITS } from './uapi.js';
import { vgicLockPolicy } from './vgic-lock-policy.js';

const ICC_PMR_EL1 = 0xc230;
const ICC_CTLR_EL1 = 0xc664;
const UNKNOWN_SYSREG = 0xc000;
const GICD_IIDR = 0x8n;
const GICR_TYPER = 0x8n;

type Access = (t: TestVm) => Proc<number>;

function sysreg(vcpu: number, id: number, write = false, addr: { value: bigint } | null = { value: 0n }): Access {
  return (t) =>
    t.kvm.ioctl(t.devFd, write ? 'KVM_SET_DEVICE_ATTR' : 'KVM_GET_DEVICE_ATTR', {
      group: KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
      attr: packSysregAttr(kvmVcpuAffinity(vcpu), id),
      addr,
    });
}
const distRead = (off: bigint): Access => (t) =>
  t.kvm.ioctl(t.devFd, 'KVM_GET_DEVICE_ATTR', { group: KVM_DEV_ARM_VGIC_GRP_DIST_REGS, attr: off, addr: { value: 0n } });
const redistRead = (vcpu: number): Access => (t) =>
  t.kvm.ioctl(t.devFd, 'KVM_GET_DEVICE_ATTR', {
    group: KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
    attr: (packSysregAttr(kvmVcpuAffinity(vcpu), 0) & ~0xffffn) | GICR_TYPER,
    addr: { value: 0n },
  });

/**
 * Runs `accesses` on a 2-vCPU VM while a foreign kernel context holds vCPU `held`'s mutex (none when null);
 * returns their results and how many shadow reads the trace shows.
 */
function underContention(
  accesses: readonly Access[],
  options: { held?: number | null; kvm?: KvmOptions; init?: boolean } = {},
): { results: number[]; shadowReads: number } {
  const t = makeTestVm(options.kvm === undefined ? {} : { kvm: options.kvm });
  const results: number[] = [];
  t.sim.spawn('vmm', function* () {
    yield* setupVm(t, 2, { init: options.init ?? true });
    const held = options.held === undefined ? 1 : options.held;
    if (held !== null) spawnForeignHolder(t.sim, t.kvm.vcpuOf(t.vcpuFds[held] as number), { startNs: 0, holdNs: 1_000_000 });
    yield* t.sim.sleep(10_000);
    for (const a of accesses) results.push(yield* a(t));
  });
  const r = t.sim.run();
  expect(r.outcome.kind).toBe('ok');
  return { results, shadowReads: r.events.filter((e) => e.kind === 'vgic-shadow-read').length };
}

describe('lock policies (vCPU 1 mutex held by another kernel context)', () => {
  const ALL = [sysreg(0, ICC_CTLR_EL1), sysreg(1, ICC_CTLR_EL1), sysreg(0, ICC_PMR_EL1), distRead(GICD_IIDR), redistRead(0)];

  it('all-vcpus: every register access is -EBUSY, whichever vCPU it names', () => {
    const { results, shadowReads } = underContention(ALL, { kvm: { lockPolicy: 'all-vcpus' } });
    expect(results).toEqual([-EBUSY, -EBUSY, -EBUSY, -EBUSY, -EBUSY]);
    expect(shadowReads).toBe(0);
  });

  it('all-vcpus: with no mutex held every access succeeds', () => {
    expect(underContention(ALL, { held: null }).results).toEqual([0, 0, 0, 0, 0]);
  });

  it('target-vcpu: vCPU 0 accesses succeed, vCPU 1 accesses and the VM-wide DIST_REGS are -EBUSY', () => {
    const { results } = underContention(ALL, { kvm: { lockPolicy: 'target-vcpu' } });
    expect(results).toEqual([0, -EBUSY, 0, -EBUSY, 0]);
  });

  it('lockless-shadow-idealised: ICC_CTLR_EL1 reads come from the shadow (even for the held vCPU), everything else is -EBUSY', () => {
    const { results, shadowReads } = underContention([...ALL, sysreg(1, ICC_CTLR_EL1, true, { value: 0n })], {
      kvm: { lockPolicy: 'lockless-shadow-idealised' },
    });
    expect(results).toEqual([0, 0, -EBUSY, -EBUSY, -EBUSY, -EBUSY]);
    expect(shadowReads).toBe(2);
  });

  it('lockless-shadow-as-posted: behaves exactly like all-vcpus (its check never matches)', () => {
    const { results, shadowReads } = underContention(ALL, { kvm: { lockPolicy: 'lockless-shadow-as-posted' } });
    expect(results).toEqual([-EBUSY, -EBUSY, -EBUSY, -EBUSY, -EBUSY]);
    expect(shadowReads).toBe(0);
  });

  it('every policy: SAVE_PENDING_TABLES and the ITS CTRL_RESET take every vCPU mutex (-EBUSY)', () => {
    for (const policy of LOCK_POLICIES) {
      const savePending: Access = (t) =>
        t.kvm.ioctl(t.devFd, 'KVM_SET_DEVICE_ATTR', {
          group: KVM_DEV_ARM_VGIC_GRP_CTRL,
          attr: BigInt(KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES),
          addr: { value: 0n },
        });
      const itsReset: Access = function* (t) {
        const dev = { type: KVM_DEV_TYPE_ARM_VGIC_ITS, fd: -1 };
        const r = yield* t.kvm.ioctl(t.vmFd, 'KVM_CREATE_DEVICE', dev);
        if (r < 0) return r;
        return yield* t.kvm.ioctl(dev.fd, 'KVM_SET_DEVICE_ATTR', {
          group: KVM_DEV_ARM_VGIC_GRP_CTRL,
          attr: BigInt(KVM_DEV_ARM_ITS_CTRL_RESET),
          addr: { value: 0n },
        });
      };
      expect(underContention([savePending, itsReset], { kvm: { lockPolicy: policy } }).results, policy).toEqual([-EBUSY, -EBUSY]);
    }
  });

  it('each policy object names itself, and only the idealised one seeds the shadow at init', () => {
    const seeds: Record<string, boolean> = {};
    for (const p of LOCK_POLICIES) {
      expect(vgicLockPolicy(p).name).toBe(p);
      seeds[p] = vgicLockPolicy(p).seedsShadowAtInit;
    }
    expect(seeds).toEqual({ 'all-vcpus': false, 'target-vcpu': false, 'lockless-shadow-idealised': true, 'lockless-shadow-as-posted': false });
  });
});

describe('kernel shapes', () => {
  const run = (kernel: (typeof KERNEL_VERSIONS)[number], accesses: readonly Access[], init = true, held: number | null = null): number[] =>
    underContention(accesses, { kvm: { kernel }, held, init }).results;

  it('an unknown CPU_SYSREGS id is -ENXIO on v5.19 and -ENOENT from v6.0 on', () => {
    const got = Object.fromEntries(KERNEL_VERSIONS.map((k) => [k, run(k, [sysreg(0, UNKNOWN_SYSREG)])[0]]));
    expect(got).toEqual({ 'v5.19': -ENXIO, 'v6.0': -ENOENT, 'v6.4': -ENOENT, 'v6.16': -ENOENT });
  });

  it('a faulting sysreg SET buffer is -EFAULT before the vCPU locks only on v5.19', () => {
    const got = Object.fromEntries(KERNEL_VERSIONS.map((k) => [k, run(k, [sysreg(0, ICC_PMR_EL1, true, null)], true, 1)[0]]));
    expect(got).toEqual({ 'v5.19': -EFAULT, 'v6.0': -EBUSY, 'v6.4': -EBUSY, 'v6.16': -EBUSY });
  });

  it('GICD_IIDR before CTRL_INIT: allowed only on v6.16 (reg_allowed_pre_init)', () => {
    const got = Object.fromEntries(KERNEL_VERSIONS.map((k) => [k, run(k, [distRead(GICD_IIDR)], false)[0]]));
    expect(got).toEqual({ 'v5.19': -EBUSY, 'v6.0': -EBUSY, 'v6.4': -EBUSY, 'v6.16': 0 });
  });

  it('the init check sits before the vCPU locks up to v6.0, under config_lock from v6.4', () => {
    const shapes = Object.fromEntries(KERNEL_VERSIONS.map((k) => [k, KERNEL_SHAPES[k].initCheck]));
    expect(shapes).toEqual({ 'v5.19': 'before-vcpu-locks', 'v6.0': 'before-vcpu-locks', 'v6.4': 'under-config-lock', 'v6.16': 'under-config-lock' });
    // Observable: before init with a held vCPU both give -EBUSY, but only the later kernels walk the vCPU
    // mutexes first, which the per-vCPU trylock cost makes visible in virtual time.
    const elapsed = (kernel: (typeof KERNEL_VERSIONS)[number]): number => {
      const t = makeTestVm({ kvm: { kernel } });
      let ns = -1;
      t.sim.spawn('vmm', function* () {
        yield* setupVm(t, 2, { init: false });
        const start = t.sim.now;
        expect(yield* sysreg(0, ICC_PMR_EL1)(t)).toBe(-EBUSY);
        ns = t.sim.now - start;
      });
      t.sim.run();
      return ns;
    };
    // The later kernels also pay the two-vCPU trylock walk and config_lock before their -EBUSY.
    expect(Object.fromEntries(KERNEL_VERSIONS.map((k) => [k, elapsed(k)]))).toEqual({ 'v5.19': 540, 'v6.0': 540, 'v6.4': 620, 'v6.16': 620 });
  });

  it('PSCI_VERSION reports 1.3 on v6.16 and 1.1 before', () => {
    expect(Object.fromEntries(KERNEL_VERSIONS.map((k) => [k, KERNEL_SHAPES[k].psciVersion]))).toEqual({
      'v5.19': PSCI_VERSION_1_1,
      'v6.0': PSCI_VERSION_1_1,
      'v6.4': PSCI_VERSION_1_1,
      'v6.16': PSCI_VERSION_1_3,
    });
  });

  it('every shape cites its upstream source', () => {
    for (const k of KERNEL_VERSIONS) expect(KERNEL_SHAPES[k].source.length).toBeGreaterThan(10);
  });
});
