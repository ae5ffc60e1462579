// The main-loop migration (migrationSave): migration_stop_vm is vm_stop_force_state, so a VM that is not
// live still passes through finish-migrate before postmigrate (runstate_transitions_def has no direct edge).
import { type GuestCode, type GuestProgram, Simulator } from '@vgicsim/kvm-sim';
import { describe, expect, it } from 'vitest';
import { qmpCont, qmpStop, requestQuit, scheduleCommand } from '../machine.js';
import { qemuSystemResetRequest, vmStopForceState } from '../runstate.js';
import { buildArmVm } from './build.js';
import { migrationSave } from './migration.js';
import { RFC_V6 } from './strategies/index.js';

/** CPU 0 computes forever; the secondaries stay off (the guest never powers off the VM). */
const IDLE: GuestProgram = {
  name: 'idle',
  *start(): GuestCode {
    for (;;) yield { op: 'compute', ns: 100_000 };
  },
};

describe('migrationSave', () => {
  it('from prelaunch (stop, then system_reset): prelaunch → finish-migrate → postmigrate, no abort', () => {
    const sim = new Simulator({ seed: 5, trace: 'full' });
    const vm = buildArmVm({ strategy: RFC_V6, guest: IDLE, smp: 2, simulator: sim });
    const runstates: string[] = [];
    let cpus = -1;
    scheduleCommand(vm.q, 1_000_000, 'stop', (q) => qmpStop(q));
    scheduleCommand(vm.q, 1_500_000, 'system_reset', (q) => qemuSystemResetRequest(q, 'host-qmp-system-reset'));
    scheduleCommand(vm.q, 2_000_000, 'migrate', function* (q) {
      runstates.push(q.runstate);
      const stream = yield* migrationSave(q, vm.board);
      cpus = stream.cpus.length;
      runstates.push(q.runstate);
      requestQuit(q);
    });
    const result = sim.run();
    expect(result.outcome).toEqual({ kind: 'ok' });
    expect(runstates).toEqual(['prelaunch', 'postmigrate']);
    expect(cpus).toBe(2);
    const moves = result.events.filter((e) => e.kind === 'runstate').map((e) => `${String(e.data?.['from'])}->${String(e.data?.['to'])}`);
    expect(moves.slice(-2)).toEqual(['prelaunch->finish-migrate', 'finish-migrate->postmigrate']);
  });
});

describe('qmp_cont while a migration finishes', () => {
  it('is refused in finish-migrate ("Migration is not finalized yet"): no RESUME, the vCPUs stay stopped, postmigrate follows', () => {
    const sim = new Simulator({ seed: 5, trace: 'full' });
    const vm = buildArmVm({ strategy: RFC_V6, guest: IDLE, smp: 2, simulator: sim });
    const seen: string[] = [];
    scheduleCommand(vm.q, 1_000_000, 'stop', (q) => qmpStop(q));
    scheduleCommand(vm.q, 1_500_000, 'migrate-stop', function* (q) {
      // migration_stop_vm on a paused VM: vm_stop_force_state only sets the runstate.
      yield* vmStopForceState(q, 'finish-migrate');
    });
    scheduleCommand(vm.q, 1_600_000, 'cont', function* (q) {
      yield* qmpCont(q);
      seen.push(q.runstate, q.cpus.every((c) => c.stopped) ? 'stopped' : 'running');
      q.runstateSet('postmigrate');
      requestQuit(q);
    });
    const result = sim.run();
    expect(result.outcome).toEqual({ kind: 'ok' });
    expect(seen).toEqual(['finish-migrate', 'stopped']);
    const errors = result.events.filter((e) => e.kind === 'qmp-error').map((e) => String(e.data?.['message']));
    expect(errors).toEqual(['Migration is not finalized yet']);
    expect(result.events.filter((e) => e.kind === 'qmp-event' && e.data?.['event'] === 'RESUME' && e.t > 1_000_000)).toEqual([]);
  });
});
