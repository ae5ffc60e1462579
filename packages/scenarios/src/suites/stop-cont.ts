import { qmpCont, qmpStop } from '@vgicsim/qemu-arm-model';
import { intParam } from '../scenario/params.js';
import type { Suite } from '../scenario/types.js';
import { buildLinuxVm, qmpAt, scenarioPrng, spawnManager, waitFor } from './common.js';

export const STOP_CONT: Suite = {
  name: 'stop-cont',
  summary: 'management stop and cont injected at seed-chosen times during boot',
  description:
    'QMP stop sets the runstate before pausing (f962cac4c2), so a vCPU pauser’s resume becomes a no-op while ' +
    'stopped; but a cont issued while a vCPU thread is still inside pause_all_vcpus resumes everyone and ' +
    'strands it. Stop times are drawn from the seed across the boot (which takes about 150 µs per vCPU).',
  params: {
    vcpus: { type: 'int', default: 8, min: 2, max: 512, description: 'vCPUs' },
    pairs: { type: 'int', default: 2, min: 1, max: 100, description: 'stop/cont pairs' },
    spanUs: { type: 'int', default: 1000, min: 10, max: 10_000_000, description: 'the span after vm_start (µs) the stops fall in' },
    maxStoppedUs: { type: 'int', default: 200, min: 1, max: 10_000_000, description: 'longest stop before its cont (µs)' },
    reboots: { type: 'int', default: 0, min: 0, max: 10_000, description: 'guest SYSTEM_RESETs after boot, overlapping the stops' },
  },
  build(ctx) {
    const n = intParam(ctx.params, 'vcpus');
    const { vm, mem } = buildLinuxVm(ctx, { smp: n }, 'linux');
    const prng = scenarioPrng(ctx.seed, 3);
    const span = intParam(ctx.params, 'spanUs') * 1000;
    const maxStopped = intParam(ctx.params, 'maxStoppedUs') * 1000;
    // Offsets from vm_start (a stop before it is a no-op, a cont would start the VM early).
    const pairs = Array.from({ length: intParam(ctx.params, 'pairs') }, () => {
      const at = prng.nextInt(span);
      return { at, cont: at + 1000 + prng.nextInt(maxStopped) };
    }).sort((a, b) => a.at - b.at);
    for (let i = 0; i < intParam(ctx.params, 'reboots'); i++) mem.tasks.push({ kind: 'reboot' });
    spawnManager(ctx, 'management', function* () {
      yield* waitFor(ctx, () => vm.q.runstate === 'running', 10_000);
      const t0 = ctx.sim.now;
      let lastCont = 0;
      for (const p of pairs) {
        // Pairs may overlap: a cont then resumes a VM another stop was meant to hold, as a real client could.
        qmpAt(vm.q, t0 + p.at, 'stop', qmpStop);
        qmpAt(vm.q, t0 + p.cont, 'cont', qmpCont);
        lastCont = Math.max(lastCont, t0 + p.cont);
      }
      yield* waitFor(ctx, () => ctx.sim.now > lastCont && mem.bootDone && mem.tasks.length === 0);
      mem.tasks.push({ kind: 'poweroff' });
    });
    return { vms: [vm], mem };
  },
};
