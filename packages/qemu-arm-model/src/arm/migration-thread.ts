// The source's migration thread (migration/migration.c migration_thread): RAM iterations without the BQL,
// then migration_completion → migration_completion_precopy (BQL; migration_stop_vm →
// vm_stop_force_state(FINISH_MIGRATE); qemu_savevm_state_complete_precopy: CPU sync, device pre_save),
// the BQL dropped, and migration_iteration_finish (BQL; runstate POSTMIGRATE). Guest reboots and QMP
// commands on the main loop overlap it exactly where upstream lets them: whenever the BQL is free.
import type { Duration, Proc, SimThread } from '@vgicsim/kvm-sim';
import { bqlLock, bqlUnlock } from '../cpus.js';
import type { MigrationStatus } from '../kinds.js';
import type { Qemu } from '../qemu.js';
import { vmStopForceState } from '../runstate.js';
import { kvmCpuSynchronizeState } from '../vcpu-thread.js';
import { MigrationBlockedError, type MigrationStream, saveDeviceState } from './migration.js';
import type { ArmVirt } from './virt.js';
import { emitQemuEvent } from '../trace-vocabulary.js';

export type { MigrationStatus };

export interface MigrationThreadOptions {
  /** RAM iterations before completion (migration_iteration_run calls). */
  readonly iterations?: number;
  /** Time one iteration sends RAM without the BQL. */
  readonly iterationNs?: Duration;
}

/** What the thread publishes: its status (MigrationState.state) and, once completed, the stream. */
export interface MigrationState {
  status: MigrationStatus;
  stream: MigrationStream | null;
  thread: SimThread | null;
}

/** qmp_migrate → migrate_fd_connect: start the migration thread (called with the BQL, like a QMP command). */
export function spawnMigrationThread(q: Qemu, board: ArmVirt, options: MigrationThreadOptions = {}): MigrationState {
  if (board.gic.migrationBlocker !== null) throw new MigrationBlockedError(`migration blocked: ${board.gic.migrationBlocker}`);
  const itsBlocker = board.its?.migrationBlocker ?? null;
  if (itsBlocker !== null) throw new MigrationBlockedError(`migration blocked: ${itsBlocker}`);
  const iterations = options.iterations ?? 3;
  const iterationNs = options.iterationNs ?? 200_000;
  const state: MigrationState = { status: 'setup', stream: null, thread: null };
  state.thread = q.sim.spawn(`${q.options.threadPrefix}migration`, () => migrationThread(q, board, state, iterations, iterationNs));
  return state;
}

function* migrationThread(q: Qemu, board: ArmVirt, state: MigrationState, iterations: number, iterationNs: Duration): Proc {
  const sim = q.sim;
  state.status = 'active';
  emitQemuEvent(sim, 'migration-status', { status: 'active' });
  // migration_iteration_run: qemu_savevm_state_iterate sends dirty RAM without the BQL.
  for (let i = 0; i < iterations; i++) yield* sim.sleep(sim.resolve(iterationNs), 'migration-iterate');
  yield* migrationCompletionPrecopy(q, board, state);
  // migration_completion_end: the stream is complete (MIGRATION_STATUS_COMPLETED), BQL not held.
  state.status = 'completed';
  emitQemuEvent(sim, 'migration-status', { status: 'completed' });
  // migration_iteration_finish: COMPLETED → runstate_set(POSTMIGRATE) under the BQL.
  yield* bqlLock(q);
  q.runstateSet('postmigrate');
  // migration_cleanup_bh is scheduled on the main loop: qemu_bh_schedule wakes it (aio_notify).
  q.notifyEvent();
  bqlUnlock(q);
  state.status = 'finished';
}

/** migration_completion_precopy: stop the VM and save every device under one hold of the BQL. */
function* migrationCompletionPrecopy(q: Qemu, board: ArmVirt, state: MigrationState): Proc {
  yield* bqlLock(q);
  // migration_stop_vm → vm_stop_force_state(RUN_STATE_FINISH_MIGRATE): do_vm_stop if the VM is live.
  yield* vmStopForceState(q, 'finish-migrate');
  state.status = 'device';
  // qemu_savevm_state_complete_precopy_non_iterable: cpu_synchronize_all_states, then each vmstate's pre_save.
  for (const cpu of [...q.cpus]) yield* kvmCpuSynchronizeState(q, cpu);
  state.stream = yield* saveDeviceState(q, board);
  emitQemuEvent(q.sim, 'migration-saved', { cpus: state.stream.cpus.length });
  bqlUnlock(q);
}
