import { deviceSetEnable } from '@vgicsim/qemu-arm-model';
import { intParam } from '../scenario/params.js';
import type { Suite } from '../scenario/types.js';
import { buildLinuxVm, qmpAt, spawnManager, waitFor } from './common.js';
import { OVERLAP_DEADLINE_NS, injectParams, injectionOffsetNs, waitOrFail } from './overlap-common.js';

export const DEVICE_SET_DURING_REBOOT: Suite = {
  name: 'device-set-during-reboot',
  summary: 'device_set enables an admin-disabled vCPU while a guest reboot is being served',
  description:
    'The guest issues PSCI SYSTEM_RESET; around the same moment the management client enables an ' +
    'admin-disabled vCPU. The device_set realize (a cpu_reset on the main thread, with a pause on a miss for a ' +
    'caching design) runs before, between or after the main loop’s reset pause/reset/resume and the new ' +
    'boot’s CPU_ONs. The guest then onlines the new vCPU and powers off.',
  params: {
    vcpus: { type: 'int', default: 2, min: 1, max: 511, description: 'vCPUs enabled at boot' },
    ...injectParams('after the guest queued its SYSTEM_RESET; the reset and the reboot’s bring-up take about 150 µs', 300),
  },
  build(ctx) {
    const n = intParam(ctx.params, 'vcpus');
    const extra = n;
    const { vm, mem } = buildLinuxVm(ctx, { smp: n + 1, bootCpus: n }, 'linux', { possibleCpus: n + 1 });
    spawnManager(ctx, 'management', function* () {
      yield* waitFor(ctx, () => mem.bootDone, 10_000);
      mem.tasks.push({ kind: 'reboot' });
      const at = ctx.sim.now + injectionOffsetNs(ctx);
      qmpAt(vm.q, at, `device_set cpu${extra} enable`, (q) => deviceSetEnable(q, vm.board, extra));
      if (yield* waitOrFail(ctx, mem, () => ctx.sim.now > at && mem.boot >= 1 && mem.bootDone, at + OVERLAP_DEADLINE_NS, 'the guest did not boot again after its SYSTEM_RESET')) {
        mem.tasks.push({ kind: 'online', cpu: extra });
      }
      mem.tasks.push({ kind: 'poweroff' });
    });
    return { vms: [vm], mem };
  },
};
