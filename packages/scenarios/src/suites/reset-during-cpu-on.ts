import { qemuSystemResetRequest } from '@vgicsim/qemu-arm-model';
import { intParam } from '../scenario/params.js';
import type { Suite } from '../scenario/types.js';
import { buildLinuxVm, qmpAt, spawnManager, waitFor } from './common.js';
import { OVERLAP_DEADLINE_NS, injectParams, injectionOffsetNs, waitOrFail } from './overlap-common.js';

export const RESET_DURING_CPU_ON: Suite = {
  name: 'reset-during-cpu-on',
  summary: 'QMP system_reset lands while the boot CPU’s CPU_ONs are in flight',
  description:
    'The management client resets the VM (QMP system_reset) at a point of the first boot’s secondary bring-up: ' +
    'the main loop’s pause_all_vcpus, qemu_system_reset and resume_all_vcpus meet CPU_ON work items that are ' +
    'queued or running on their targets — and, for a design that pauses from a vCPU thread on a cache miss, a ' +
    'second pauser. The guest then boots again and powers off.',
  params: {
    vcpus: { type: 'int', default: 3, min: 2, max: 512, description: 'vCPUs' },
    ...injectParams('after vm_start; the secondaries’ CPU_ONs run in about the first 60 µs per vCPU', 200),
  },
  build(ctx) {
    const n = intParam(ctx.params, 'vcpus');
    const { vm, mem } = buildLinuxVm(ctx, { smp: n }, 'linux');
    spawnManager(ctx, 'management', function* () {
      yield* waitFor(ctx, () => vm.q.runstate === 'running', 1_000);
      const at = ctx.sim.now + injectionOffsetNs(ctx);
      qmpAt(vm.q, at, 'system_reset', function* (q) {
        // The guest's next entry at its reset vector is a new boot (the model's guest reads this from RAM).
        mem.rebootRequested = true;
        yield* qemuSystemResetRequest(q, 'host-qmp-system-reset');
      });
      const booted = (): boolean => ctx.sim.now > at && mem.bootsCompleted >= 1 && !mem.rebootRequested;
      yield* waitOrFail(ctx, mem, booted, at + OVERLAP_DEADLINE_NS, 'the guest did not boot again after system_reset');
      mem.tasks.push({ kind: 'poweroff' });
    });
    return { vms: [vm], mem };
  },
};
