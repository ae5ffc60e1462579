// The reset triggers beyond PSCI CPU_ON: migration post-load, device_set lazy realization, and a
// doubled CPU_ON that PSCI's dead ON_PENDING check lets through.
import {
  CORTEX_A76,
  type HostProfile,
  kvmDefaultMpidr,
  mpidrHwid,
  PSCI_0_2_FN64_CPU_ON,
  PSCI_0_2_FN_SYSTEM_OFF,
  PSCI_RET_DENIED,
  PSCI_RET_SUCCESS,
  SYNTHETIC_7BIT,
  x0ToPsciRet,
} from '@vgicsim/gicv3-regs';
import { type GuestCode, type GuestProgram, Simulator } from '@vgicsim/kvm-sim';
import { describe, expect, it } from 'vitest';
import { PSCI_ON } from '../cpu-state.js';
import { qmpCont, qmpStop, requestQuit, scheduleCommand } from '../machine.js';
import { SECONDARY_ENTRY, linuxLikeGuest } from '../test-guests.js';
import { buildArmVm } from './build.js';
import { deviceSetEnable } from './device-set.js';
import { type MigrationStream, migrationLoad, migrationSave } from './migration.js';
import { PAUSE_ALWAYS, REALIZE_ONCE, RFC_V6 } from './strategies/index.js';
import type { IccResetStrategy } from './strategy.js';

const hwid = (n: number): bigint => mpidrHwid(kvmDefaultMpidr(n));

function migrate(strategy: IccResetStrategy, src: HostProfile, dst: HostProfile) {
  const sim = new Simulator({ seed: 5, trace: 'hash' });
  const guest = linuxLikeGuest({ smp: 4 });
  // The source guest stays up (no SYSTEM_OFF before the migration): use a guest that idles after boot.
  const srcVm = buildArmVm({ strategy, guest: idleAfterBoot(guest.program), smp: 4, simulator: sim, host: src, qemu: { threadPrefix: 'src:' } });
  const dstVm = buildArmVm({ strategy, guest: guest.program, smp: 4, simulator: sim, host: dst, incoming: true, qemu: { threadPrefix: 'dst:' } });
  let stream: MigrationStream | null = null;
  scheduleCommand(srcVm.q, 3_000_000, 'migrate', function* (q) {
    stream = yield* migrationSave(q, srcVm.board);
    requestQuit(q);
  });
  scheduleCommand(dstVm.q, 3_500_000, 'incoming', function* (q) {
    if (stream === null) throw new Error('no migration stream');
    yield* migrationLoad(q, dstVm.board, stream);
  });
  const result = sim.run();
  return { result, srcVm, dstVm, mem: guest.mem };
}

/** The source's guest: boot, then idle until migrated (no SYSTEM_OFF on the source). */
function idleAfterBoot(p: GuestProgram): GuestProgram {
  return {
    name: `${p.name}-source`,
    *start(cpu, pc, x0): GuestCode {
      const code = p.start(cpu, pc, x0);
      let input: bigint | undefined;
      for (;;) {
        const step = code.next(input);
        if (step.done === true) return;
        const a = step.value;
        if (a.op === 'hvc' && a.x[0] === BigInt(PSCI_0_2_FN_SYSTEM_OFF)) {
          for (;;) yield { op: 'compute', ns: 100_000 };
        }
        input = yield a;
      }
    },
  };
}

describe('migration post-load', () => {
  it('same host: the destination (fresh caches, flags not migrated) loads the source’s ICC_CTLR_EL1 and runs on', () => {
    const { result, dstVm } = migrate(RFC_V6, CORTEX_A76, CORTEX_A76);
    expect(result.outcome.kind).toBe('ok');
    const loads = dstVm.board.oracle.records.filter((r) => r.trigger === 'migration');
    expect(loads.map((r) => [r.cpu, r.installed, r.kvmAfterPut])).toEqual([
      [0, 0x8400n, 0x8400n],
      [1, 0x8400n, 0x8400n],
      [2, 0x8400n, 0x8400n],
      [3, 0x8400n, 0x8400n],
    ]);
    expect(dstVm.board.gic.guestGiccInitialized).toBe(false);
    expect(dstVm.q.hazards.violations).toEqual([]);
  });

  it('to a host with 7 priority bits: KVM accepts the 5-bit value (and lowers num_pri_bits); the load is recorded, not flagged', () => {
    const { result, dstVm } = migrate(REALIZE_ONCE, CORTEX_A76, SYNTHETIC_7BIT);
    expect(result.outcome.kind).toBe('ok');
    const loads = dstVm.board.oracle.records.filter((r) => r.trigger === 'migration');
    expect(loads.every((r) => r.roMismatch && r.installed === 0x8400n && r.reference === 0x8600n)).toBe(true);
    const vgic = dstVm.kvm.vcpuOf(dstVm.q.allCpus[0]?.vcpuFd ?? -1).vgic;
    expect(vgic?.numPriBits).toBe(5);
    expect(dstVm.q.hazards.violations).toEqual([]);
  });

  it('to a host with fewer priority bits: KVM refuses the write and post_load aborts the destination', () => {
    const { result } = migrate(REALIZE_ONCE, SYNTHETIC_7BIT, CORTEX_A76);
    expect(result.outcome.kind).toBe('abort');
    if (result.outcome.kind !== 'abort') return;
    expect(result.outcome.message).toBe(
      'Unexpected error in kvm_device_access(): KVM_SET_DEVICE_ATTR failed: Group 6 attr 0x000000000000c664: Invalid argument',
    );
    expect(result.outcome.thread).toBe('dst:main');
  });
});

/**
 * Boot CPU: bring CPU 1 online, then retry CPU_ON(2) every 100 µs until it succeeds; wait up to
 * `waitNs` for CPU 2 to run, then power off. `seen.online2` says whether CPU 2 ever ran guest code.
 */
function retryCpu2Guest(log: number[], seen: { online2: boolean; online2At: number }, waitNs = 3_000_000): GuestProgram {
  const online = [true, false, false, false];
  return {
    name: 'retry-cpu2',
    *start(cpu, pc, x0): GuestCode {
      if (pc === SECONDARY_ENTRY) {
        online[Number(x0)] = true;
        if (x0 === 2n) seen.online2 = true;
        for (;;) yield { op: 'compute', ns: 20_000 };
      }
      if (cpu.index !== 0 || pc === 0n) {
        for (;;) yield { op: 'wfi' };
      }
      for (const n of [1, 2]) {
        for (;;) {
          const r = x0ToPsciRet((yield { op: 'hvc', x: [BigInt(PSCI_0_2_FN64_CPU_ON), hwid(n), SECONDARY_ENTRY, BigInt(n)] }) ?? 0n);
          if (n === 2) log.push(r);
          if (r === PSCI_RET_SUCCESS) break;
          yield { op: 'compute', ns: 100_000 };
        }
        for (let waited = 0; online[n] !== true && waited < waitNs; waited += 10_000) yield { op: 'compute', ns: 10_000 };
      }
      yield { op: 'hvc', x: [BigInt(PSCI_0_2_FN_SYSTEM_OFF), 0n, 0n, 0n] };
    },
  };
}

describe('device_set lazy realization (RFC V6 as posted: realize does not cpu_resume a non-hotplugged CPU)', () => {
  function deviceSetRun(
    strategy: IccResetStrategy,
    opts: { lockPolicy?: 'all-vcpus' | 'target-vcpu'; resume?: 'as-posted' | 'hotplugged'; contAtNs?: number } = {},
  ) {
    const log: number[] = [];
    const seen = { online2: false, online2At: 0 };
    const vm = buildArmVm({
      strategy,
      guest: retryCpu2Guest(log, seen),
      smp: 2,
      possibleCpus: 4,
      sim: { seed: 2, trace: 'full' },
      ...(opts.lockPolicy === undefined ? {} : { lockPolicy: opts.lockPolicy }),
      ...(opts.resume === undefined ? {} : { board: { lazyRealizeResume: opts.resume } }),
    });
    scheduleCommand(vm.q, 1_000_000, 'device_set', function* (q) {
      yield* deviceSetEnable(q, vm.board, 2);
    });
    if (opts.contAtNs !== undefined) {
      scheduleCommand(vm.q, opts.contAtNs, 'stop', (q) => qmpStop(q));
      scheduleCommand(vm.q, opts.contAtNs + 100_000, 'cont', (q) => qmpCont(q));
    }
    const result = vm.sim.run();
    const cpu2 = vm.q.cpuByIndex(2);
    const pausesByMain = vm.q.metrics.snapshot().pauseCallsByThread['main'] ?? 0;
    const cpu2Runs = result.events.filter((e) => e.kind === 'ioctl-begin' && e.thread === cpu2?.thread?.id && e.data?.['req'] === 'KVM_RUN').length;
    return { vm, result, log, seen, cpu2, pausesByMain, cpu2Runs };
  }

  // cpu2Runs: CPU 2's KVM_RUN calls; pause-always's extra VM-wide pauses kick it out of KVM_RUN once more.
  for (const [strategy, pauses, cpu2Runs] of [
    [RFC_V6, 1, 3],
    [PAUSE_ALWAYS, 6, 4], // 2 × 2 resets at machine creation (nothing running yet), then 2 for device_set
  ] as const) {
    it(`${strategy.name}: device_set's ICC reset pauses from the main thread (${pauses} calls by main); that pause's resume_all_vcpus clears CPU 2's stopped, so it comes online`, () => {
      const r = deviceSetRun(strategy);
      expect(r.result.outcome.kind).toBe('ok');
      expect(r.log[0]).toBe(PSCI_RET_DENIED);
      expect(r.log[r.log.length - 1]).toBe(PSCI_RET_SUCCESS);
      expect(r.pausesByMain).toBe(pauses);
      expect(r.seen.online2).toBe(true);
      expect(r.cpu2Runs).toBe(cpu2Runs);
      expect(r.vm.board.oracle.records.filter((x) => x.trigger === 'device-set').map((x) => [x.cpu, x.installed])).toEqual([
        [2, 0x8400n],
        [2, 0x8400n],
      ]);
      expect(r.vm.q.cpus.map((c) => c.index)).toEqual([0, 1, 2]);
    });
  }

  it('realize-once: no pause, so CPU 2 keeps stopped = true; CPU_ON succeeds and its work runs, but CPU 2 never enters KVM_RUN', () => {
    const r = deviceSetRun(REALIZE_ONCE);
    expect(r.result.outcome.kind).toBe('ok');
    expect(r.log[r.log.length - 1]).toBe(PSCI_RET_SUCCESS);
    expect(r.pausesByMain).toBe(0);
    expect(r.seen.online2).toBe(false);
    expect(r.cpu2?.stopped).toBe(true);
    expect(r.cpu2?.powerState).toBe(PSCI_ON);
    expect(r.cpu2Runs).toBe(0);
  });

  it('rfc-v6 under lock policy target-vcpu: the read of CPU 2 (not in KVM_RUN) succeeds, no pause, CPU 2 stays stopped', () => {
    const r = deviceSetRun(RFC_V6, { lockPolicy: 'target-vcpu' });
    expect(r.result.outcome.kind).toBe('ok');
    expect(r.pausesByMain).toBe(0);
    expect(r.seen.online2).toBe(false);
    expect(r.cpu2?.stopped).toBe(true);
  });

  it('realize-once: a QMP stop/cont (vm_start → resume_all_vcpus) is what finally lets CPU 2 run', () => {
    const r = deviceSetRun(REALIZE_ONCE, { contAtNs: 2_500_000 });
    expect(r.result.outcome.kind).toBe('ok');
    expect(r.seen.online2).toBe(true);
    expect(r.cpu2?.stopped).toBe(false);
  });

  it('counterfactual lazyRealizeResume hotplugged: realize-once brings CPU 2 online without any pause', () => {
    const r = deviceSetRun(REALIZE_ONCE, { resume: 'hotplugged' });
    expect(r.result.outcome.kind).toBe('ok');
    expect(r.pausesByMain).toBe(0);
    expect(r.seen.online2).toBe(true);
  });
});

describe('arm_set_cpu_on', () => {
  it('two CPU_ONs to one target before its work runs both return SUCCESS (ON_PENDING is never set)', () => {
    const results: number[] = [];
    const cpuOn1 = { op: 'hvc', x: [BigInt(PSCI_0_2_FN64_CPU_ON), hwid(1), SECONDARY_ENTRY, 1n] } as const;
    let cpu2Up = false;
    const guest: GuestProgram = {
      name: 'double-cpu-on',
      *start(cpu, pc, x0): GuestCode {
        if (pc === SECONDARY_ENTRY && x0 === 2n) {
          // CPU 2 waits in WFI for CPU 0's SGI, then races CPU 0 to CPU_ON CPU 1.
          cpu2Up = true;
          yield { op: 'wfi' };
          results.push(x0ToPsciRet((yield cpuOn1) ?? 0n));
          for (;;) yield { op: 'compute', ns: 20_000 };
        }
        if (pc === SECONDARY_ENTRY) {
          for (;;) yield { op: 'compute', ns: 20_000 };
        }
        if (cpu.index !== 0 || pc === 0n) {
          for (;;) yield { op: 'wfi' };
        }
        yield { op: 'hvc', x: [BigInt(PSCI_0_2_FN64_CPU_ON), hwid(2), SECONDARY_ENTRY, 2n] };
        while (!cpu2Up) yield { op: 'compute', ns: 10_000 };
        yield { op: 'compute', ns: 50_000 };
        yield { op: 'sgi', target: 2 };
        results.push(x0ToPsciRet((yield cpuOn1) ?? 0n));
        yield { op: 'compute', ns: 500_000 };
        yield { op: 'hvc', x: [BigInt(PSCI_0_2_FN_SYSTEM_OFF), 0n, 0n, 0n] };
      },
    };
    const vm = buildArmVm({ strategy: REALIZE_ONCE, guest, smp: 3, sim: { seed: 1, trace: 'full' } });
    const result = vm.sim.run();
    expect(result.outcome.kind).toBe('ok');
    expect(results).toEqual([0, 0]);
    const works = result.events.filter(
      (e) => e.kind === 'work-begin' && e.data?.['work'] === 'arm_set_cpu_on_async_work' && e.data['cpu'] === 1,
    );
    expect(works).toHaveLength(2);
    expect(vm.board.oracle.records.filter((r) => r.trigger === 'psci-cpu-on' && r.cpu === 1)).toHaveLength(4); // 2 resets × 2 calls
  });
});
