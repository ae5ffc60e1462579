// system/cpus.c: the BQL, kicks, stop/pause/resume of one CPU, and pause_all_vcpus/resume_all_vcpus
// exactly as upstream has them (qemu.md §5.1, §5.4–§5.7) — including the hazards: no owner tracking, no
// nesting protection, the stop flags are not re-asserted in the wait loop, and resume_all_vcpus resumes
// every CPU in the list.
import { type CondVar, HashedString, NO_OP, type OpCall, type Proc, SimModelError } from '@vgicsim/kvm-sim';
import type { CpuState } from './cpu-state.js';
import { type Qemu, SIG_IPI } from './qemu.js';
import { type QemuEventPayloads, emitQemuEvent } from './trace-vocabulary.js';

// ------------------------------------------------------------------------------------------------------
// The BQL (system/cpus.c bql_lock / bql_unlock)

// bqlLock and condWaitBql hand back the kernel op's own call object instead of wrapping it in a generator
// of their own: every step of a thread resumes each generator of its yield* chain, and these sit in the
// hottest chains (a vCPU's idle wait, a pauser's wait). Callers yield* them at once, so the assertion still
// fires where it did.
export function bqlLock(q: Qemu): OpCall<boolean> {
  if (q.bqlLocked()) throw new SimModelError("bql_lock: assertion '!bql_locked()' failed");
  return q.sim.lock(q.bql);
}

export function bqlUnlock(q: Qemu): void {
  q.assertBql('bql_unlock');
  q.sim.unlock(q.bql);
}

/** qemu_cond_wait(cond, &bql): releases the BQL while waiting and re-takes it before returning. */
export function condWaitBql(q: Qemu, cond: CondVar): OpCall {
  return q.sim.condWait(cond, q.bql);
}

// ------------------------------------------------------------------------------------------------------
// Predicates (qemu.md §5.4)

/** cpu_is_stopped(): stopped, not RUNNING, or (RFC patch 17) parked. */
export function cpuIsStopped(q: Qemu, cpu: CpuState): boolean {
  return cpu.stopped || !q.runstateIsRunning() || cpu.parked;
}

export function cpuWorkListEmpty(cpu: CpuState): boolean {
  return cpu.workList.length === 0;
}

/** cpu_thread_is_idle(). On Arm a halted vCPU is not idle (it waits inside KVM_RUN). */
export function cpuThreadIsIdle(q: Qemu, cpu: CpuState): boolean {
  if (cpu.stop || !cpuWorkListEmpty(cpu)) return false;
  if (cpuIsStopped(q, cpu)) return true;
  // cpu_has_work() (arm_cpu_has_work) is false here: the model raises no QEMU-side interrupts.
  if (!cpu.halted) return false;
  // kvm_vcpu_thread_is_idle() = !kvm_halt_in_kernel()
  return !q.options.haltInKernel;
}

/** cpu_can_run(). */
export function cpuCanRun(q: Qemu, cpu: CpuState): boolean {
  if (cpu.stop) return false;
  if (cpuIsStopped(q, cpu)) return false;
  return true;
}

// cpu-stopped and cpu-resume with their hash words (one of each per vCPU per VM-wide pause): emitted with
// emitN, nothing is built for a hash-only trace. Their payloads are QemuEventPayloads' { cpu }.
const CPU_STOPPED = new HashedString<'cpu-stopped'>('cpu-stopped');
const CPU_RESUME = new HashedString<'cpu-resume'>('cpu-resume');
const CPU_KEY = new HashedString<keyof QemuEventPayloads['cpu-stopped']>('cpu');

/** all_vcpus_paused(): every CPU in cpus_queue has stopped == true (stop and runstate are not looked at). */
export function allVcpusPaused(q: Qemu): boolean {
  for (const cpu of q.cpus) if (!cpu.stopped) return false;
  return true;
}

// ------------------------------------------------------------------------------------------------------
// Kicks and stops (qemu.md §5.5)

/** cpus_kick_thread(): SIG_IPI unless already kicked; the sender pays for tgkill. */
export function* cpusKickThread(q: Qemu, cpu: CpuState): Proc {
  if (cpusKickThreadSignal(q, cpu)) yield* tgkillCost(q);
}

/**
 * The part of cpus_kick_thread that does not block: returns whether a SIG_IPI went out, i.e. whether the
 * sender now owes tgkill's time (tgkillCost). Split out because most kicks find thread_kicked already set
 * and need no generator at all (pause_all_vcpus re-kicks every CPU on every wake-up).
 */
function cpusKickThreadSignal(q: Qemu, cpu: CpuState): boolean {
  if (cpu.threadKicked) return false;
  cpu.threadKicked = true;
  const t = cpu.thread;
  if (t === null) return false;
  q.metrics.kicks++;
  q.sim.kill(t, SIG_IPI);
  return true;
}

/** The time the tgkill syscall of a kick costs its sender (drawn when called, i.e. after the signal). */
function tgkillCost(q: Qemu): OpCall<number> {
  return q.sim.sleep(q.sim.resolve(q.costs.tgkillNs), 'tgkill');
}

// qemuCpuKick, cpuExit, cpuPause and cpuResume do their non-blocking part and hand back what is left to
// wait for (tgkill's time, or nothing; the result means nothing) rather than wrapping it in a generator of
// their own: they sit in pause_all_vcpus's loop over every vCPU. Every caller yield*s them at once, so
// the effects happen where they did.

/** qemu_cpu_kick(): broadcast halt_cond, then signal the thread. */
export function qemuCpuKick(q: Qemu, cpu: CpuState): OpCall<unknown> {
  return qemuCpuKickSignal(q, cpu) ? tgkillCost(q) : NO_OP;
}

/** qemu_cpu_kick's non-blocking part (see cpusKickThreadSignal): true when tgkill's time is owed. */
function qemuCpuKickSignal(q: Qemu, cpu: CpuState): boolean {
  q.sim.condBroadcast(cpu.haltCond);
  return cpusKickThreadSignal(q, cpu);
}

/** cpu_exit(): [QB] exit_request + kick; [QS] only exit_request (no kick). */
export function cpuExit(q: Qemu, cpu: CpuState): OpCall<unknown> {
  cpu.exitRequest = true;
  return q.options.loopOrder === 'events-then-exec' ? qemuCpuKick(q, cpu) : NO_OP;
}

/** qemu_cpu_stop(cpu, exit): self only; marks stopped and wakes every pause_all_vcpus waiter. */
export function* qemuCpuStop(q: Qemu, cpu: CpuState, exit: boolean): Proc {
  if (!q.qemuCpuIsSelf(cpu)) throw new SimModelError(`qemu_cpu_stop: assertion 'qemu_cpu_is_self(${cpu.name})' failed`);
  cpu.stop = false;
  cpu.stopped = true;
  q.sim.emitN(CPU_STOPPED, CPU_KEY, cpu.index); // cpu-stopped { cpu }
  q.hazards.checkStoppedWhileRunning(cpu);
  if (exit) yield* cpuExit(q, cpu);
  // 96bce6831b: broadcast, so that every pause_all_vcpus waiter re-checks; before it, one waiter only.
  if (q.fixed('96bce6831b')) q.sim.condBroadcast(q.qemuPauseCond);
  else q.sim.condSignal(q.qemuPauseCond);
  q.hazards.checkLostWakeup(cpu);
}

/** cpu_stop_current(): request a stop of the calling vCPU without marking it stopped (commit 0ec7e6779f). */
export function* cpuStopCurrent(q: Qemu): Proc {
  const cpu = q.currentCpu();
  if (cpu === null) return;
  if (!q.fixed('0ec7e6779f')) {
    // Before 0ec7e6779f: qemu_cpu_stop(current_cpu, true) marks it stopped while it is still executing.
    yield* qemuCpuStop(q, cpu, true);
    return;
  }
  cpu.stop = true;
  yield* cpuExit(q, cpu);
}

/** cpu_pause(): self → stopped at once; others → stop request and exit/kick. */
export function cpuPause(q: Qemu, cpu: CpuState): OpCall<unknown> {
  if (q.qemuCpuIsSelf(cpu)) return qemuCpuStop(q, cpu, true);
  cpu.stop = true;
  return q.options.loopOrder === 'events-then-exec' ? cpuExit(q, cpu) : qemuCpuKick(q, cpu);
}

/** cpu_resume(): clears stop and stopped, kicks. It does not broadcast qemu_pause_cond. */
export function cpuResume(q: Qemu, cpu: CpuState): OpCall<unknown> {
  q.hazards.checkResume(cpu);
  cpu.stop = false;
  cpu.stopped = false;
  q.sim.emitN(CPU_RESUME, CPU_KEY, cpu.index); // cpu-resume { cpu }
  return qemuCpuKick(q, cpu);
}

// ------------------------------------------------------------------------------------------------------
// pause_all_vcpus / resume_all_vcpus (qemu.md §5.6–§5.7)

export function* pauseAllVcpus(q: Qemu): Proc {
  const sim = q.sim;
  const self = sim.self();
  q.assertBql('pause_all_vcpus');
  const rec = q.metrics.onPauseStart(self.name);
  q.insidePause.add(self);
  q.pauseDepth.set(self, (q.pauseDepth.get(self) ?? 0) + 1);
  for (const observe of q.pauseAllBeginObservers) observe(q);
  emitQemuEvent(sim, 'pause-all-begin', { vmWide: rec.vmWide });
  // qemu_clock_enable(QEMU_CLOCK_VIRTUAL, false/true) is not modelled: no timer runs on the virtual clock.
  for (const cpu of [...q.cpus]) yield* cpuPause(q, cpu);
  // replay_mutex_unlock(): a no-op outside record/replay.
  while (!allVcpusPaused(q)) {
    q.inPauseWait.add(self);
    yield* condWaitBql(q, q.qemuPauseCond);
    q.inPauseWait.delete(self);
    // "FIXME: is this needed?" — every CPU is kicked again, but `stop` is not re-asserted.
    for (const cpu of [...q.cpus]) if (qemuCpuKickSignal(q, cpu)) yield* tgkillCost(q);
  }
  rec.end = sim.now;
  // bql_unlock(); replay_mutex_lock(); bql_lock(): the window another thread may slip through.
  bqlUnlock(q);
  yield* bqlLock(q);
  q.insidePause.delete(self);
  emitQemuEvent(sim, 'pause-all-end', { latencyNs: rec.end - rec.start });
}

export function* resumeAllVcpus(q: Qemu): Proc {
  q.assertBql('resume_all_vcpus');
  const self = q.sim.self();
  // f962cac4c2: nothing is resumed unless the VM is RUNNING (before it, resume_all_vcpus always resumed).
  if (q.fixed('f962cac4c2') && !q.runstateIsRunning()) {
    const depth = q.pauseDepth.get(self) ?? 0;
    if (depth > 0) q.pauseDepth.set(self, depth - 1);
    emitQemuEvent(q.sim, 'resume-all-skipped', { runstate: q.runstate });
    return;
  }
  q.hazards.checkResumeAll();
  const depth = q.pauseDepth.get(self) ?? 0;
  if (depth > 0) q.pauseDepth.set(self, depth - 1);
  emitQemuEvent(q.sim, 'resume-all');
  for (const cpu of [...q.cpus]) yield* cpuResume(q, cpu);
  q.hazards.checkAbandonedPausers();
}

/** g_usleep(us) with Linux's timer slack; reported when the BQL is held across more than the bound. */
export function* gUsleep(q: Qemu, us: number): Proc {
  const ns = us * 1000 + q.sim.resolve(q.costs.timerSlackNs) + q.sim.resolve(q.costs.sleepWakeNs);
  if (q.bqlLocked() && ns > q.options.bqlSleepBoundNs) {
    q.hazards.report('bql-held-across-sleep', `g_usleep(${us}) sleeps ${ns} ns holding the BQL (bound ${q.options.bqlSleepBoundNs} ns)`);
  }
  yield* q.sim.sleep(ns, 'g_usleep');
}
