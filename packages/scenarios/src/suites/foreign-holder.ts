import { spawnForeignHolder } from '@vgicsim/kvm-sim';
import { intParam } from '../scenario/params.js';
import type { Suite } from '../scenario/types.js';
import { buildLinuxVm, scenarioPrng, spawnManager, waitFor } from './common.js';

export const FOREIGN_HOLDER: Suite = {
  name: 'foreign-holder',
  summary: 'a non-vCPU kernel context takes a vCPU mutex for D µs at seed-chosen times',
  description:
    'The RFC’s retry loop exists because "another privileged KVM context" may hold a vCPU mutex while every ' +
    'vCPU is paused. This injects such holders during boot: a design that reads under pause_all_vcpus must ' +
    'out-wait them (5 tries, 50 µs sleeps) or abort; designs that do not read at run time never notice.',
  params: {
    vcpus: { type: 'int', default: 8, min: 1, max: 512, description: 'vCPUs' },
    holdUs: { type: 'int', default: 1000, min: 1, max: 10_000_000, description: 'how long each holder keeps the mutex (µs)' },
    holders: { type: 'int', default: 3, min: 1, max: 1000, description: 'how many holds' },
    spanUs: { type: 'int', default: 1000, min: 10, max: 10_000_000, description: 'the span after vm_start (µs) the holds start in' },
  },
  build(ctx) {
    const n = intParam(ctx.params, 'vcpus');
    const { vm, mem } = buildLinuxVm(ctx, { smp: n }, 'linux');
    const prng = scenarioPrng(ctx.seed, 4);
    const holdNs = intParam(ctx.params, 'holdUs') * 1000;
    const span = intParam(ctx.params, 'spanUs') * 1000;
    // Offsets from vm_start: holds during machine creation would abort any design's initial reset.
    const holds = Array.from({ length: intParam(ctx.params, 'holders') }, () => ({ at: prng.nextInt(span), vcpu: prng.nextInt(n) }));
    spawnManager(ctx, 'foreign-injector', function* () {
      yield* waitFor(ctx, () => vm.q.runstate === 'running', 10_000);
      const t0 = ctx.sim.now;
      for (const h of holds.sort((a, b) => a.at - b.at)) {
        if (t0 + h.at > ctx.sim.now) yield* ctx.sim.sleep(t0 + h.at - ctx.sim.now);
        const cpu = vm.q.cpuByIndex(h.vcpu);
        if (cpu !== undefined && cpu.vcpuFd >= 0) spawnForeignHolder(ctx.sim, vm.kvm.vcpuOf(cpu.vcpuFd), { startNs: 0, holdNs });
      }
    });
    mem.tasks.push({ kind: 'poweroff' });
    return { vms: [vm], mem };
  },
};
