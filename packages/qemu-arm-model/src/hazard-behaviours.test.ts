// Behavioural tests of the pause machinery's hazards: each schedule is built so that one upstream
// behaviour decides the outcome, and the exact outcome is asserted. Changing the behaviour (the re-kick in
// pause_all_vcpus's wait loop, thread_kicked, the stop-before-work order, the BQL window at the end of the
// pause, cpu_stop_current not marking stopped, cpu_resume not broadcasting qemu_pause_cond, rfc-v6's
// 50 µs sleep) fails a test here.
import { PSCI_0_2_FN_SYSTEM_RESET } from '@vgicsim/gicv3-regs';
import { type GuestCode, type GuestProgram, type Proc, spawnForeignHolder } from '@vgicsim/kvm-sim';
import { describe, expect, it } from 'vitest';
import { buildArmVm } from './arm/build.js';
import { RFC_V6 } from './arm/strategies/index.js';
import { asyncRunOnCpu } from './cpu-work.js';
import { allVcpusPaused, cpuPause, cpuResume, pauseAllVcpus, qemuCpuKick, resumeAllVcpus } from './cpus.js';
import { requestQuit, scheduleCommand } from './machine.js';
import type { Qemu } from './qemu.js';
import { linuxLikeGuest } from './test-guests.js';
import { type Harness, makeHarness } from './test-harness.js';

function at(h: Harness, time: number, label: string, body: (q: Qemu) => Proc): void {
  scheduleCommand(h.q, time, label, body);
}

function quitAt(h: Harness, time: number): void {
  at(h, time, 'quit', function* (q) {
    requestQuit(q);
  });
}

function cpuOf(q: Qemu, i: number) {
  const cpu = q.cpuByIndex(i);
  if (cpu === undefined) throw new Error(`no cpu${i}`);
  return cpu;
}

/** Every vCPU computes forever (all four are in KVM_RUN when a pause starts). */
const ALL_BUSY: GuestProgram = {
  name: 'all-busy',
  *start(): GuestCode {
    for (;;) yield { op: 'compute', ns: 50_000 };
  },
};

describe('pause_all_vcpus re-kicks every CPU after each wake-up ("FIXME: is this needed?")', () => {
  it('a main-thread pause of 4 running vCPUs sends 8 SIG_IPIs: 4 from cpu_pause, 4 from the re-kick after the pauser wakes', () => {
    const h = makeHarness({ guest: ALL_BUSY, machine: { startPoweredOff: () => false } });
    let kicksInPause = -1;
    h.q.pauseAllBeginObservers.push(() => {
      kicksInPause = h.q.metrics.kicks;
    });
    at(h, 1_000_000, 'pause', function* (q) {
      yield* pauseAllVcpus(q);
      kicksInPause = q.metrics.kicks - kicksInPause;
      yield* resumeAllVcpus(q);
    });
    quitAt(h, 2_000_000);
    const r = h.sim.run();
    expect(r.outcome.kind).toBe('ok');
    // 4 from cpu_pause; each stopping CPU has cleared its thread_kicked by the time the pauser wakes, so
    // the re-kick sends 4 more.
    expect(kicksInPause).toBe(8);
  });
});

describe('thread_kicked suppresses a second SIG_IPI until the thread has processed its events', () => {
  it('two qemu_cpu_kick of a running vCPU under one BQL hold send exactly one SIG_IPI', () => {
    const h = makeHarness({ guest: ALL_BUSY, machine: { startPoweredOff: () => false } });
    let sent = -1;
    let flag: boolean | null = null;
    at(h, 1_000_000, 'kick-twice', function* (q) {
      const before = q.metrics.kicks;
      const cpu1 = cpuOf(q, 1);
      yield* qemuCpuKick(q, cpu1);
      yield* qemuCpuKick(q, cpu1);
      sent = q.metrics.kicks - before;
      flag = cpu1.threadKicked;
    });
    quitAt(h, 2_000_000);
    expect(h.sim.run().outcome.kind).toBe('ok');
    expect(sent).toBe(1);
    expect(flag).toBe(true);
    // Once the thread has run qemu_process_cpu_events_common, the flag is clear again.
    expect(cpuOf(h.q, 1).threadKicked).toBe(false);
  });
});

describe('a stop request is honoured before queued work runs (qemu_process_cpu_events_common)', () => {
  it('work queued on CPU 1 together with a pause runs with CPU 1 already stopped, and the pause returns only after it', () => {
    const h = makeHarness({ guest: ALL_BUSY, machine: { startPoweredOff: () => false } });
    const log: string[] = [];
    at(h, 1_000_000, 'work-then-pause', function* (q) {
      const cpu1 = cpuOf(q, 1);
      yield* asyncRunOnCpu(q, cpu1, 'probe', function* (c) {
        log.push(`work: cpu1.stopped=${c.stopped}`);
      });
      yield* pauseAllVcpus(q);
      log.push(`paused: all=${allVcpusPaused(q)}`);
      yield* resumeAllVcpus(q);
    });
    quitAt(h, 2_000_000);
    expect(h.sim.run().outcome.kind).toBe('ok');
    expect(log).toEqual(['work: cpu1.stopped=true', 'paused: all=true']);
  });
});

describe('pause_all_vcpus drops and re-takes the BQL after every CPU has stopped', () => {
  it('a thread waiting for the BQL at that moment runs inside the window: its resume_all_vcpus lands before the pause returns', () => {
    const h = makeHarness({ guest: ALL_BUSY, machine: { startPoweredOff: () => false }, qemu: { bqlPolicy: 'fifo' } });
    const log: string[] = [];
    at(h, 1_000_000, 'pause', function* (q) {
      yield* pauseAllVcpus(q);
      log.push(`pause returned: all paused=${allVcpusPaused(q)}`);
    });
    // A racing resumer (another pauser's resume, a QMP cont): it queues on the BQL once every CPU is
    // stopped while the pauser still holds the BQL for its re-kicks.
    h.sim.spawn('racer', function* () {
      yield* h.sim.sleep(1_000_000);
      const main = h.q.mainThread;
      while (!(main !== null && h.q.insidePause.has(main) && allVcpusPaused(h.q) && h.q.bql.owner === main)) {
        yield* h.sim.sleep(100);
      }
      yield* h.sim.lock(h.q.bql);
      log.push('racer: resume_all_vcpus');
      yield* resumeAllVcpus(h.q);
      h.sim.unlock(h.q.bql);
    });
    quitAt(h, 2_000_000);
    expect(h.sim.run().outcome.kind).toBe('ok');
    expect(log).toEqual(['racer: resume_all_vcpus', 'pause returned: all paused=false']);
    expect(h.q.hazards.violations.map((v) => v.kind)).toEqual(['resume-during-pause']);
  });
});

describe('cpu_stop_current requests a stop but does not mark the CPU stopped (0ec7e6779f)', () => {
  it('a guest SYSTEM_RESET on a 1-vCPU VM: the main loop’s pause returns only after the vCPU thread itself ran qemu_cpu_stop', () => {
    let resets = 0;
    const guest: GuestProgram = {
      name: 'reset-once',
      *start(): GuestCode {
        if (resets++ === 0) {
          yield { op: 'compute', ns: 500_000 };
          yield { op: 'hvc', x: [BigInt(PSCI_0_2_FN_SYSTEM_RESET), 0n, 0n, 0n] };
        }
        for (;;) yield { op: 'compute', ns: 50_000 };
      },
    };
    // The guest's SYSTEM_RESET reaches QEMU at ~564 µs. A helper holds the BQL from 540 to 600 µs and a
    // no-op command makes the main loop queue for it at 550 µs, so with a FIFO BQL the main loop starts its
    // pause_all_vcpus while the vCPU thread is still in kvm_cpu_exec's tail, waiting for the BQL.
    const h = makeHarness({ guest, machine: { smp: 1 }, qemu: { bqlPolicy: 'fifo' } });
    h.sim.spawn('bql-holder', function* () {
      yield* h.sim.sleep(540_000);
      yield* h.sim.lock(h.q.bql);
      yield* h.sim.sleep(60_000);
      h.sim.unlock(h.q.bql);
    });
    at(h, 550_000, 'noop', function* () {});
    quitAt(h, 2_000_000);
    const r = h.sim.run();
    expect(r.outcome.kind).toBe('ok');
    const order = r.events
      .filter((e) => e.kind === 'reset-request' || e.kind === 'cpu-stopped' || e.kind === 'pause-all-end' || e.kind === 'pause-all-begin')
      .map((e) => e.kind);
    // Upstream: the pause waits until the vCPU thread is back in its loop and marks itself stopped.
    expect(order).toEqual(['reset-request', 'pause-all-begin', 'cpu-stopped', 'pause-all-end']);
  });
});

describe('cpu_resume does not broadcast qemu_pause_cond', () => {
  it('a pauser waiting for a slow CPU is not woken when another thread resumes (and re-pauses) an already stopped CPU', () => {
    const h = makeHarness({ guest: ALL_BUSY, machine: { startPoweredOff: () => false }, qemu: { bqlPolicy: 'fifo' } });
    const log: string[] = [];
    // CPU 3 starts a work item that drops the BQL for 200 µs (a blocking call) before the pause begins,
    // so it is the last CPU to stop: main waits on qemu_pause_cond meanwhile.
    at(h, 1_000_000, 'slow-work', function* (q) {
      yield* asyncRunOnCpu(q, cpuOf(q, 3), 'slow', function* () {
        q.sim.unlock(q.bql);
        yield* q.sim.sleep(200_000);
        yield* q.sim.lock(q.bql);
      });
    });
    at(h, 1_050_000, 'pause', function* (q) {
      yield* pauseAllVcpus(q);
      log.push(`paused: all=${allVcpusPaused(q)}`);
      yield* resumeAllVcpus(q);
    });
    // While main waits on qemu_pause_cond, a management thread resumes the stopped CPU 1 and pauses it again.
    h.sim.spawn('racer', function* () {
      yield* h.sim.sleep(1_000_000);
      const main = h.q.mainThread;
      while (!(main !== null && h.q.qemuPauseCond.waiters.includes(main) && cpuOf(h.q, 1).stopped)) yield* h.sim.sleep(1000);
      yield* h.sim.lock(h.q.bql);
      log.push('racer: cpu_resume(1), cpu_pause(1)');
      yield* cpuResume(h.q, cpuOf(h.q, 1));
      yield* cpuPause(h.q, cpuOf(h.q, 1));
      h.sim.unlock(h.q.bql);
    });
    quitAt(h, 2_000_000);
    const r = h.sim.run();
    expect(r.outcome.kind).toBe('ok');
    expect(log).toEqual(['racer: cpu_resume(1), cpu_pause(1)', 'paused: all=true']);
    const racerResume = r.events.findIndex((e) => e.kind === 'cpu-resume' && e.data?.['cpu'] === 1 && e.t > 1_000_000);
    const nextStop = r.events.findIndex((e, i) => i > racerResume && e.kind === 'cpu-stopped');
    const mainWakes = r.events
      .slice(racerResume, nextStop)
      .filter((e) => e.kind === 'cond-wake' && e.data?.['cond'] === 'qemu_pause_cond' && e.data['target'] === 'main');
    expect(racerResume).toBe(997);
    expect(nextStop).toBeGreaterThan(racerResume);
    expect(mainWakes).toHaveLength(0);
  });
});

describe('rfc-v6 sleeps 50 µs between its tries under the pause', () => {
  it('a foreign context holding vCPU 0’s mutex for 300 µs from the first pause: the 4th retry succeeds and the boot completes', () => {
    const guest = linuxLikeGuest({ smp: 4 });
    const vm = buildArmVm({ strategy: RFC_V6, guest: guest.program, smp: 4, sim: { seed: 1, trace: 'hash' } });
    let armed = true;
    vm.q.pauseAllBeginObservers.push((q) => {
      if (!armed || !q.runstateIsRunning()) return;
      armed = false;
      spawnForeignHolder(q.sim, q.kvm.vcpuOf(cpuOf(q, 0).vcpuFd), { startNs: 0, holdNs: 300_000 });
    });
    const r = vm.sim.run();
    // CPU 1: first try + 3 failed retries (at ~0, ~104, ~208 µs; each g_usleep(50) lasts 50 µs + 50 µs
    // timer slack + wake-up), the 4th retry at ~312 µs succeeds; CPUs 2 and 3: one EBUSY each before their
    // pauses. With 5 µs sleeps (~59 µs each) all 5 tries would fall inside the 300 µs hold and QEMU abort.
    expect({ outcome: r.outcome.kind, ebusy: vm.kvm.count('KVM_GET_DEVICE_ATTR', '-EBUSY') }).toEqual({ outcome: 'ok', ebusy: 6 });
  });
});
