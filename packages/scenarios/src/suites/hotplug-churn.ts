import { intParam } from '../scenario/params.js';
import type { Suite } from '../scenario/types.js';
import { buildLinuxVm, scenarioPrng } from './common.js';

export const HOTPLUG_CHURN: Suite = {
  name: 'hotplug-churn',
  summary: 'after boot, H CPU_OFF/CPU_ON cycles on secondaries chosen by the seed',
  description:
    'Long-lived guests offline and online CPUs (power management, container CPU sets): each cycle is a ' +
    'CPU_OFF from the CPU itself and a CPU_ON from vCPU 0, and each CPU_ON resets the target in QEMU. A design ' +
    'that pauses per reset pays H VM-wide pauses; a caching one pays none after the first.',
  params: {
    vcpus: { type: 'int', default: 8, min: 2, max: 512, description: 'vCPUs' },
    cycles: { type: 'int', default: 200, min: 0, max: 1_000_000, description: 'CPU_OFF/CPU_ON cycles after boot' },
  },
  build(ctx) {
    const n = intParam(ctx.params, 'vcpus');
    const h = intParam(ctx.params, 'cycles');
    const { vm, mem } = buildLinuxVm(ctx, { smp: n }, 'linux');
    const prng = scenarioPrng(ctx.seed, 1);
    for (let i = 0; i < h; i++) mem.tasks.push({ kind: 'cycle', cpu: 1 + prng.nextInt(n - 1) });
    mem.tasks.push({ kind: 'poweroff' });
    return { vms: [vm], mem };
  },
};
