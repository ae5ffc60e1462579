import { cpuEjected, deviceSetDisable, deviceSetEnable } from '@vgicsim/qemu-arm-model';
import { intParam } from '../scenario/params.js';
import type { Suite } from '../scenario/types.js';
import { buildLinuxVm, qmpAt, spawnManager, waitFor } from './common.js';

export const DEVICE_SET: Suite = {
  name: 'device-set',
  summary: 'admin-disabled vCPUs enabled by device_set while the VM runs, onlined, parked, re-enabled',
  description:
    'The RFC’s lazy realization: device_set on an admin-disabled CPU realizes it on the main thread while the ' +
    'VM runs, and its cpu_reset runs the ICC reset there (a pause from the main thread for a caching design on a ' +
    'miss). The guest onlines it; later it is disabled (the guest offlines and ejects it, QEMU parks the thread) ' +
    'and enabled again (unparked).',
  params: {
    vcpus: { type: 'int', default: 4, min: 1, max: 512, description: 'vCPUs enabled at boot' },
    disabled: { type: 'int', default: 2, min: 1, max: 256, description: 'admin-disabled possible vCPUs' },
  },
  build(ctx) {
    const n = intParam(ctx.params, 'vcpus');
    const d = intParam(ctx.params, 'disabled');
    const total = n + d;
    const { vm, mem } = buildLinuxVm(ctx, { smp: total, bootCpus: n }, 'linux', { possibleCpus: total });
    const extra = Array.from({ length: d }, (_, i) => n + i);
    spawnManager(ctx, 'management', function* () {
      yield* waitFor(ctx, () => mem.bootDone);
      for (const cpu of extra) {
        qmpAt(vm.q, ctx.sim.now, `device_set cpu${cpu} enable`, (q) => deviceSetEnable(q, vm.board, cpu));
        yield* ctx.sim.sleep(200_000);
        mem.tasks.push({ kind: 'online', cpu });
      }
      yield* waitFor(ctx, () => extra.every((c) => mem.online[c] === true) || mem.failures.length > 0);
      for (const cpu of extra) {
        qmpAt(vm.q, ctx.sim.now, `device_set cpu${cpu} disable`, (q) => deviceSetDisable(q, vm.board, cpu));
        mem.tasks.push({ kind: 'offline', cpu });
        yield* waitFor(ctx, () => mem.ejected[cpu] === true || mem.failures.length > 0);
        qmpAt(vm.q, ctx.sim.now, `_EJ0 cpu${cpu}`, (q) => cpuEjected(q, vm.board, cpu));
        yield* ctx.sim.sleep(200_000);
      }
      for (const cpu of extra) {
        qmpAt(vm.q, ctx.sim.now, `device_set cpu${cpu} enable`, (q) => deviceSetEnable(q, vm.board, cpu));
        yield* ctx.sim.sleep(200_000);
        mem.tasks.push({ kind: 'online', cpu });
      }
      yield* waitFor(ctx, () => extra.every((c) => mem.online[c] === true) || mem.failures.length > 0);
      mem.tasks.push({ kind: 'poweroff' });
    });
    return { vms: [vm], mem };
  },
};
