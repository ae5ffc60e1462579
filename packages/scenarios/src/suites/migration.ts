import { type MigrationState, migrationLoad, qemuSystemResetRequest, qmpCont, qmpStop, requestQuit, spawnMigrationThread } from '@vgicsim/qemu-arm-model';
import { intParam, stringParam } from '../scenario/params.js';
import { resolveHost } from '../scenario/resolve.js';
import type { Suite } from '../scenario/types.js';
import { buildLinuxVm, qmpAt, scenarioPrng, spawnManager, waitFor } from './common.js';

export const MIGRATION: Suite = {
  name: 'migration',
  summary: 'boot, churn, migrate to a fresh QEMU process (same or other host), churn on',
  description:
    'The source’s migration thread sends RAM without the BQL, then stops the VM (finish-migrate), synchronises ' +
    'the CPUs, runs each device’s pre_save and ends in postmigrate; guest reboots and QMP commands may overlap it. ' +
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
    iterations: { type: 'int', default: 3, min: 0, max: 1000, description: 'RAM iterations of the migration thread before completion' },
    iterationMaxUs: {
      type: 'int',
      default: 400,
      min: 1,
      max: 10_000_000,
      description: 'longest RAM iteration (µs); every iteration lasts one seed-chosen time from 1/4 of this up to it',
    },
    rebootsDuringMigration: { type: 'int', default: 0, min: 0, max: 1000, description: 'guest SYSTEM_RESETs queued when the migration starts' },
    cyclesDuringMigration: { type: 'int', default: 0, min: 0, max: 100_000, description: 'CPU_OFF/ON cycles queued when the migration starts' },
    qmpDuringMigration: {
      type: 'enum',
      default: 'none',
      values: ['none', 'stop-cont', 'system-reset'],
      description: 'QMP commands at seed-chosen times inside the migration (stop, then cont 100 µs later; or system_reset)',
    },
    qmpCount: { type: 'int', default: 1, min: 1, max: 1000, description: 'how many of those QMP commands' },
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
    const iterations = intParam(ctx.params, 'iterations');
    const maxNs = intParam(ctx.params, 'iterationMaxUs') * 1000;
    // The length of the RAM iterations: a function of the scenario seed, so that sweeping seeds moves the
    // completion against the guest's reboots and the QMP command.
    const iterationNs = Math.floor(maxNs / 4) + prng.nextInt(Math.max(1, maxNs - Math.floor(maxNs / 4)));
    const reboots = intParam(ctx.params, 'rebootsDuringMigration');
    const qmp = stringParam(ctx.params, 'qmpDuringMigration');
    // Where in the migration the QMP commands land: a function of the scenario seed only.
    const span = Math.max(1, iterations) * iterationNs;
    const qmpDelaysNs = Array.from({ length: intParam(ctx.params, 'qmpCount') }, () => Math.floor((prng.nextInt(1_000_000) / 1_000_000) * span));
    // Set by the `migrate` command on QEMU's main loop; read by this manager.
    const started: { mig: MigrationState | null } = { mig: null };
    spawnManager(ctx, 'migration-manager', function* () {
      yield* waitFor(ctx, () => mem.bootDone && mem.cyclesDone >= h && mem.tasks.length === 0);
      // qmp_migrate: the main loop starts the migration thread.
      qmpAt(src.vm.q, ctx.sim.now, 'migrate', function* (q) {
        started.mig = spawnMigrationThread(q, src.vm.board, { iterations, iterationNs });
      });
      for (let i = 0; i < intParam(ctx.params, 'cyclesDuringMigration'); i++) mem.tasks.push({ kind: 'cycle', cpu: 1 + prng.nextInt(n - 1) });
      for (let i = 0; i < reboots; i++) mem.tasks.push({ kind: 'reboot' });
      // A management client acts only while the migration is still running: it never conts a migrated source.
      const active = (): boolean => started.mig !== null && started.mig.status !== 'completed' && started.mig.status !== 'finished';
      for (const delay of qmpDelaysNs) {
        if (qmp === 'stop-cont') {
          qmpAt(src.vm.q, ctx.sim.now + delay, 'stop', function* (q) {
            if (active()) yield* qmpStop(q);
          });
          qmpAt(src.vm.q, ctx.sim.now + delay + 100_000, 'cont', function* (q) {
            if (q.runstate === 'paused') yield* qmpCont(q);
          });
        } else if (qmp === 'system-reset') {
          qmpAt(src.vm.q, ctx.sim.now + delay, 'system_reset', function* (q) {
            if (active()) yield* qemuSystemResetRequest(q, 'host-qmp-system-reset');
          });
        }
      }
      yield* waitFor(ctx, () => started.mig?.status === 'finished', 10_000);
      const stream = started.mig?.stream ?? null;
      qmpAt(src.vm.q, ctx.sim.now, 'quit', function* (q) {
        requestQuit(q);
      });
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
