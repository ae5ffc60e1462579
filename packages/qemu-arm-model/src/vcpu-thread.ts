// The KVM vCPU thread (accel/kvm/kvm-accel-ops.c kvm_vcpu_thread_fn), its event processing
// (system/cpus.c qemu_process_cpu_events / [QS] qemu_wait_io_event) and kvm_cpu_exec (accel/kvm/kvm-all.c),
// with the register synchronisation of target/arm/kvm.c (qemu.md §3.6, §5.2–§5.5).
import { mpidrHwid } from '@vgicsim/gicv3-regs';
import {
  EAGAIN,
  EINTR,
  KVM_EXIT_SYSTEM_EVENT,
  KVM_MP_STATE_RUNNABLE,
  KVM_MP_STATE_STOPPED,
  KVM_REG_ARM_CORE_PC,
  KVM_REG_MPIDR_EL1,
  KVM_SYSTEM_EVENT_CRASH,
  KVM_SYSTEM_EVENT_RESET,
  KVM_SYSTEM_EVENT_SHUTDOWN,
  type OpCall,
  type Proc,
  coreRegX,
  errnoName,
} from '@vgicsim/kvm-sim';
import { CpuState, PSCI_OFF, PSCI_ON } from './cpu-state.js';
import { processQueuedCpuWork, runOnCpu } from './cpu-work.js';
import { bqlLock, bqlUnlock, condWaitBql, cpuCanRun, cpuThreadIsIdle, qemuCpuStop } from './cpus.js';
import { EXCP_INTERRUPT, type Qemu, SIG_IPI } from './qemu.js';
import { qemuSystemResetRequest, qemuSystemShutdownRequest, vmStop } from './runstate.js';
import { emitQemuEvent } from './trace-vocabulary.js';

/** kvm_vcpu_thread_fn: holds the BQL except inside kvm_cpu_exec and condition waits. */
export function* kvmVcpuThreadFn(q: Qemu, cpu: CpuState): Proc {
  const sim = q.sim;
  const self = sim.self();
  yield* bqlLock(q);
  self.data = cpu; // current_cpu
  yield* kvmInitVcpu(q, cpu);
  // kvm_init_cpu_signals: SIG_IPI → kvm_ipi_signal → kvm_cpu_kick(current_cpu) → immediate_exit = 1.
  sim.setSignalHandler(self, SIG_IPI, (t) => {
    if (t.data instanceof CpuState && t.data.vcpuFd >= 0) q.kvm.vcpuOf(t.data.vcpuFd).run.immediate_exit = 1;
  });
  // cpu_thread_signal_created
  cpu.created = true;
  sim.condSignal(q.qemuCpuCond);
  if (q.options.loopOrder === 'events-then-exec') {
    do {
      yield* qemuProcessCpuEvents(q, cpu);
      if (cpuCanRun(q, cpu)) yield* kvmCpuExec(q, cpu);
    } while (!cpu.unplug || cpuCanRun(q, cpu));
  } else {
    do {
      if (cpuCanRun(q, cpu)) yield* kvmCpuExec(q, cpu);
      yield* qemuWaitIoEvent(q, cpu);
    } while (!cpu.unplug || cpuCanRun(q, cpu));
  }
  bqlUnlock(q);
}

/** kvm_init_vcpu + kvm_arch_init_vcpu: KVM_CREATE_VCPU, KVM_ARM_VCPU_INIT, read MPIDR (KVM's value wins). */
function* kvmInitVcpu(q: Qemu, cpu: CpuState): Proc {
  // kvm_create_vcpu first looks for a parked vCPU of this index (created at machine init by RFC patch 5).
  if (cpu.vcpuFd < 0) {
    const created = yield* q.kvm.ioctl(q.vmFd, 'KVM_CREATE_VCPU', cpu.index);
    if (created < 0) q.abort(`kvm_init_vcpu: kvm_create_vcpu failed (${errnoName(created)})`);
    cpu.vcpuFd = created;
  }
  const fd = cpu.vcpuFd;
  const r = yield* q.kvm.ioctl(fd, 'KVM_ARM_VCPU_INIT', { powerOff: cpu.startPoweredOff });
  if (r < 0) q.abort(`kvm_arch_init_vcpu: KVM_ARM_VCPU_INIT failed (${errnoName(r)})`);
  const mpidr = { value: 0n };
  yield* q.kvm.ioctl(fd, 'KVM_GET_ONE_REG', { id: KVM_REG_MPIDR_EL1, addr: mpidr });
  cpu.mpAffinity = mpidrHwid(mpidr.value);
}

/** [QB] qemu_process_cpu_events: clear exit_request, idle-wait on halt_cond, then the common part. */
export function* qemuProcessCpuEvents(q: Qemu, cpu: CpuState): Proc {
  cpu.exitRequest = false;
  while (cpuThreadIsIdle(q, cpu)) yield* condWaitBql(q, cpu.haltCond);
  yield* qemuProcessCpuEventsCommon(q, cpu);
}

/** [QS] qemu_wait_io_event: the same idle wait and common part (exit_request is cleared in kvm_cpu_exec). */
export function* qemuWaitIoEvent(q: Qemu, cpu: CpuState): Proc {
  while (cpuThreadIsIdle(q, cpu)) yield* condWaitBql(q, cpu.haltCond);
  yield* qemuProcessCpuEventsCommon(q, cpu);
}

/**
 * qemu_process_cpu_events_common: clear thread_kicked; if asked to stop, stop (and wake pausers); then run
 * queued work with the BQL held — so a thread that has just marked itself stopped still runs its work items,
 * which is what lets pause_all_vcpus nest (qemu.md §7.2).
 */
// A plain function handing back the generator(s) left to run rather than one of its own: it is entered on
// every pass of a vCPU's loop. Both callers yield* it at once, so thread_kicked is cleared where it was.
export function qemuProcessCpuEventsCommon(q: Qemu, cpu: CpuState): OpCall {
  cpu.threadKicked = false;
  if (cpu.stop) return stopThenProcessQueuedCpuWork(q, cpu);
  return processQueuedCpuWork(q, cpu);
}

/** qemuProcessCpuEventsCommon's tail when a stop was requested: stop, then run the queued work. */
function* stopThenProcessQueuedCpuWork(q: Qemu, cpu: CpuState): Proc {
  yield* qemuCpuStop(q, cpu, false);
  yield* processQueuedCpuWork(q, cpu);
}

/** kvm_cpu_exec: drop the BQL, run KVM_RUN until an exit needs the loop, re-take the BQL. */
export function* kvmCpuExec(q: Qemu, cpu: CpuState): Proc<number> {
  const { sim, kvm } = q;
  const run = kvm.vcpuOf(cpu.vcpuFd).run;
  bqlUnlock(q);
  cpu.running = true; // cpu_exec_start
  let ret = 0;
  do {
    if (cpu.vcpuDirty) {
      const r = yield* kvmArchPutRegisters(q, cpu);
      if (r < 0) {
        emitQemuEvent(sim, 'qemu-error', { message: `kvm_arch_put_registers failed: ${errnoName(r)}` });
        ret = -1;
        break;
      }
      cpu.vcpuDirty = false;
    }
    // kvm_cpu_kick_self with KVM_CAP_IMMEDIATE_EXIT
    if (cpu.exitRequest) run.immediate_exit = 1;
    q.hazards.checkGuestEntry(cpu);
    const runRet = yield* kvm.ioctl(cpu.vcpuFd, 'KVM_RUN', undefined);
    yield* sim.sleep(sim.resolve(q.costs.userspaceExitNs), 'qemu-exit');
    if (runRet < 0) {
      if (runRet === -EINTR || runRet === -EAGAIN) {
        // kvm_eat_signals with immediate_exit: just clear it.
        run.immediate_exit = 0;
        ret = EXCP_INTERRUPT;
        break;
      }
      emitQemuEvent(sim, 'qemu-error', { message: `error: kvm run failed ${errnoName(runRet)}` });
      ret = -1;
      break;
    }
    ret = yield* dispatchExit(q, cpu);
  } while (ret === 0);
  cpu.running = false; // cpu_exec_end
  yield* bqlLock(q);
  if (ret < 0) yield* vmStop(q, 'internal-error');
  if (q.options.loopOrder === 'exec-then-events') cpu.exitRequest = false;
  return ret;
}

function* dispatchExit(q: Qemu, cpu: CpuState): Proc<number> {
  const run = q.kvm.vcpuOf(cpu.vcpuFd).run;
  if (run.exit_reason === KVM_EXIT_SYSTEM_EVENT) {
    // kvm_cpu_exec, without the BQL: SHUTDOWN and RESET are requests and leave the loop (EXCP_INTERRUPT);
    // CRASH syncs the state, reports the panic and keeps running (ret 0; the panic action is not
    // modelled); any other type goes to kvm_arch_handle_exit.
    switch (run.system_event.type) {
      case KVM_SYSTEM_EVENT_SHUTDOWN:
        qemuSystemShutdownRequest(q, 'guest-shutdown');
        return EXCP_INTERRUPT;
      case KVM_SYSTEM_EVENT_RESET:
        yield* qemuSystemResetRequest(q, 'guest-reset');
        return EXCP_INTERRUPT;
      case KVM_SYSTEM_EVENT_CRASH:
        yield* kvmCpuSynchronizeState(q, cpu);
        emitQemuEvent(q.sim, 'guest-panicked', { cpu: cpu.index });
        return 0;
      default:
        break;
    }
  }
  if (q.arch.handleExit === undefined) {
    emitQemuEvent(q.sim, 'unhandled-exit', { cpu: cpu.index, reason: run.exit_reason });
    return 0;
  }
  return yield* q.arch.handleExit(q, cpu, run);
}

// ------------------------------------------------------------------------------------------------------
// Register synchronisation (target/arm/kvm.c)

// Built once per index and process: a register sync asks for every id, one KVM_{GET,SET}_ONE_REG each.
const REG_IDS: bigint[] = [];

function regId(i: number): bigint {
  return (REG_IDS[i] ??= i === 0 ? KVM_REG_ARM_CORE_PC : coreRegX(i - 1));
}

/** kvm_arch_put_registers: core registers, then kvm_arm_sync_mpstate_to_kvm. Each is a vCPU ioctl. */
export function* kvmArchPutRegisters(q: Qemu, cpu: CpuState): Proc<number> {
  for (let i = 0; i < q.options.syncRegisterCount; i++) {
    const value = i === 0 ? cpu.env.pc : (cpu.env.xregs[i - 1] ?? 0n);
    const r = yield* q.kvm.ioctl(cpu.vcpuFd, 'KVM_SET_ONE_REG', { id: regId(i), addr: { value } });
    if (r < 0) return r;
  }
  const mp = cpu.powerState === PSCI_OFF ? KVM_MP_STATE_STOPPED : KVM_MP_STATE_RUNNABLE;
  return yield* q.kvm.ioctl(cpu.vcpuFd, 'KVM_SET_MP_STATE', { mp_state: mp });
}

/** kvm_arch_get_registers: core registers, then kvm_arm_sync_mpstate_to_qemu. */
export function* kvmArchGetRegisters(q: Qemu, cpu: CpuState): Proc<number> {
  const r0 = yield* readCoreRegisters(q, cpu);
  if (r0 < 0) return r0;
  const mp = { mp_state: 0 };
  const r = yield* q.kvm.ioctl(cpu.vcpuFd, 'KVM_GET_MP_STATE', mp);
  if (r < 0) return r;
  cpu.powerState = mp.mp_state === KVM_MP_STATE_STOPPED ? PSCI_OFF : PSCI_ON;
  return 0;
}

/** The register list into env (write_kvmstate_to_list + write_list_to_cpustate): no MP state. */
export function* readCoreRegisters(q: Qemu, cpu: CpuState): Proc<number> {
  for (let i = 0; i < q.options.syncRegisterCount; i++) {
    const buf = { value: 0n };
    const r = yield* q.kvm.ioctl(cpu.vcpuFd, 'KVM_GET_ONE_REG', { id: regId(i), addr: buf });
    if (r < 0) return r;
    if (i === 0) cpu.env.pc = buf.value;
    else cpu.env.xregs[i - 1] = buf.value;
  }
  return 0;
}

/** kvm_cpu_synchronize_state: fetch the vCPU's registers on its own thread unless QEMU's copy is newer. */
export function* kvmCpuSynchronizeState(q: Qemu, cpu: CpuState): Proc {
  if (cpu.vcpuDirty) return;
  // do_kvm_cpu_synchronize_state re-checks vcpu_dirty on the vCPU's thread; a failed get is reported and
  // stops the VM (vm_stop(RUN_STATE_INTERNAL_ERROR)) instead of aborting, and the copy is marked dirty anyway.
  yield* runOnCpu(q, cpu, 'do_kvm_cpu_synchronize_state', function* (c) {
    if (c.vcpuDirty) return;
    const r = yield* kvmArchGetRegisters(q, c);
    if (r < 0) {
      emitQemuEvent(q.sim, 'qemu-error', { message: `Failed to get registers: ${errnoName(r)}` });
      yield* vmStop(q, 'internal-error');
    }
    c.vcpuDirty = true;
  });
}

/** kvm_cpu_synchronize_post_reset / post_init: push QEMU's state into KVM on the vCPU's thread. */
export function* kvmCpuSynchronizePost(q: Qemu, cpu: CpuState, what: 'post_reset' | 'post_init'): Proc {
  yield* runOnCpu(q, cpu, `do_kvm_cpu_synchronize_${what}`, function* (c) {
    const r = yield* kvmArchPutRegisters(q, c);
    if (r < 0) q.abort(`kvm_arch_put_registers failed: ${errnoName(r)}`);
    c.vcpuDirty = false;
  });
}
