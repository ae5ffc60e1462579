// system/runstate.c and the vm_stop/vm_start half of system/cpus.c (qemu.md §5.10–§5.11): the runstate,
// the requests the main loop serves, and stopping/starting the VM.
import type { Proc } from '@vgicsim/kvm-sim';
import { cpuStopCurrent, pauseAllVcpus, resumeAllVcpus } from './cpus.js';
import type { Qemu, RunState, ShutdownCause } from './qemu.js';
import { emitQemuEvent } from './trace-vocabulary.js';

/** runstate_is_live(): RUNNING or SUSPENDED. */
export function runstateIsLive(state: RunState): boolean {
  return state === 'running' || state === 'suspended';
}

/** qemu_system_reset_request: flag, stop the calling vCPU (if any), wake the main loop. */
export function* qemuSystemResetRequest(q: Qemu, reason: ShutdownCause): Proc {
  q.resetRequested = reason;
  emitQemuEvent(q.sim, 'reset-request', { reason });
  yield* cpuStopCurrent(q);
  q.notifyEvent();
}

/** qemu_system_shutdown_request: flag and wake the main loop; unlike a reset request it stops no CPU. */
export function qemuSystemShutdownRequest(q: Qemu, reason: ShutdownCause): void {
  q.shutdownRequested = reason;
  emitQemuEvent(q.sim, 'shutdown-request', { reason });
  q.notifyEvent();
}

/** qemu_system_vmstop_request. */
export function qemuSystemVmstopRequest(q: Qemu, state: RunState): void {
  q.vmstopRequested = state;
  q.notifyEvent();
}

/** do_vm_stop: the runstate changes *before* the pause (f962cac4c2), so a racing resume_all_vcpus is a no-op. */
export function* doVmStop(q: Qemu, state: RunState): Proc<number> {
  const old = q.runstate;
  if (runstateIsLive(old)) {
    const early = q.fixed('f962cac4c2');
    if (early) q.runstateSet(state);
    // cpu_disable_ticks(): the guest clock is not modelled.
    if (old === 'running') yield* pauseAllVcpus(q);
    // Before f962cac4c2: pause_all_vcpus, then runstate_set — a resume racing the pause still resumes.
    if (!early) q.runstateSet(state);
    yield* vmStateNotify(q, false);
    emitQemuEvent(q.sim, 'qmp-event', { event: 'STOP' });
  }
  return 0;
}

/** vm_stop: from a vCPU thread only a request (the main loop does the stop); otherwise do_vm_stop. */
export function* vmStop(q: Qemu, state: RunState): Proc<number> {
  if (q.inVcpuThread()) {
    qemuSystemVmstopRequest(q, state);
    yield* cpuStopCurrent(q);
    return 0;
  }
  return yield* doVmStop(q, state);
}

/** vm_stop_force_state: vm_stop if the VM is live, else only the runstate (block drain/flush not modelled). */
export function* vmStopForceState(q: Qemu, state: RunState): Proc<number> {
  if (runstateIsLive(q.runstate)) return yield* vmStop(q, state);
  q.runstateSet(state);
  return 0;
}

/**
 * vm_prepare_start: consumes a pending vmstop request (qemu_vmstop_requested); if the VM is running, -1 —
 * after a STOP/RESUME event pair when a request was pending; else RUNNING and the state-change notifiers.
 */
export function* vmPrepareStart(q: Qemu): Proc<number> {
  const requested = q.vmstopRequested;
  q.vmstopRequested = null;
  if (q.runstateIsRunning()) {
    if (requested !== null) {
      emitQemuEvent(q.sim, 'qmp-event', { event: 'STOP' });
      emitQemuEvent(q.sim, 'qmp-event', { event: 'RESUME' });
    }
    return -1;
  }
  emitQemuEvent(q.sim, 'qmp-event', { event: 'RESUME' });
  q.runstateSet('running');
  yield* vmStateNotify(q, true);
  return 0;
}

/** vm_start: prepare, then resume_all_vcpus. */
export function* vmStart(q: Qemu): Proc {
  if ((yield* vmPrepareStart(q)) === 0) yield* resumeAllVcpus(q);
}

function* vmStateNotify(q: Qemu, running: boolean): Proc {
  if (q.arch.vmStateChange !== undefined) yield* q.arch.vmStateChange(q, running);
}
