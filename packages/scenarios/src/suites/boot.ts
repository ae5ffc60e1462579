import { intParam } from '../scenario/params.js';
import type { Suite } from '../scenario/types.js';
import { buildLinuxVm } from './common.js';

export const BOOT: Suite = {
  name: 'boot',
  summary: 'N vCPUs boot a Linux-like guest, secondaries one at a time',
  description:
    'vCPU 0 boots and brings each secondary online with FN64 CPU_ON, waiting for it, as Linux does; every CPU ' +
    'runs the GIC driver init. Each first CPU_ON resets its target in QEMU: this counts the VM-wide pauses a ' +
    'design pays for a boot and shows whether it aborts.',
  params: { vcpus: { type: 'int', default: 8, min: 1, max: 512, description: 'vCPUs' } },
  build(ctx) {
    const n = intParam(ctx.params, 'vcpus');
    const { vm, mem } = buildLinuxVm(ctx, { smp: n }, 'linux');
    mem.tasks.push({ kind: 'poweroff' });
    return { vms: [vm], mem };
  },
};
