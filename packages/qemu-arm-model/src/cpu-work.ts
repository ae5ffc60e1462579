// cpus-common.c / cpu-common.c work queues: run_on_cpu, async_run_on_cpu and process_queued_cpu_work
// (qemu.md §5.8). A work item runs on the target's own thread with the BQL held.
import type { Proc } from '@vgicsim/kvm-sim';
import type { CpuState, WorkItem } from './cpu-state.js';
import { condWaitBql, cpuExit, qemuCpuKick } from './cpus.js';
import type { Qemu } from './qemu.js';
import { emitQemuEvent } from './trace-vocabulary.js';

/** queue_work_on_cpu: append under work_mutex, then [QB] cpu_exit / [QS] qemu_cpu_kick. */
export function* queueWorkOnCpu(q: Qemu, cpu: CpuState, item: WorkItem): Proc {
  const sim = q.sim;
  yield* sim.lock(cpu.workMutex);
  cpu.workList.push(item);
  item.done = false;
  sim.unlock(cpu.workMutex);
  emitQemuEvent(sim, 'queue-work', { cpu: cpu.index, work: item.label });
  if (q.options.loopOrder === 'events-then-exec') yield* cpuExit(q, cpu);
  else yield* qemuCpuKick(q, cpu);
}

/**
 * run_on_cpu (do_run_on_cpu with the BQL): on self, a direct call; otherwise queue and wait on
 * qemu_work_cond, releasing the BQL while waiting.
 */
export function* runOnCpu(q: Qemu, cpu: CpuState, label: string, fn: (cpu: CpuState) => Proc): Proc {
  if (q.qemuCpuIsSelf(cpu)) {
    yield* fn(cpu);
    return;
  }
  q.assertBql('run_on_cpu');
  const item: WorkItem = { label, fn, free: false, done: false };
  yield* queueWorkOnCpu(q, cpu, item);
  while (!item.done) yield* condWaitBql(q, q.qemuWorkCond);
}

/** async_run_on_cpu: queue a freed-after-use item, kick, return at once. */
// Hands back queueWorkOnCpu's generator (a pure tail call); both callers yield* it at once.
export function asyncRunOnCpu(q: Qemu, cpu: CpuState, label: string, fn: (cpu: CpuState) => Proc): Proc {
  return queueWorkOnCpu(q, cpu, { label, fn, free: true, done: false });
}

/**
 * process_queued_cpu_work: called by the vCPU thread itself with the BQL held. Items queued while an
 * item runs (during a BQL-releasing wait inside it) are processed in the same loop; one broadcast of
 * qemu_work_cond at the end.
 */
export function* processQueuedCpuWork(q: Qemu, cpu: CpuState): Proc {
  const sim = q.sim;
  yield* sim.lock(cpu.workMutex);
  if (cpu.workList.length === 0) {
    sim.unlock(cpu.workMutex);
    return;
  }
  while (cpu.workList.length > 0) {
    const item = cpu.workList.shift() as WorkItem;
    sim.unlock(cpu.workMutex);
    q.assertBql('process_queued_cpu_work');
    emitQemuEvent(sim, 'work-begin', { cpu: cpu.index, work: item.label });
    yield* item.fn(cpu);
    emitQemuEvent(sim, 'work-end', { cpu: cpu.index, work: item.label });
    yield* sim.lock(cpu.workMutex);
    if (!item.free) item.done = true;
  }
  sim.unlock(cpu.workMutex);
  sim.condBroadcast(q.qemuWorkCond);
}
