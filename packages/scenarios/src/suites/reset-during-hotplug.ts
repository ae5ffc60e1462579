import { cpuEjected, deviceSetDisable, deviceSetEnable } from '@vgicsim/qemu-arm-model';
import { intParam, stringParam } from '../scenario/params.js';
import type { Suite } from '../scenario/types.js';
import { buildLinuxVm, qmpAt, spawnManager, waitFor } from './common.js';
import { OVERLAP_DEADLINE_NS, injectParams, injectionOffsetNs, waitOrFail } from './overlap-common.js';

export const RESET_DURING_HOTPLUG: Suite = {
  name: 'reset-during-hotplug',
  summary: 'the guest’s SYSTEM_RESET from vCPU 0 while another vCPU is being hot-plugged or hot-unplugged',
  description:
    'plug: device_set enables an admin-disabled vCPU (realized on the main thread, its cpu_reset running the ' +
    'ICC reset there) and the guest onlines it with CPU_ON; unplug: device_set disables an online vCPU, the ' +
    'guest offlines it (CPU_OFF) and QEMU parks its thread at _EJ0. In the middle of either, vCPU 0 issues ' +
    'PSCI SYSTEM_RESET: the main loop’s reset pause meets a half-realized or half-parked vCPU. After the ' +
    'reboot the guest onlines the extra vCPU again (when it is enabled) and powers off.',
  params: {
    vcpus: { type: 'int', default: 2, min: 1, max: 511, description: 'vCPUs enabled at boot' },
    op: { type: 'enum', default: 'plug', values: ['plug', 'unplug'], description: 'which hotplug direction the reset overlaps' },
    ...injectParams('after the device_set command; a plug (realize, CPU_ON, guest GIC init) takes about 100 µs', 300),
  },
  build(ctx) {
    const n = intParam(ctx.params, 'vcpus');
    const plug = stringParam(ctx.params, 'op') === 'plug';
    const extra = n;
    const { vm, mem } = buildLinuxVm(ctx, { smp: n + 1, bootCpus: n }, 'linux', { possibleCpus: n + 1 });
    spawnManager(ctx, 'management', function* () {
      yield* waitFor(ctx, () => mem.bootDone, 10_000);
      if (!plug) {
        // Plug it first, undisturbed: the overlap is with its unplug.
        qmpAt(vm.q, ctx.sim.now, `device_set cpu${extra} enable`, (q) => deviceSetEnable(q, vm.board, extra));
        yield* ctx.sim.sleep(100_000);
        mem.tasks.push({ kind: 'online', cpu: extra });
        yield* waitFor(ctx, () => mem.online[extra] === true || mem.failures.length > 0, 10_000);
      }
      const offset = injectionOffsetNs(ctx);
      if (plug) {
        qmpAt(vm.q, ctx.sim.now, `device_set cpu${extra} enable`, (q) => deviceSetEnable(q, vm.board, extra));
        mem.tasks.push({ kind: 'online', cpu: extra });
      } else {
        qmpAt(vm.q, ctx.sim.now, `device_set cpu${extra} disable`, (q) => deviceSetDisable(q, vm.board, extra));
        mem.tasks.push({ kind: 'offline', cpu: extra });
      }
      // vCPU 0's reset goes through the guest's own task list: it comes from the guest, mid-operation.
      const t0 = ctx.sim.now;
      yield* ctx.sim.sleep(offset);
      mem.tasks.unshift({ kind: 'reboot' });
      const deadline = t0 + offset + OVERLAP_DEADLINE_NS;
      // The guest's offline may or may not finish before its reset: eject only what it did offline.
      if (!plug && (yield* waitOrFail(ctx, mem, () => mem.ejected[extra] === true || mem.boot >= 1, deadline, `CPU${extra} was neither ejected nor reset`))) {
        if (mem.ejected[extra] === true) qmpAt(vm.q, ctx.sim.now, `_EJ0 cpu${extra}`, (q) => cpuEjected(q, vm.board, extra));
      }
      if (yield* waitOrFail(ctx, mem, () => mem.boot >= 1 && mem.bootDone, deadline, 'the guest did not boot again after its SYSTEM_RESET')) {
        if (plug) mem.tasks.push({ kind: 'online', cpu: extra });
      }
      mem.tasks.push({ kind: 'poweroff' });
    });
    return { vms: [vm], mem };
  },
};
