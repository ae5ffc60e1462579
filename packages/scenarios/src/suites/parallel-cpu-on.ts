import { intParam } from '../scenario/params.js';
import type { Suite } from '../scenario/types.js';
import { buildLinuxVm } from './common.js';

export const PARALLEL_CPU_ON: Suite = {
  name: 'parallel-cpu-on',
  summary: 'the boot CPU issues CPU_ON to every secondary without waiting, then waits for all',
  description:
    'Legal PSCI that some firmware and non-Linux guests use: several CPU_ON work items run on their targets at ' +
    'once, so a design that pauses from the target thread can have two threads inside pause_all_vcpus together ' +
    '— the nested-pause hazard that strands a pauser (a hang) or aborts QEMU.',
  params: { vcpus: { type: 'int', default: 4, min: 2, max: 512, description: 'vCPUs' } },
  build(ctx) {
    const n = intParam(ctx.params, 'vcpus');
    const { vm, mem } = buildLinuxVm(ctx, { smp: n, bringup: 'parallel' }, 'parallel-bringup');
    mem.tasks.push({ kind: 'poweroff' });
    return { vms: [vm], mem };
  },
};
