import type { Proc } from '@vgicsim/kvm-sim';
import { describe, expect, it } from 'vitest';
import { asyncRunOnCpu } from './cpu-work.js';
import { pauseAllVcpus, resumeAllVcpus } from './cpus.js';
import { qmpStop, requestQuit, scheduleCommand } from './machine.js';
import type { Qemu } from './qemu.js';
import { doVmStop, qemuSystemResetRequest } from './runstate.js';
import { type Harness, inKvmRun, makeHarness } from './test-harness.js';

/** Runs `body` on the main thread (BQL held) at virtual time `at`. */
function at(h: Harness, time: number, label: string, body: (q: Qemu) => Proc): void {
  scheduleCommand(h.q, time, label, body);
}

function quitAt(h: Harness, time: number): void {
  at(h, time, 'quit', function* (q) {
    requestQuit(q);
  });
}

function vcpuMutexHolders(h: Harness): (string | null)[] {
  return h.q.allCpus.map((c) => h.kvm.vcpuOf(c.vcpuFd).mutex.owner?.name ?? null);
}

describe('boot', () => {
  it('a 4-vCPU VM boots: every vCPU thread ends up in KVM_RUN (the powered-off ones too)', () => {
    const h = makeHarness();
    const seen: boolean[] = [];
    let runstate = '';
    at(h, 1_000_000, 'probe', function* (q) {
      for (let i = 0; i < 4; i++) seen.push(inKvmRun(h, i));
      runstate = q.runstate;
    });
    quitAt(h, 1_000_001);
    expect(h.sim.run().outcome.kind).toBe('ok');
    expect(seen).toEqual([true, true, true, true]);
    expect(runstate).toBe('running');
    // Machine creation's initial reset paused nothing: PRELAUNCH pauses are not VM-wide.
    expect(h.q.metrics.snapshot().vmWidePauses).toBe(0);
  });
});

describe('pause_all_vcpus / resume_all_vcpus', () => {
  it('from the main thread: returns with every stopped true and no vCPU mutex held; resume puts all back in KVM_RUN', () => {
    const h = makeHarness();
    let afterPause: { stopped: boolean[]; holders: (string | null)[] } | null = null;
    const afterResume: boolean[] = [];
    at(h, 1_000_000, 'pause', function* (q) {
      yield* pauseAllVcpus(q);
      afterPause = { stopped: q.cpus.map((c) => c.stopped), holders: vcpuMutexHolders(h) };
      yield* resumeAllVcpus(q);
    });
    at(h, 2_000_000, 'probe', function* () {
      for (let i = 0; i < 4; i++) afterResume.push(inKvmRun(h, i));
    });
    quitAt(h, 2_000_001);
    expect(h.sim.run().outcome.kind).toBe('ok');
    expect(afterPause).toEqual({ stopped: [true, true, true, true], holders: [null, null, null, null] });
    expect(afterResume).toEqual([true, true, true, true]);
    const m = h.q.metrics.snapshot();
    expect(m.pauseCalls).toBe(1);
    expect(m.vmWidePauses).toBe(1);
    expect(m.pauseCallsByThread).toEqual({ main: 1 });
    expect(m.pauseLatenciesNs).toHaveLength(1);
    expect(m.kicks).toBeGreaterThanOrEqual(4);
    expect(h.q.hazards.violations).toEqual([]);
  });

  it('resume_all_vcpus while the runstate is PAUSED changes nothing', () => {
    const h = makeHarness();
    let stoppedAfter: boolean[] = [];
    let inRun: boolean[] = [];
    at(h, 1_000_000, 'stop', function* (q) {
      yield* qmpStop(q);
      yield* resumeAllVcpus(q);
      stoppedAfter = q.cpus.map((c) => c.stopped);
    });
    at(h, 1_500_000, 'probe', function* () {
      inRun = [0, 1, 2, 3].map((i) => inKvmRun(h, i));
    });
    quitAt(h, 1_500_001);
    expect(h.sim.run().outcome.kind).toBe('ok');
    expect(stoppedAfter).toEqual([true, true, true, true]);
    expect(inRun).toEqual([false, false, false, false]);
    expect(h.q.runstate).toBe('paused');
  });

  it('from a vCPU thread inside a work item: completes, with the caller stopped by itself', () => {
    const h = makeHarness();
    const log: string[] = [];
    at(h, 1_000_000, 'queue', function* (q) {
      const cpu1 = q.cpuByIndex(1);
      if (cpu1 === undefined) throw new Error('no cpu1');
      yield* asyncRunOnCpu(q, cpu1, 'pause-from-vcpu', function* () {
        yield* pauseAllVcpus(q);
        log.push(`paused:${q.cpus.map((c) => (c.stopped ? 1 : 0)).join('')}`);
        yield* resumeAllVcpus(q);
        log.push('resumed');
      });
    });
    quitAt(h, 2_000_000);
    expect(h.sim.run().outcome.kind).toBe('ok');
    expect(log).toEqual(['paused:1111', 'resumed']);
    expect(h.q.metrics.snapshot().pauseCallsByThread).toEqual({ 'CPU 1/KVM': 1 });
    expect(h.q.hazards.violations).toEqual([]);
  });
});

describe('the nested-pause hazard (qemu.md §7.2)', () => {
  /** Two vCPU threads each run a work item: pause_all_vcpus(); …; resume_all_vcpus(). */
  function nested(verdict: 'continue' | 'stop'): Harness {
    const h = makeHarness({ sim: { seed: 7 }, qemu: { strandedPauserVerdict: verdict } });
    at(h, 1_000_000, 'queue-two-pausers', function* (q) {
      for (const i of [1, 2]) {
        const cpu = q.cpuByIndex(i);
        if (cpu === undefined) throw new Error(`no cpu${i}`);
        yield* asyncRunOnCpu(q, cpu, `pauser-${i}`, function* () {
          yield* pauseAllVcpus(q);
          yield* resumeAllVcpus(q);
        });
      }
    });
    // A later VM stop (QMP `stop`) needs every vCPU to stop again: the stranded one never will.
    at(h, 5_000_000, 'stop', qmpStop);
    quitAt(h, 6_000_000);
    return h;
  }

  it('the first pauser to finish resumes everyone: the other is a stranded pauser and the VM stop deadlocks', () => {
    const h = nested('continue');
    const r = h.sim.run();
    const kinds = h.q.hazards.violations.map((v) => v.kind);
    expect(kinds).toContain('stranded-pauser');
    expect(kinds).toContain('resume-during-pause');
    expect(r.outcome.kind).toBe('deadlock');
    if (r.outcome.kind !== 'deadlock') return;
    const strandedName = h.q.hazards.violations.find((v) => v.kind === 'stranded-pauser')?.message.match(/CPU (\d)\/KVM/)?.[0];
    expect(['CPU 1/KVM', 'CPU 2/KVM']).toContain(strandedName);
    // Both the main thread (QMP stop) and the stranded vCPU wait on qemu_pause_cond forever.
    const onPause = r.outcome.waitFor.filter((w) => w.kind === 'cond' && w.on === 'qemu_pause_cond').map((w) => w.thread);
    expect(onPause.sort()).toEqual(['main', strandedName].sort());
    expect(h.q.metrics.snapshot().pauseCalls).toBe(3);
  });

  it('with the stop verdict the run ends at the strand, naming it', () => {
    const h = nested('stop');
    const r = h.sim.run();
    expect(r.outcome).toMatchObject({ kind: 'stopped', verdict: 'stranded-pauser' });
  });
});

describe('the 2020 precedent (f962cac4c2)', () => {
  it('a vm_stop racing the main-loop reset is safe: runstate first, so the reset’s resume_all_vcpus is a no-op', () => {
    const h = makeHarness({ sim: { seed: 3 } });
    const log: string[] = [];
    at(h, 1_000_000, 'reset-request', function* (q) {
      yield* qemuSystemResetRequest(q, 'host-qmp-system-reset');
    });
    // A migration-like thread calls do_vm_stop while the main loop is inside its pause/reset/resume.
    h.sim.spawn('migration', function* () {
      yield* h.sim.sleep(1_006_000);
      yield* h.sim.lock(h.q.bql);
      log.push(`stop-begin:${h.q.runstate}`);
      yield* doVmStop(h.q, 'finish-migrate');
      log.push(`stop-end:${h.q.cpus.map((c) => (c.stopped ? 1 : 0)).join('')}`);
      h.sim.unlock(h.q.bql);
    });
    quitAt(h, 3_000_000);
    const r = h.sim.run();
    expect(r.outcome.kind).toBe('ok');
    expect(log).toEqual(['stop-begin:running', 'stop-end:1111']);
    expect(h.q.hazards.violations.filter((v) => v.kind === 'stranded-pauser')).toEqual([]);
    expect(h.q.runstate).toBe('finish-migrate');
    expect(h.q.cpus.every((c) => c.stopped)).toBe(true);
    expect(r.events.some((e) => e.kind === 'resume-all-skipped')).toBe(true);
    // Two pausers overlapped: the main loop's and the migration thread's.
    expect(h.q.metrics.snapshot().pauseCallsByThread).toEqual({ main: 1, migration: 1 });
  });
});
