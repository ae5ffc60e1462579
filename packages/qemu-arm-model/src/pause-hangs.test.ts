// The upstream fixes around pause_all_vcpus, each reverted and applied, and the verdicts that name a hang.
import type { Proc } from '@vgicsim/kvm-sim';
import { describe, expect, it } from 'vitest';
import { bqlLock, bqlUnlock, pauseAllVcpus, resumeAllVcpus } from './cpus.js';
import type { QemuFixId } from './fixes.js';
import { effectiveReverts } from './fixes.js';
import { requestQuit, scheduleCommand } from './machine.js';
import type { Qemu } from './qemu.js';
import { vmStopForceState } from './runstate.js';
import { type Harness, makeHarness } from './test-harness.js';
import { kvmCpuSynchronizeState } from './vcpu-thread.js';

/** A non-vCPU thread that takes the BQL at `at` and runs `body` (what the migration thread does). */
function thread(h: Harness, name: string, at: number, body: (q: Qemu) => Proc): void {
  h.sim.spawn(
    name,
    function* () {
      yield* bqlLock(h.q);
      yield* body(h.q);
      bqlUnlock(h.q);
    },
    { delayNs: at, daemon: true },
  );
}

/** Schedules (seed of the scheduling window, migration start after the reset request, vCPUs) showing each race. */
const RACES = {
  resumeUnderPause: { seed: 31, delayNs: 4000, smp: 2 },
  twoWaiters: { seed: 2, delayNs: 1, smp: 4 },
  finishMigrateUnderReset: { seed: 4, delayNs: 5000, smp: 4 },
} as const;

/**
 * The race of f962cac4c2's commit message: the main loop serves a guest reset (pause_all_vcpus, reset,
 * resume_all_vcpus) while the migration thread completes (migration_completion_precopy: do_vm_stop
 * (FINISH_MIGRATE), CPU sync, BQL dropped; migration_iteration_finish: POSTMIGRATE).
 */
function rebootDuringMigrationCompletion(
  revert: QemuFixId[],
  race: { seed: number; delayNs: number; smp: number },
  qemu: { hangVerdict?: 'stop' | 'continue' } = {},
): { h: Harness; migrated: string[] } {
  const h = makeHarness({ qemu: { revert, ...qemu }, sim: { seed: race.seed, windowNs: 2000 }, machine: { smp: race.smp } });
  const migrated: string[] = [];
  scheduleCommand(h.q, 1_000_000, 'guest-reset', function* (q) {
    q.resetRequested = 'guest-reset';
  });
  thread(h, 'migration', 1_000_000 + race.delayNs, function* (q) {
    yield* vmStopForceState(q, 'finish-migrate');
    migrated.push(q.runstate);
    for (const cpu of [...q.cpus]) yield* kvmCpuSynchronizeState(q, cpu);
    bqlUnlock(q);
    yield* q.sim.sleep(10_000, 'migration-complete');
    yield* bqlLock(q);
    q.runstateSet('postmigrate');
    migrated.push(q.runstate);
  });
  scheduleCommand(h.q, 5_000_000, 'quit', function* (q) {
    requestQuit(q);
  });
  return { h, migrated };
}

describe('fix switches', () => {
  it('reverting 1bd71dce4b reverts ddad81bd28, which rewrote it', () => {
    expect([...effectiveReverts(['1bd71dce4b'])].sort()).toEqual(['1bd71dce4b', 'ddad81bd28']);
    expect([...effectiveReverts(['ddad81bd28'])]).toEqual(['ddad81bd28']);
    expect([...effectiveReverts(['f962cac4c24157ae'])]).toEqual(['f962cac4c2']);
  });
});

describe('hang verdicts', () => {
  it.each(Object.entries(RACES))('with every fix (%s): both pause, resume_all_vcpus is skipped, the migration finishes', (_name, race) => {
    const { h, migrated } = rebootDuringMigrationCompletion([], race);
    expect(h.sim.run().outcome.kind).toBe('ok');
    expect(migrated).toEqual(['finish-migrate', 'postmigrate']);
    expect(h.q.hazards.violations.map((v) => v.kind)).toEqual([]);
  });

  it('f962cac4c2 reverted: the migration thread can never leave pause_all_vcpus — verdict hang, at once', () => {
    const { h, migrated } = rebootDuringMigrationCompletion(['f962cac4c2'], RACES.resumeUnderPause);
    const r = h.sim.run();
    expect(r.outcome).toMatchObject({ kind: 'stopped', verdict: 'hang' });
    const msg = r.outcome.kind === 'stopped' ? r.outcome.message : '';
    expect(msg).toMatch(/^migration can never leave pause_all_vcpus: it waits on qemu_pause_cond for CPU \d\/KVM/);
    expect(msg).toContain('resume_all_vcpus on main withdrew the stop requests');
    expect(migrated).toEqual([]);
    // Found when the main loop's resume_all_vcpus withdrew the stops, not at the 5 ms end of the run.
    expect(r.now).toBeLessThan(2_000_000);
  });

  it('a main-thread pauser whose stops another thread withdraws: verdict hang naming main', () => {
    const h = makeHarness();
    scheduleCommand(h.q, 1_000_000, 'pause', function* (q) {
      yield* pauseAllVcpus(q);
      yield* resumeAllVcpus(q);
    });
    // Another BQL holder resumes every vCPU while main waits in the pause loop.
    thread(h, 'other', 1_000_001, function* (q) {
      yield* resumeAllVcpus(q);
    });
    const r = h.sim.run();
    expect(r.outcome).toMatchObject({ kind: 'stopped', verdict: 'hang' });
    expect(r.outcome.kind === 'stopped' ? r.outcome.message : '').toMatch(/^main can never leave pause_all_vcpus/);
    expect(h.q.hazards.violations.map((v) => v.kind)).toEqual(['resume-during-pause', 'hang']);
  });

  it('96bce6831b reverted: the last vCPU to stop signals one waiter; the other sleeps with every vCPU stopped (lost wake-up)', () => {
    const { h } = rebootDuringMigrationCompletion(['96bce6831b'], RACES.twoWaiters);
    const r = h.sim.run();
    expect(r.outcome).toMatchObject({ kind: 'stopped', verdict: 'hang' });
    const kinds = h.q.hazards.violations.map((v) => v.kind);
    expect(kinds).toEqual(['lost-wakeup', 'hang']);
    const lost = h.q.hazards.violations[0];
    expect(lost?.message).toMatch(/^(main|migration) sleeps on qemu_pause_cond while every vCPU is stopped/);
    expect(h.q.cpus.every((c) => c.stopped)).toBe(true);
  });

  it('the lost-wake-up invariant never fires with broadcast (96bce6831b applied)', () => {
    const { h } = rebootDuringMigrationCompletion([], RACES.twoWaiters);
    h.sim.run();
    expect(h.q.hazards.violations.filter((v) => v.kind === 'lost-wakeup')).toEqual([]);
  });

  it('hangVerdict continue: the hang is recorded and the run goes on to its end', () => {
    const { h } = rebootDuringMigrationCompletion(['f962cac4c2'], RACES.resumeUnderPause, { hangVerdict: 'continue' });
    const r = h.sim.run();
    expect(r.outcome.kind).not.toBe('stopped');
    expect(h.q.hazards.violations.some((v) => v.kind === 'hang')).toBe(true);
  });

  it('ddad81bd28 reverted: the reset sets prelaunch under the migration and postmigrate aborts QEMU', () => {
    const { h, migrated } = rebootDuringMigrationCompletion(['ddad81bd28'], RACES.finishMigrateUnderReset);
    const r = h.sim.run();
    expect(r.outcome).toMatchObject({ kind: 'abort', message: "invalid runstate transition: 'prelaunch' -> 'postmigrate'" });
    expect(migrated).toEqual(['finish-migrate']);
  });

  it('1bd71dce4b reverted (and with it ddad81bd28): the same abort', () => {
    const { h } = rebootDuringMigrationCompletion(['1bd71dce4b'], RACES.finishMigrateUnderReset);
    expect(h.sim.run().outcome).toMatchObject({ kind: 'abort', message: "invalid runstate transition: 'prelaunch' -> 'postmigrate'" });
  });

  it('resume-during-pause is not reported when resume_all_vcpus is skipped (runstate not running)', () => {
    const { h } = rebootDuringMigrationCompletion([], RACES.finishMigrateUnderReset);
    h.sim.run();
    expect(h.q.hazards.violations.filter((v) => v.kind === 'resume-during-pause')).toEqual([]);
  });
});
