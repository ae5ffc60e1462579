// Machine creation and the main thread (hw/core/machine.c qdev_machine_creation_done, system/cpus.c
// qemu_init_vcpu, system/main.c + system/runstate.c main loop; qemu.md §5.10–§5.11).
import { mpidrHwid } from '@vgicsim/gicv3-regs';
import { KVM_REG_MPIDR_EL1, type Proc, type SimThread } from '@vgicsim/kvm-sim';
import { CpuState } from './cpu-state.js';
import { bqlLock, bqlUnlock, condWaitBql, pauseAllVcpus, resumeAllVcpus } from './cpus.js';
import type { Qemu } from './qemu.js';
import { cpuReset, qemuSystemReset } from './reset.js';
import { vmStart, vmStop } from './runstate.js';
import { kvmCpuSynchronizePost, kvmVcpuThreadFn } from './vcpu-thread.js';
import { emitQemuEvent } from './trace-vocabulary.js';

export interface MachineConfig {
  /** vCPUs created and realized at start-up. */
  readonly smp: number;
  /**
   * Possible vCPUs (RFC V6 `-smp disabledcpus=`): indices smp..possibleCpus-1 start admin-disabled, their
   * KVM vCPUs created and parked at machine init with no QEMU thread (patch 5), realized lazily by device_set.
   */
  readonly possibleCpus?: number;
  /** Which start powered off (virt with PSCI: every secondary). */
  readonly startPoweredOff?: (index: number) => boolean;
  /** `-incoming`: the runstate is INMIGRATE from the start and vm_start waits for the migration. */
  readonly incoming?: boolean;
}

/** qemu_init_vcpu: stopped = true before the thread exists; wait until it has created its vCPU. */
export function* qemuInitVcpu(q: Qemu, cpu: CpuState): Proc {
  cpu.stopped = true;
  cpu.thread = q.sim.spawn(q.options.threadPrefix + cpu.name, () => kvmVcpuThreadFn(q, cpu), { daemon: true, data: cpu });
  while (!cpu.created) yield* condWaitBql(q, q.qemuCpuCond);
}

/** cpu_list_add: join cpus_queue (what CPU_FOREACH, pause_all_vcpus and resume_all_vcpus see). */
export function cpuListAdd(q: Qemu, cpu: CpuState): void {
  if (q.cpus.includes(cpu)) return;
  // The list is kept in index order: insert after every CPU of lower or equal index, which is where
  // push-then-stable-sort put it, without sorting the whole list once per CPU (quadratic at 512).
  let i = q.cpus.length;
  while (i > 0 && (q.cpus[i - 1] as CpuState).index > cpu.index) i--;
  q.cpus.splice(i, 0, cpu);
}

/** cpu_list_remove. */
export function cpuListRemove(q: Qemu, cpu: CpuState): void {
  const i = q.cpus.indexOf(cpu);
  if (i >= 0) q.cpus.splice(i, 1);
}

/** Realize one Arm CPU: cpu_list_add, qemu_init_vcpu, then cpu_reset (arm_cpu_realizefn order). */
export function* realizeCpu(q: Qemu, cpu: CpuState): Proc {
  cpuListAdd(q, cpu);
  yield* qemuInitVcpu(q, cpu);
  metricsHook(q, cpu);
  yield* cpuReset(q, cpu);
}

function metricsHook(q: Qemu, cpu: CpuState): void {
  cpu.onStoppedChange = (c, stopped) => {
    q.metrics.onStopped(c, stopped);
  };
}

/**
 * Machine creation on the main thread with the BQL held: the VM, kvm_arch_init, every CPU, the board's
 * devices, qdev_machine_creation_done (post_init sync, the initial qemu_system_reset), then vm_start.
 */
export function* createMachine(q: Qemu, config: MachineConfig): Proc {
  q.assertBql('qemu_init');
  if (config.incoming === true) q.runstateSet('inmigrate');
  q.vmFd = q.kvm.createVm();
  if (q.arch.kvmArchInit !== undefined) yield* q.arch.kvmArchInit(q);
  const possible = Math.max(config.smp, config.possibleCpus ?? config.smp);
  for (let i = 0; i < possible; i++) {
    const cpu = new CpuState(i);
    cpu.startPoweredOff = config.startPoweredOff?.(i) ?? i !== 0;
    q.allCpus.push(cpu);
    if (i < config.smp) {
      yield* realizeCpu(q, cpu);
      q.resetCpus.push(cpu);
    } else {
      yield* kvmArmCreateHostVcpu(q, cpu);
      q.arch.onDisabledCpu?.(q, cpu);
    }
  }
  if (q.arch.realizeDevices !== undefined) yield* q.arch.realizeDevices(q);
  for (const cpu of [...q.cpus]) yield* kvmCpuSynchronizePost(q, cpu, 'post_init');
  yield* qemuSystemReset(q, 'none');
  if (config.incoming !== true) yield* vmStart(q);
}

/**
 * RFC patch 5 kvm_arm_create_host_vcpu: KVM vCPU created, initialised and parked at machine init, with no
 * QEMU thread, so that CTRL_INIT (which refuses later vCPU creation) sees every possible vCPU.
 */
export function* kvmArmCreateHostVcpu(q: Qemu, cpu: CpuState): Proc {
  const fd = yield* q.kvm.ioctl(q.vmFd, 'KVM_CREATE_VCPU', cpu.index);
  if (fd < 0) q.abort(`kvm_arm_create_host_vcpu: kvm_create_vcpu failed (${fd})`);
  cpu.vcpuFd = fd;
  yield* q.kvm.ioctl(fd, 'KVM_ARM_VCPU_INIT', { powerOff: true });
  const mpidr = { value: 0n };
  yield* q.kvm.ioctl(fd, 'KVM_GET_ONE_REG', { id: KVM_REG_MPIDR_EL1, addr: mpidr });
  cpu.mpAffinity = mpidrHwid(mpidr.value);
}

/**
 * The main thread: create the machine, then serve requests until a shutdown request. The main loop
 * polls with the BQL released (os_host_main_loop_wait).
 */
export function spawnQemuMain(q: Qemu, config: MachineConfig, options: { delayNs?: number } = {}): SimThread {
  const t = q.sim.spawn(`${q.options.threadPrefix}main`, function* () {
    yield* bqlLock(q);
    yield* createMachine(q, config);
    yield* mainLoop(q);
    bqlUnlock(q);
  }, options.delayNs === undefined ? {} : { delayNs: options.delayNs });
  q.mainThread = t;
  return t;
}

export function* mainLoop(q: Qemu): Proc {
  const sim = q.sim;
  for (;;) {
    if (yield* mainLoopShouldExit(q)) return;
    const next = q.commands.reduce((m, c) => Math.min(m, c.at), Number.POSITIVE_INFINITY);
    if (next > sim.now) {
      bqlUnlock(q);
      // qemu_notify_event is an eventfd write: sticky. A command scheduled between computing `next` and
      // sleeping must not be lost, so a due command ends the wait as a pending request does.
      yield* sim.block(q.mainLoopEvents, {
        until: () => hasRequest(q) || q.commands.some((c) => c.at <= sim.now),
        ...(Number.isFinite(next) ? { timeoutNs: next - sim.now } : {}),
      });
      yield* bqlLock(q);
    }
    const due = q.commands.filter((c) => c.at <= sim.now).sort((a, b) => a.at - b.at);
    for (const c of due) {
      q.commands.splice(q.commands.indexOf(c), 1);
      emitQemuEvent(sim, 'qmp-command', { command: c.label });
      yield* c.run(q);
    }
  }
}

function hasRequest(q: Qemu): boolean {
  // With 1bd71dce4b alone, requests are ignored in finish-migrate: they wait for the next wake-up.
  if (q.fixed('1bd71dce4b') && !q.fixed('ddad81bd28') && q.runstate === 'finish-migrate') return false;
  return q.resetRequested !== null || q.shutdownRequested !== null || q.vmstopRequested !== null;
}

/** main_loop_should_exit, the arms the model needs: shutdown, reset, vmstop. */
function* mainLoopShouldExit(q: Qemu): Proc<boolean> {
  // 1bd71dce4b without ddad81bd28: ignore every request while the migration finishes.
  if (q.fixed('1bd71dce4b') && !q.fixed('ddad81bd28') && q.runstate === 'finish-migrate') return false;
  if (q.shutdownRequested !== null) return true;
  const reason = q.resetRequested;
  if (reason !== null) {
    q.resetRequested = null;
    // The runstate stays RUNNING across this: resume_all_vcpus's guard gives no protection here.
    yield* pauseAllVcpus(q);
    yield* qemuSystemReset(q, reason);
    yield* resumeAllVcpus(q);
    // ddad81bd28: "runstate can change in pause_all_vcpus() as iothread mutex is unlocked", so
    // finish-migrate is checked here, after the pause; before it, a reset set prelaunch under the migration.
    const keep = q.runstate === 'running' || q.runstate === 'inmigrate' || (q.fixed('ddad81bd28') && q.runstate === 'finish-migrate');
    if (!keep) q.runstateSet('prelaunch');
  }
  const stopState = q.vmstopRequested;
  if (stopState !== null) {
    q.vmstopRequested = null;
    yield* vmStop(q, stopState);
  }
  return false;
}

/** Schedule a management command (QMP) for the main loop at virtual time `at`. */
export function scheduleCommand(q: Qemu, at: number, label: string, run: (q: Qemu) => Proc): void {
  q.commands.push({ at, label, run });
  q.notifyEvent();
}

/** QMP `stop` → vm_stop(RUN_STATE_PAUSED). */
export function* qmpStop(q: Qemu): Proc {
  yield* vmStop(q, 'paused');
}

/**
 * qmp_cont: refused (a QMP error reply, no state change) when the VM needs a reset (internal-error,
 * shutdown), while a migration finishes (finish-migrate) or in a COLO checkpoint; a no-op when suspended;
 * in inmigrate it only sets autostart (which the model's incoming VM always has); else vm_start.
 */
export function* qmpCont(q: Qemu): Proc {
  const refused =
    q.runstate === 'internal-error' || q.runstate === 'shutdown'
      ? 'Resetting the Virtual Machine is required'
      : q.runstate === 'finish-migrate'
        ? 'Migration is not finalized yet'
        : q.runstate === 'colo'
          ? 'COLO checkpoint in progress'
          : null;
  if (refused !== null) {
    emitQemuEvent(q.sim, 'qmp-error', { command: 'cont', message: refused });
    return;
  }
  if (q.runstate === 'suspended' || q.runstate === 'inmigrate') return;
  yield* vmStart(q);
}

/** Ask the main loop to exit (the end of a scenario): the main thread returns and the run ends. */
export function requestQuit(q: Qemu): void {
  q.shutdownRequested = 'host-signal';
  q.notifyEvent();
}
