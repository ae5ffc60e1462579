// Issue 5's exact numbers: the four built-in strategies on a Linux-like 4-vCPU guest.
import { type LockPolicy, spawnForeignHolder } from '@vgicsim/kvm-sim';
import { describe, expect, it } from 'vitest';
import { linuxLikeGuest } from '../test-guests.js';
import { type ArmVm, buildArmVm } from './build.js';
import { PAUSE_ALWAYS, REALIZE_ONCE, RFC_V6, RFC_V6_SIMPLIFIED, UPSTREAM_2025 } from './strategies/index.js';
import type { IccResetStrategy } from './strategy.js';

function run(
  strategy: IccResetStrategy,
  opts: { cycles?: number; lockPolicy?: LockPolicy; seed?: number; iccResetCalls?: 1 | 2 } = {},
) {
  const guest = linuxLikeGuest({ smp: 4, cycles: opts.cycles ?? 0, churnCpu: 2 });
  const vm = buildArmVm({
    strategy,
    guest: guest.program,
    smp: 4,
    sim: { seed: opts.seed ?? 1, trace: 'hash' },
    ...(opts.iccResetCalls === undefined ? {} : { board: { iccResetCallsPerCpuReset: opts.iccResetCalls } }),
    ...(opts.lockPolicy === undefined ? {} : { lockPolicy: opts.lockPolicy }),
  });
  return { vm, mem: guest.mem };
}

function finish(vm: ArmVm) {
  const result = vm.sim.run();
  return { result, metrics: vm.q.metrics.snapshot() };
}

describe('upstream-2025', () => {
  it('says what it is: pre-59ad421d66 GIC code + RFC patch 18’s PSCI forwarding, a combination that never shipped', () => {
    expect(UPSTREAM_2025.source.startsWith('pre-59ad421d66 GIC code + RFC patch 18’s PSCI forwarding, never shipped')).toBe(true);
    expect(UPSTREAM_2025.description).toContain('never shipped');
  });

  it('the first CPU_ON aborts QEMU: KVM_GET_DEVICE_ATTR, group 6, attr 0x000000010000c664, EBUSY', () => {
    const { vm, mem } = run(UPSTREAM_2025);
    const { result } = finish(vm);
    expect(result.outcome.kind).toBe('abort');
    if (result.outcome.kind !== 'abort') return;
    expect(result.outcome.message).toBe(
      'Unexpected error in kvm_device_access(): KVM_GET_DEVICE_ATTR failed: Group 6 attr 0x000000010000c664: Device or resource busy',
    );
    expect(result.outcome.thread).toBe('CPU 1/KVM');
    expect(mem.online).toEqual([true, false, false, false]);
    expect(vm.q.hazards.violations.map((v) => v.kind)).toContain('device-ioctl-while-vcpu-runs');
  });

  it('under lock policy target-vcpu boots with 0 pauses: the target is not in KVM_RUN while its own thread resets it', () => {
    const { vm, mem } = run(UPSTREAM_2025, { lockPolicy: 'target-vcpu' });
    const { result, metrics } = finish(vm);
    expect(result.outcome.kind).toBe('ok');
    expect(mem.online).toEqual([true, true, true, true]);
    expect(mem.failures).toEqual([]);
    expect(metrics.pauseCalls).toBe(0);
    expect(metrics.ioctls['KVM_GET_DEVICE_ATTR']?.['-EBUSY']).toBeUndefined();
    expect(vm.board.oracle.allInstalledReference()).toBe(true);
  });
});

describe('the lockless-shadow KVM RFC', () => {
  it('as posted it changes nothing: upstream-2025 aborts at the first CPU_ON exactly as under all-vcpus; idealised, it boots with 0 pauses', () => {
    const base = run(UPSTREAM_2025);
    const posted = run(UPSTREAM_2025, { lockPolicy: 'lockless-shadow-as-posted' });
    const b = finish(base.vm).result;
    const p = finish(posted.vm).result;
    expect(p.outcome).toEqual(b.outcome);
    expect(p.outcome.kind).toBe('abort');
    const ideal = run(UPSTREAM_2025, { lockPolicy: 'lockless-shadow-idealised' });
    const i = finish(ideal.vm);
    expect(i.result.outcome.kind).toBe('ok');
    expect(i.metrics.pauseCalls).toBe(0);
    expect(ideal.mem.online).toEqual([true, true, true, true]);
  });
});

describe('rfc-v6', () => {
  it('boots with exactly 3 VM-wide pauses (one per secondary’s first CPU_ON); 10 CPU_OFF/ON cycles of vCPU 2 add none', () => {
    const boot = run(RFC_V6);
    const b = finish(boot.vm);
    expect(b.result.outcome.kind).toBe('ok');
    expect(boot.mem.cpuOnResults).toEqual([0, 0, 0]);
    expect(b.metrics.vmWidePauses).toBe(3);
    expect(b.metrics.pauseCallsByThread).toEqual({ 'CPU 1/KVM': 1, 'CPU 2/KVM': 1, 'CPU 3/KVM': 1 });

    const churn = run(RFC_V6, { cycles: 10 });
    const c = finish(churn.vm);
    expect(c.result.outcome.kind).toBe('ok');
    expect(churn.mem.cyclesDone).toBe(10);
    expect(churn.mem.failures).toEqual([]);
    expect(c.metrics.vmWidePauses).toBe(3);
    expect(churn.vm.board.oracle.allInstalledReference()).toBe(true);
    // 11 CPU_ON resets × 2 arm_gicv3_icc_reset calls each (AArch64 + AArch32-NS cpreg); after the first
    // fill every call hits the configured cache: no further KVM reads of ICC_CTLR_EL1.
    expect(churn.vm.board.oracle.records.filter((r) => r.cpu === 2 && r.trigger === 'psci-cpu-on')).toHaveLength(22);
  });

  it('the second arm_gicv3_icc_reset call of a cpu_reset is a cache hit: the counterfactual single call pays the same pauses', () => {
    const one = finish(run(RFC_V6, { iccResetCalls: 1 }).vm);
    const two = finish(run(RFC_V6, { iccResetCalls: 2 }).vm);
    expect(one.metrics.vmWidePauses).toBe(3);
    expect(two.metrics.vmWidePauses).toBe(3);
    expect(two.metrics.ioctls['KVM_GET_DEVICE_ATTR']).toEqual(one.metrics.ioctls['KVM_GET_DEVICE_ATTR']);
  });

  it('a foreign context holding vCPU 0’s mutex for 1 ms during the first pause: all 5 tries fail, QEMU aborts', () => {
    const { vm } = run(RFC_V6);
    injectHolderOnFirstPause(vm, 1_000_000);
    const { result } = finish(vm);
    expect(result.outcome.kind).toBe('abort');
    if (result.outcome.kind !== 'abort') return;
    expect(result.outcome.message).toContain('Device or resource busy');
    expect(vm.kvm.count('KVM_GET_DEVICE_ATTR', '-EBUSY')).toBe(6); // the first try, then 5 under the pause
    expect(vm.q.hazards.violations.filter((v) => v.kind === 'bql-held-across-sleep')).toHaveLength(4);
  });

  it('the same holder for 100 µs: a retry succeeds and boot completes', () => {
    const { vm, mem } = run(RFC_V6);
    injectHolderOnFirstPause(vm, 100_000);
    const { result, metrics } = finish(vm);
    expect(result.outcome.kind).toBe('ok');
    expect(mem.online).toEqual([true, true, true, true]);
    expect(metrics.vmWidePauses).toBe(3);
  });
});

describe('realize-once', () => {
  it('boot and 10 cycles with 0 pauses and 0 EBUSY results', () => {
    const { vm, mem } = run(REALIZE_ONCE, { cycles: 10 });
    const { result, metrics } = finish(vm);
    expect(result.outcome.kind).toBe('ok');
    expect(mem.cyclesDone).toBe(10);
    expect(metrics.pauseCalls).toBe(0);
    expect(metrics.ioctls['KVM_GET_DEVICE_ATTR']?.['-EBUSY']).toBeUndefined();
    // One read per CPU at realize; every reset after that is a copy.
    expect(metrics.ioctls['KVM_GET_DEVICE_ATTR']?.['ok']).toBe(4 + 1);
    expect(vm.board.oracle.allInstalledReference()).toBe(true);
    expect(vm.q.hazards.violations).toEqual([]);
  });
});

describe('the correctness oracle', () => {
  it('flags rfc-v6 caching 0 after a swallowed non-EBUSY error (an affinity KVM does not know: EINVAL)', () => {
    const { vm } = run(RFC_V6);
    // During CPU 3's first CPU_ON reset only, give its GIC state an affinity no vCPU has: the first read
    // fails with EINVAL, which the patch swallows, skipping the pause and caching val = 0 as valid.
    let saved = 0n;
    vm.q.cpuResetHooks.unshift(function* (q, cpu) {
      const c3 = vm.board.gic.cpus[3];
      if (cpu.index === 3 && q.runstateIsRunning() && c3 !== undefined && saved === 0n) {
        saved = c3.gicrTyper;
        c3.gicrTyper = (0x7fn << 32n) | (saved & 0xffffffffn);
      }
    });
    // Hooks registered now run before the GIC's (registered at realize): restore once the reset is recorded.
    vm.sim.spawn('restore-affinity', function* () {
      while (!vm.board.oracle.records.some((r) => r.cpu === 3 && r.trigger === 'psci-cpu-on')) yield* vm.sim.sleep(10_000);
      const c3 = vm.board.gic.cpus[3];
      if (c3 !== undefined) c3.gicrTyper = saved;
    }, { daemon: true });
    const { result } = finish(vm);
    expect(result.outcome.kind).toBe('ok');
    const bad = vm.board.oracle.records.filter((r) => r.roMismatch);
    expect(bad.length).toBe(2);
    expect(bad.every((r) => r.cpu === 3 && r.installed === 0n && r.reference === 0x8400n)).toBe(true);
    expect(vm.q.hazards.violations.some((v) => v.kind === 'icc-ctlr-ro-mismatch')).toBe(true);
    expect(vm.kvm.count('KVM_GET_DEVICE_ATTR', '-EINVAL')).toBeGreaterThanOrEqual(1);
  });
});

describe('pause-always', () => {
  it('boot with exactly 2·(N−1) = 6 VM-wide pauses (arm_gicv3_icc_reset runs twice per cpu_reset); each of 10 cycles adds 2', () => {
    const boot = finish(run(PAUSE_ALWAYS).vm);
    expect(boot.result.outcome.kind).toBe('ok');
    expect(boot.metrics.vmWidePauses).toBe(6);
    const churn = run(PAUSE_ALWAYS, { cycles: 10 });
    const c = finish(churn.vm);
    expect(c.result.outcome.kind).toBe('ok');
    expect(churn.mem.cyclesDone).toBe(10);
    expect(c.metrics.vmWidePauses).toBe(26);
    expect(churn.vm.board.oracle.allInstalledReference()).toBe(true);
  });

  it('counterfactual: with one arm_gicv3_icc_reset call per cpu_reset, boot pays N−1 = 3 and each cycle 1', () => {
    expect(finish(run(PAUSE_ALWAYS, { iccResetCalls: 1 }).vm).metrics.vmWidePauses).toBe(3);
    expect(finish(run(PAUSE_ALWAYS, { cycles: 10, iccResetCalls: 1 }).vm).metrics.vmWidePauses).toBe(13);
  });
});

/** A non-vCPU context that waits for vCPU 0's mutex from the moment the first pause_all_vcpus starts. */
function injectHolderOnFirstPause(vm: ArmVm, holdNs: number): void {
  let armed = true;
  vm.q.pauseAllBeginObservers.push((q) => {
    if (!armed || !q.runstateIsRunning()) return;
    armed = false;
    const cpu0 = q.cpuByIndex(0);
    if (cpu0 === undefined) throw new Error('no cpu0');
    spawnForeignHolder(q.sim, q.kvm.vcpuOf(cpu0.vcpuFd), { startNs: 0, holdNs });
  });
}

describe('rfc-v6-simplified', () => {
  it('fills each vCPU’s cache in the initial system reset (vCPUs stopped, no EBUSY) and never reads or pauses again', () => {
    const { vm, mem } = run(RFC_V6_SIMPLIFIED, { cycles: 10 });
    const { result, metrics } = finish(vm);
    expect(result.outcome.kind).toBe('ok');
    expect(mem.online).toEqual([true, true, true, true]);
    expect(metrics.pauseCalls).toBe(0);
    // One read of ICC_CTLR_EL1 per vCPU, all successful.
    expect(metrics.ioctls['KVM_GET_DEVICE_ATTR']).toEqual({ ok: 5 }); // 4 × ICC_CTLR_EL1 + GICD_TYPER (kvm_arm_gicv3_check)
    expect(vm.board.gic.cpus.map((c) => c.iccCtlrArchDefValid)).toEqual([true, true, true, true]);
    expect(vm.board.gic.cpus.some((c) => c.iccCtlrConfiguredValid)).toBe(false);
    expect(vm.board.gic.guestGiccInitialized).toBe(false);
    expect(vm.board.oracle.allInstalledReference()).toBe(true);
  });
});
