// RFC V6 patches 13, 17 and 22: `device_set` changes a CPU's administrative power state at run time
// (qemu.md §6.2–§6.3). Enabling a never-realized CPU realizes it lazily on the main thread (its cpu_reset
// runs arm_gicv3_icc_reset while the VM runs); disabling parks its thread in userspace.
import type { Proc } from '@vgicsim/kvm-sim';
import type { CpuState } from '../cpu-state.js';
import { cpuPause, cpuResume } from '../cpus.js';
import { cpuListAdd, cpuListRemove, realizeCpu } from '../machine.js';
import type { Qemu } from '../qemu.js';
import { kvmCpuSynchronizePost } from '../vcpu-thread.js';
import type { ArmVirt } from './virt.js';
import { emitQemuEvent } from '../trace-vocabulary.js';

export class DeviceSetError extends Error {
  override readonly name = 'DeviceSetError';
}

function cpuOf(q: Qemu, index: number): CpuState {
  const cpu = q.cpuByIndex(index);
  if (cpu === undefined) throw new DeviceSetError(`device_set: no possible CPU ${index} (0..${q.allCpus.length - 1})`);
  return cpu;
}

/**
 * device_set admin-state=enable (device_set_admin_power_state → virt_cpu_pre_poweron): the state becomes
 * ENABLED first; a never-realized CPU is realized lazily, a parked one is unparked (cpu_list_add,
 * cpu_resume). Then the GIC CPU interface becomes accessible. The guest still has to CPU_ON it.
 *
 * Lazy realization as posted (`lazyRealizeResume: 'as-posted'`): patch 5 created the CPU object inside
 * machvirt_init, so dev->hotplugged is 0, and patch 17 only calls qdev_realize; arm_cpu_realizefn runs
 * qemu_init_vcpu (stopped = true) and cpu_reset, and cpu_common_realizefn skips cpu_synchronize_post_init
 * and cpu_resume for a non-hotplugged device. The thread therefore keeps stopped = true: a later CPU_ON's
 * work item runs (queued work wakes an idle thread), but cpu_can_run stays false until some
 * resume_all_vcpus clears `stopped` — e.g. the one inside a pausing ICC reset, or the next vm_start or
 * system reset. `'hotplugged'` is the counterfactual where realize behaves as for a hotplugged device.
 */
export function* deviceSetEnable(q: Qemu, board: ArmVirt, index: number): Proc {
  q.assertBql('device_set');
  const cpu = cpuOf(q, index);
  if (!board.isAdminDisabled(cpu)) return;
  board.adminDisabled.delete(cpu);
  emitQemuEvent(q.sim, 'device-set', { cpu: index, state: 'enabled', lazy: cpu.thread === null });
  if (cpu.thread === null) {
    yield* board.withResetTrigger('device-set', () => realizeCpu(q, cpu));
    q.resetCpus.push(cpu);
    // cpu_common_realizefn: only `if (dev->hotplugged)` syncs post_init and resumes.
    if (board.options.lazyRealizeResume === 'hotplugged') {
      yield* kvmCpuSynchronizePost(q, cpu, 'post_init');
      yield* cpuResume(q, cpu);
    }
  } else {
    cpuListAdd(q, cpu);
    cpu.parked = false;
    yield* cpuResume(q, cpu);
  }
  const c = board.gic.cpus.find((x) => x.cpu === cpu);
  if (c !== undefined) c.giccAccessible = true;
}

/**
 * device_set admin-state=disable with graceful power-off: the ACPI eject request goes to the guest and the
 * state is DISABLED at once (CPU_ON to it is now DENIED); the CPU is parked when the guest ejects it.
 */
export function* deviceSetDisable(q: Qemu, board: ArmVirt, index: number): Proc {
  q.assertBql('device_set');
  const cpu = cpuOf(q, index);
  if (cpu.index === 0) throw new DeviceSetError('device_set: the boot CPU cannot be disabled');
  if (board.isAdminDisabled(cpu)) return;
  board.adminDisabled.add(cpu);
  emitQemuEvent(q.sim, 'device-set', { cpu: index, state: 'disabled' });
  yield* q.sim.schedPoint();
}

/**
 * virt_cpu_post_poweroff, after the guest has offlined the CPU and run _EJ0: the interface becomes
 * inaccessible and the thread is parked in userspace — out of cpus_queue, then cpu_pause from the main
 * thread, so it leaves KVM_RUN and idles on halt_cond with its vcpu->mutex free.
 */
export function* cpuEjected(q: Qemu, board: ArmVirt, index: number): Proc {
  q.assertBql('virt_cpu_post_poweroff');
  const cpu = cpuOf(q, index);
  const c = board.gic.cpus.find((x) => x.cpu === cpu);
  if (c !== undefined) c.giccAccessible = false;
  cpuListRemove(q, cpu);
  cpu.parked = true;
  emitQemuEvent(q.sim, 'cpu-parked', { cpu: index });
  yield* cpuPause(q, cpu);
}
