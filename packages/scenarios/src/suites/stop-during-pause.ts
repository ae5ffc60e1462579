import { qmpCont, qmpStop } from '@vgicsim/qemu-arm-model';
import { intParam } from '../scenario/params.js';
import type { Suite } from '../scenario/types.js';
import { buildLinuxVm, qmpAt, spawnManager, waitFor } from './common.js';
import { OVERLAP_DEADLINE_NS, injectParams, injectionOffsetNs, waitOrFail } from './overlap-common.js';

export const STOP_DURING_PAUSE: Suite = {
  name: 'stop-during-pause',
  summary: 'one QMP stop (and its cont) lands while a vCPU-thread pauser waits in pause_all_vcpus',
  description:
    'A design that pauses from the CPU_ON target’s thread waits in pause_all_vcpus with the BQL dropped for ' +
    'tens of µs per secondary. A QMP stop arriving then runs do_vm_stop (runstate first, f962cac4c2), a second ' +
    'pause of its own; the pauser’s resume_all_vcpus becomes a no-op until cont — and a cont that comes ' +
    'while a pauser still waits resumes everyone and strands it. One stop at a point of the bring-up, one cont ' +
    'stoppedUs later (both times drawn through the choice source unless pinned).',
  params: {
    vcpus: { type: 'int', default: 3, min: 2, max: 512, description: 'vCPUs' },
    stoppedUs: {
      type: 'int',
      default: -1,
      min: -1,
      max: 10_000_000,
      description: 'how long the VM stays stopped before cont (µs); -1 = chosen through the choice source over 1..100',
    },
    ...injectParams('after vm_start; rfc-v6 pauses from vCPU threads during each secondary’s first CPU_ON', 200),
  },
  build(ctx) {
    const n = intParam(ctx.params, 'vcpus');
    const { vm, mem } = buildLinuxVm(ctx, { smp: n }, 'linux');
    spawnManager(ctx, 'management', function* () {
      yield* waitFor(ctx, () => vm.q.runstate === 'running', 1_000);
      const at = ctx.sim.now + injectionOffsetNs(ctx);
      // A cont that comes while the pauser still waits strands it; one that comes later does not.
      const pinned = intParam(ctx.params, 'stoppedUs');
      const stopped = (pinned >= 0 ? pinned : 1 + ctx.sim.choose('duration', 100, [])) * 1000;
      qmpAt(vm.q, at, 'stop', qmpStop);
      qmpAt(vm.q, at + stopped, 'cont', qmpCont);
      yield* waitOrFail(ctx, mem, () => ctx.sim.now > at + stopped && mem.bootDone, at + stopped + OVERLAP_DEADLINE_NS, 'the guest did not finish booting after stop/cont');
      mem.tasks.push({ kind: 'poweroff' });
    });
    return { vms: [vm], mem };
  },
};
