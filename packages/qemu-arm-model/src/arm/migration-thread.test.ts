// The source's migration thread: its order of steps, locks and runstates, and the pre_save hook for devices
// beyond the GIC (an ITS registers there).
import { Simulator, type Proc, type TraceEvent } from '@vgicsim/kvm-sim';
import { describe, expect, it } from 'vitest';
import { requestQuit, scheduleCommand } from '../machine.js';
import { BOOT_CPU_BUSY } from '../test-harness.js';
import { buildArmVm } from './build.js';
import { type MigrationState, spawnMigrationThread } from './migration-thread.js';
import { REALIZE_ONCE } from './strategies/index.js';

function migrateOnce(): { events: readonly TraceEvent[]; state: MigrationState | null; saves: string[]; runstates: string[] } {
  const sim = new Simulator({ seed: 1, trace: 'full' });
  const vm = buildArmVm({ strategy: REALIZE_ONCE, guest: BOOT_CPU_BUSY, smp: 2, simulator: sim });
  const saves: string[] = [];
  const runstates: string[] = [];
  vm.q.migrationPreSave.push({
    name: 'its',
    *preSave(q): Proc {
      // What an ITS pre_save sees: the BQL held, every vCPU stopped, the runstate finish-migrate.
      saves.push(`its bql=${q.bqlLocked()} stopped=${q.cpus.every((c) => c.stopped)} ${q.runstate}`);
    },
  });
  const holder: { state: MigrationState | null } = { state: null };
  scheduleCommand(vm.q, 1_000_000, 'migrate', function* (q) {
    holder.state = spawnMigrationThread(q, vm.board, { iterations: 2, iterationNs: 100_000 });
  });
  scheduleCommand(vm.q, 2_000_000, 'quit', function* (q) {
    runstates.push(q.runstate);
    requestQuit(q);
  });
  const r = sim.run();
  expect(r.outcome.kind).toBe('ok');
  return { events: r.events, state: holder.state, saves, runstates };
}

describe('migration_thread', () => {
  it('sends RAM without the BQL, stops the VM (runstate first), saves the devices, ends in postmigrate', () => {
    const { events, state, saves, runstates } = migrateOnce();
    const mig = events.filter((e) => e.t >= 1_000_000).filter((e) => e.kind === 'runstate' || e.kind === 'migration-status' || e.kind === 'pause-all-begin' || e.kind === 'migration-saved' || e.kind === 'qmp-event');
    expect(mig.map((e) => `${e.kind}:${JSON.stringify(e.data)}`)).toEqual([
      'migration-status:{"status":"active"}',
      'runstate:{"from":"running","to":"finish-migrate"}',
      'pause-all-begin:{"vmWide":false}',
      'qmp-event:{"event":"STOP"}',
      'migration-saved:{"cpus":2}',
      'migration-status:{"status":"completed"}',
      'runstate:{"from":"finish-migrate","to":"postmigrate"}',
    ]);
    expect(saves).toEqual(['its bql=true stopped=true finish-migrate']);
    expect(state?.status).toBe('finished');
    expect(state?.stream?.cpus).toHaveLength(2);
    expect(runstates).toEqual(['postmigrate']);
  });

  it('holds the BQL from vm_stop to the end of pre_save, drops it, and takes it again for postmigrate', () => {
    const { events } = migrateOnce();
    const tid = events.find((e) => e.kind === 'migration-status')?.thread;
    const own = events.filter((e) => e.thread === tid && (e.kind === 'lock' || e.kind === 'unlock') && JSON.stringify(e.data).includes('"BQL"'));
    // The first lock and unlock bracket completion; the last pair brackets migration_iteration_finish.
    expect(own.length).toBeGreaterThanOrEqual(4);
    const saved = events.findIndex((e) => e.kind === 'migration-saved');
    const completed = events.findIndex((e) => e.kind === 'migration-status' && JSON.stringify(e.data).includes('completed'));
    const unlockBetween = events.slice(saved, completed).some((e) => e.thread === tid && e.kind === 'unlock' && JSON.stringify(e.data).includes('"BQL"'));
    expect(unlockBetween).toBe(true);
  });
});
