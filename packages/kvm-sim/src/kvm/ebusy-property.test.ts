// Property over random schedules (kvm.md §13.3, first invariant): a CPU_SYSREGS access returns -EBUSY
// exactly when, at one of its trylock steps, some online vCPU's mutex was held by another thread. The
// check reads the trace only: mutex ownership is rebuilt from the lock/unlock/handoff events and compared
// with every trylock step (a `lock` of a vCPU mutex or a `trylock-fail`) between the access's
// ioctl-begin and ioctl-end.
import { KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS, kvmVcpuAffinity, packSysregAttr } from '@vgicsim/gicv3-regs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Simulator } from '../kernel/sim.js';
import type { TraceEvent, TraceValue } from '../kernel/trace.js';
import { spawnForeignHolder } from './foreign-holder.js';
import type { GuestAction, GuestCode, GuestProgram } from './guest.js';
import { Kvm } from './kvm.js';
import { PSCI_0_2_FN_PSCI_VERSION, PSCI_1_0_FN_PSCI_FEATURES } from '@vgicsim/gicv3-regs';
import { KERNEL_VERSIONS, type KernelVersion } from './state.js';
import { setupVm, type TestVm } from './test-vm.js';
import { KVM_ARM_VM_SMCCC_CTRL, KVM_ARM_VM_SMCCC_FILTER, KVM_SMCCC_FILTER_FWD_TO_USER } from './uapi.js';
import { CPU_SYSREG_IDS } from './vgic-sysregs.js';

// ---------------------------------------------------------------------------------------------------
// The trace oracle

interface TrylockStep {
  readonly vcpu: number;
  /** What the trace says the trylock did. */
  readonly observed: 'ok' | 'fail';
  /** Who held the mutex at that step, by the independent reconstruction (null = free). */
  readonly heldBy: string | null;
}

interface AccessVerdict {
  readonly t: number;
  readonly ret: string;
  readonly online: number;
  readonly steps: readonly TrylockStep[];
}

interface OracleResult {
  readonly accesses: readonly AccessVerdict[];
  readonly handoffs: number;
  readonly violations: readonly string[];
}

const VCPU_MUTEX = /^vcpu(\d+)\.mutex$/;

function str(v: TraceValue | undefined): string {
  return typeof v === 'string' ? v : String(v);
}

/** Rebuilds ownership from the trace and judges every CPU_SYSREGS GET in it. */
function checkEbusyTrace(events: readonly TraceEvent[]): OracleResult {
  const names = new Map<number, string>();
  const owner = new Map<string, string>();
  const open = new Map<number, { t: number; online: number; steps: TrylockStep[] }>();
  const accesses: AccessVerdict[] = [];
  const violations: string[] = [];
  let online = 0;
  let handoffs = 0;

  for (const ev of events) {
    const d = ev.data ?? {};
    const who = names.get(ev.thread) ?? `#${ev.thread}`;
    const access = open.get(ev.thread);
    switch (ev.kind) {
      case 'spawn':
        // Thread ids are allocated in spawn order.
        names.set(names.size, str(d['name']));
        break;
      case 'lock': {
        const m = str(d['mutex']);
        const prev = owner.get(m);
        if (prev !== undefined) violations.push(`t=${ev.t}: ${who} locks ${m}, held by ${prev}`);
        const vm = VCPU_MUTEX.exec(m);
        if (access !== undefined && vm !== null) {
          access.steps.push({ vcpu: Number(vm[1]), observed: 'ok', heldBy: prev ?? null });
        }
        owner.set(m, who);
        break;
      }
      case 'trylock-fail': {
        const m = str(d['mutex']);
        const prev = owner.get(m);
        if (prev !== str(d['owner'])) violations.push(`t=${ev.t}: trylock-fail on ${m} names ${str(d['owner'])}, reconstructed ${prev ?? 'nobody'}`);
        const vm = VCPU_MUTEX.exec(m);
        if (access !== undefined && vm !== null) {
          access.steps.push({ vcpu: Number(vm[1]), observed: 'fail', heldBy: prev ?? null });
        }
        break;
      }
      case 'unlock': {
        const m = str(d['mutex']);
        if (owner.get(m) !== who) violations.push(`t=${ev.t}: ${who} unlocks ${m}, reconstructed owner ${owner.get(m) ?? 'nobody'}`);
        owner.delete(m);
        break;
      }
      case 'handoff': {
        const m = str(d['mutex']);
        if (owner.has(m)) violations.push(`t=${ev.t}: handoff of ${m} while held by ${owner.get(m) ?? '?'}`);
        owner.set(m, str(d['to']));
        handoffs++;
        break;
      }
      case 'ioctl-begin':
        if (d['req'] === 'KVM_GET_DEVICE_ATTR' && d['group'] === KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS) {
          open.set(ev.thread, { t: ev.t, online, steps: [] });
        }
        break;
      case 'ioctl-end': {
        const ret = str(d['ret']);
        if (d['req'] === 'KVM_CREATE_VCPU' && !ret.startsWith('-')) online++;
        if (access !== undefined) {
          open.delete(ev.thread);
          accesses.push({ t: access.t, ret, online: access.online, steps: access.steps });
        }
        break;
      }
    }
  }

  for (const a of accesses) {
    const where = `GET at t=${a.t} (ret ${a.ret})`;
    a.steps.forEach((s, i) => {
      if (s.vcpu !== i) violations.push(`${where}: trylock step ${i} is on vcpu${s.vcpu}, not in index order`);
      const expected = s.heldBy === null ? 'ok' : 'fail';
      if (s.observed !== expected) {
        violations.push(`${where}: trylock of vcpu${s.vcpu} ${s.observed} but the mutex was ${s.heldBy ?? 'free'}`);
      }
    });
    const sawHeld = a.steps.some((s) => s.heldBy !== null);
    if ((a.ret === '-EBUSY') !== sawHeld) {
      violations.push(`${where}: ${sawHeld ? 'a held vCPU mutex was seen' : 'no held vCPU mutex was seen'}`);
    }
    if (!sawHeld && a.steps.length !== a.online) {
      violations.push(`${where}: ${a.steps.length} trylock steps for ${a.online} online vCPUs`);
    }
    if (sawHeld && a.steps.at(-1)?.heldBy === null) violations.push(`${where}: the walk went on past a held mutex`);
  }
  return { accesses, handoffs, violations };
}

// ---------------------------------------------------------------------------------------------------
// Random programs

type Step =
  | { readonly kind: 'compute' | 'wfi'; readonly ns: number }
  | { readonly kind: 'hvc-exit' | 'smc-exit' | 'hvc-kernel' };

interface VcpuPlan {
  readonly steps: readonly Step[];
  readonly runs: number;
  readonly startNs: number;
  readonly gapNs: number;
}

interface Program {
  readonly seed: number;
  readonly windowNs: number;
  readonly kernel: KernelVersion;
  readonly fifo: boolean;
  readonly vcpus: readonly VcpuPlan[];
  readonly foreign: { readonly vcpu: number; readonly startNs: number; readonly holdNs: number; readonly repeat: number; readonly gapNs: number } | null;
  readonly probes: readonly { readonly gapNs: number; readonly vcpu: number; readonly reg: number }[];
}

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constantFrom('compute' as const, 'wfi' as const), ns: fc.integer({ min: 500, max: 150_000 }) }),
  fc.record({ kind: fc.constantFrom('hvc-exit' as const, 'smc-exit' as const, 'hvc-kernel' as const) }),
);

const vcpuArb: fc.Arbitrary<VcpuPlan> = fc.record({
  steps: fc.array(stepArb, { minLength: 1, maxLength: 6 }),
  runs: fc.integer({ min: 1, max: 6 }),
  startNs: fc.integer({ min: 0, max: 100_000 }),
  gapNs: fc.integer({ min: 0, max: 60_000 }),
});

const programArb: fc.Arbitrary<Program> = fc.record({
  seed: fc.integer({ min: 0, max: 0x7fffffff }),
  windowNs: fc.integer({ min: 1, max: 5_000 }),
  kernel: fc.constantFrom(...KERNEL_VERSIONS),
  fifo: fc.boolean(),
  vcpus: fc.array(vcpuArb, { minLength: 2, maxLength: 4 }),
  foreign: fc.option(
    fc.record({
      vcpu: fc.nat(3),
      startNs: fc.integer({ min: 0, max: 200_000 }),
      holdNs: fc.integer({ min: 1, max: 80_000 }),
      repeat: fc.integer({ min: 1, max: 3 }),
      gapNs: fc.integer({ min: 0, max: 50_000 }),
    }),
    { nil: null },
  ),
  probes: fc.array(
    fc.record({ gapNs: fc.integer({ min: 0, max: 80_000 }), vcpu: fc.nat(3), reg: fc.constantFrom(...CPU_SYSREG_IDS) }),
    { minLength: 1, maxLength: 10 },
  ),
});

function toAction(s: Step): GuestAction {
  switch (s.kind) {
    case 'compute':
      return { op: 'compute', ns: s.ns };
    case 'wfi':
      return { op: 'wfi', timeoutNs: s.ns };
    case 'hvc-exit':
      return { op: 'hvc', x: [BigInt(PSCI_0_2_FN_PSCI_VERSION), 0n, 0n, 0n] };
    case 'smc-exit':
      return { op: 'smc', x: [BigInt(PSCI_0_2_FN_PSCI_VERSION), 0n, 0n, 0n] };
    case 'hvc-kernel':
      return { op: 'hvc', x: [BigInt(PSCI_1_0_FN_PSCI_FEATURES), BigInt(PSCI_0_2_FN_PSCI_VERSION), 0n, 0n] };
  }
}

/** Each vCPU loops over its own steps forever; a forwarded PSCI_VERSION is what ends a KVM_RUN. */
function guestFor(plans: readonly VcpuPlan[]): GuestProgram {
  return {
    name: 'random-mix',
    *start(cpu): GuestCode {
      const plan = plans[cpu.index];
      if (plan === undefined) return;
      const steps = plan.steps.some((s) => s.kind === 'hvc-exit' || s.kind === 'smc-exit')
        ? plan.steps
        : [...plan.steps, { kind: 'hvc-exit' } as const];
      for (;;) for (const s of steps) yield toAction(s);
    },
  };
}

function runProgram(p: Program): { events: readonly TraceEvent[]; outcome: string } {
  const sim = new Simulator({ seed: p.seed, windowNs: p.windowNs, trace: 'full' });
  const kvm = new Kvm(sim, { kernel: p.kernel });
  kvm.setGuestProgram(guestFor(p.vcpus));
  const t: TestVm = { sim, kvm, vmFd: kvm.createVm(), vcpuFds: [], devFd: -1 };
  const n = p.vcpus.length;
  sim.spawn('prober', function* () {
    yield* setupVm(t, n);
    const fwd = { base: PSCI_0_2_FN_PSCI_VERSION, nr_functions: 1, action: KVM_SMCCC_FILTER_FWD_TO_USER };
    const f = yield* kvm.ioctl(t.vmFd, 'KVM_SET_DEVICE_ATTR', { group: KVM_ARM_VM_SMCCC_CTRL, attr: BigInt(KVM_ARM_VM_SMCCC_FILTER), addr: fwd });
    if (f !== 0) throw new Error(`filter: ${f}`);
    p.vcpus.forEach((plan, i) => {
      const fd = t.vcpuFds[i] as number;
      if (p.fifo) kvm.vcpuOf(fd).mutex.policy = 'fifo';
      sim.spawn(
        `vcpu-thread${i}`,
        function* () {
          yield* sim.sleep(plan.startNs);
          for (let r = 0; r < plan.runs; r++) {
            yield* kvm.ioctl(fd, 'KVM_RUN', undefined);
            yield* sim.sleep(plan.gapNs);
          }
        },
        { daemon: true },
      );
    });
    if (p.foreign !== null) {
      const fd = t.vcpuFds[p.foreign.vcpu % n] as number;
      spawnForeignHolder(sim, kvm.vcpuOf(fd), p.foreign);
    }
    for (const probe of p.probes) {
      yield* sim.sleep(probe.gapNs);
      yield* kvm.ioctl(t.devFd, 'KVM_GET_DEVICE_ATTR', {
        group: KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
        attr: packSysregAttr(kvmVcpuAffinity(probe.vcpu % n), probe.reg),
        addr: { value: 0n },
      });
    }
  });
  const r = sim.run();
  return { events: r.events, outcome: r.outcome.kind };
}

// ---------------------------------------------------------------------------------------------------

describe('CPU_SYSREGS -EBUSY vs vCPU mutex ownership, over random schedules (trace oracle)', () => {
  it('every access is -EBUSY iff a trylock step met a held vCPU mutex; a success never met one', () => {
    const totals = { busy: 0, ok: 0, other: 0, handoffs: 0, withForeign: 0 };
    fc.assert(
      fc.property(programArb, (p) => {
        const run = runProgram(p);
        expect(run.outcome).toBe('ok');
        const res = checkEbusyTrace(run.events);
        expect(res.violations).toEqual([]);
        expect(res.accesses).toHaveLength(p.probes.length);
        for (const a of res.accesses) {
          expect(a.online).toBe(p.vcpus.length);
          if (a.ret === '-EBUSY') totals.busy++;
          else if (a.ret === '0') totals.ok++;
          else totals.other++;
        }
        totals.handoffs += res.handoffs;
        if (p.foreign !== null) totals.withForeign++;
      }),
      { numRuns: 300 },
    );
    // The random programs must exercise both answers and the FIFO hand-off path, or the property is vacuous.
    expect(totals.busy).toBeGreaterThan(0);
    expect(totals.ok).toBeGreaterThan(0);
    expect(totals.handoffs).toBeGreaterThan(0);
    expect(totals.withForeign).toBeGreaterThan(0);
  });

  it('the oracle itself catches a wrong errno and a lost unlock (it can fail)', () => {
    const p: Program = {
      seed: 7,
      windowNs: 1000,
      kernel: 'v6.16',
      fifo: false,
      vcpus: [
        { steps: [{ kind: 'compute', ns: 50_000 }, { kind: 'hvc-exit' }], runs: 4, startNs: 0, gapNs: 30_000 },
        { steps: [{ kind: 'wfi', ns: 40_000 }, { kind: 'smc-exit' }], runs: 4, startNs: 5_000, gapNs: 30_000 },
      ],
      foreign: null,
      probes: Array.from({ length: 10 }, (_, i) => ({ gapNs: 15_000, vcpu: i % 2, reg: 0xc664 })),
    };
    const run = runProgram(p);
    const good = checkEbusyTrace(run.events);
    expect(good.violations).toEqual([]);
    const rets = good.accesses.map((a) => a.ret);
    expect(rets).toContain('-EBUSY');
    expect(rets).toContain('0');

    // 1. Report a busy access as a success.
    const busyEnd = run.events.findIndex((e, i) => e.kind === 'ioctl-end' && e.data?.['ret'] === '-EBUSY' && i > 0);
    const flipped = run.events.map((e, i) => (i === busyEnd ? { ...e, data: { ...e.data, ret: '0' } } : e));
    expect(checkEbusyTrace(flipped).violations.some((v) => v.includes('a held vCPU mutex was seen'))).toBe(true);

    // 2. Drop the unlock that ends a vCPU's first KVM_RUN: the mutex then looks held for good.
    const lost = run.events.findIndex((e) => e.kind === 'unlock' && e.data?.['mutex'] === 'vcpu0.mutex' && e.t > 0 && names(run.events)[e.thread] === 'vcpu-thread0');
    expect(lost).toBe(69);
    const dropped = run.events.filter((_, i) => i !== lost);
    expect(checkEbusyTrace(dropped).violations).toEqual([
      't=65300: prober locks vcpu0.mutex, held by vcpu-thread0',
      'GET at t=64740 (ret 0): trylock of vcpu0 ok but the mutex was vcpu-thread0',
      'GET at t=64740 (ret 0): a held vCPU mutex was seen',
      'GET at t=64740 (ret 0): the walk went on past a held mutex',
    ]);
  });
});

function names(events: readonly TraceEvent[]): string[] {
  return events.filter((e) => e.kind === 'spawn').map((e) => str(e.data?.['name']));
}
