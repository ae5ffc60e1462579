import { type MigrationStream, migrationLoad, migrationSave, requestQuit } from '@vgicsim/qemu-arm-model';
import { intParam, stringParam } from '../scenario/params.js';
import { resolveHost } from '../scenario/resolve.js';
import type { Suite } from '../scenario/types.js';
import { buildLinuxVm, qmpAt, scenarioPrng, spawnManager, waitFor } from './common.js';

export const MIGRATION: Suite = {
  name: 'migration',
  summary: 'boot, churn, migrate to a fresh QEMU process (same or other host), churn on',
  description:
    'The destination is a new QEMU process: every cache starts empty and the RFC’s flags are not migrated; ' +
    'post_load writes the source’s ICC_CTLR_EL1 into a KVM that may run on a host with other priority bits, ' +
    'where KVM’s write checks accept (and lower num_pri_bits) or refuse (QEMU aborts). Later resets on the ' +
    'destination then use whatever each design cached.',
  params: {
    vcpus: { type: 'int', default: 4, min: 2, max: 512, description: 'vCPUs' },
    cycles: { type: 'int', default: 20, min: 0, max: 100_000, description: 'CPU_OFF/ON cycles before and after the migration' },
    dstHost: {
      type: 'enum',
      default: 'same',
      values: ['same', 'cortex-a76', 'cortex-a53', 'synthetic-7bit', 'synthetic-seis-id24'],
      description: 'destination host profile (same = the source host)',
    },
    systemResetAfter: { type: 'bool', default: true, description: 'a system reset on the destination after the migration' },
  },
  build(ctx) {
    const n = intParam(ctx.params, 'vcpus');
    const h = intParam(ctx.params, 'cycles');
    const dstName = stringParam(ctx.params, 'dstHost');
    const dstHost = dstName === 'same' ? ctx.host : resolveHost(dstName);
    const src = buildLinuxVm(ctx, { smp: n }, 'linux', { qemu: { threadPrefix: 'src:' } });
    // One guest: the destination continues the source's program and memory (the RAM travels with it).
    const dst = buildLinuxVm({ ...ctx, host: dstHost }, { smp: n }, 'linux', { incoming: true, qemu: { threadPrefix: 'dst:' } }, src);
    const mem = src.mem;
    const prng = scenarioPrng(ctx.seed, 2);
    for (let i = 0; i < h; i++) mem.tasks.push({ kind: 'cycle', cpu: 1 + prng.nextInt(n - 1) });
    let stream: MigrationStream | null = null;
    spawnManager(ctx, 'migration', function* () {
      yield* waitFor(ctx, () => mem.bootDone && mem.cyclesDone >= h && mem.tasks.length === 0);
      qmpAt(src.vm.q, ctx.sim.now, 'migrate', function* (q) {
        stream = yield* migrationSave(q, src.vm.board);
        requestQuit(q);
      });
      yield* waitFor(ctx, () => stream !== null);
      qmpAt(dst.vm.q, ctx.sim.now, 'incoming', function* (q) {
        if (stream !== null) yield* migrationLoad(q, dst.vm.board, stream);
      });
      for (let i = 0; i < h; i++) mem.tasks.push({ kind: 'cycle', cpu: 1 + prng.nextInt(n - 1) });
      if (ctx.params['systemResetAfter'] === true) mem.tasks.push({ kind: 'reboot' });
      mem.tasks.push({ kind: 'poweroff' });
    });
    return { vms: [src.vm, dst.vm], mem };
  },
};
