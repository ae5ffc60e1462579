import type { Proc } from '@vgicsim/kvm-sim';
import { type ArmVm, type MigrationState, migrationLoad, qemuSystemResetRequest, requestQuit, spawnMigrationThread } from '@vgicsim/qemu-arm-model';
import { intParam } from '../scenario/params.js';
import type { GuestMemory } from '../guests/memory.js';
import type { Suite, SuiteContext } from '../scenario/types.js';
import { buildLinuxVm, qmpAt, spawnManager, waitFor } from './common.js';
import { OVERLAP_DEADLINE_NS, injectParams, injectionOffsetNs, waitOrFail } from './overlap-common.js';

/**
 * The migration and the reset, in one place: `migrate` starts the source's migration thread (RAM iterations
 * without the BQL, then finish-migrate, CPU sync and device pre_save under it), and a QMP system_reset to the
 * source `offsetNs - spanNs/2` from the migrate command: before it (a migration of a rebooting guest) or
 * after it, while the thread iterates or stops the VM — the main loop serves the reset whenever the BQL is
 * free, as upstream does (the f962cac4c2 window). Once the thread has finished, the source quits and the
 * destination loads the stream.
 */
function* migrateWithReset(ctx: SuiteContext, src: ArmVm, dst: ArmVm, mem: GuestMemory, offsetNs: number, spanNs: number): Proc<boolean> {
  const t0 = ctx.sim.now + spanNs / 2;
  const resetAt = ctx.sim.now + offsetNs;
  const started: { mig: MigrationState | null } = { mig: null };
  qmpAt(src.q, resetAt, 'system_reset', function* (q) {
    mem.rebootRequested = true;
    yield* qemuSystemResetRequest(q, 'host-qmp-system-reset');
  });
  qmpAt(src.q, t0, 'migrate', function* (q) {
    started.mig = spawnMigrationThread(q, src.board);
  });
  const finished = (): boolean => started.mig?.status === 'finished';
  if (!(yield* waitOrFail(ctx, mem, finished, t0 + OVERLAP_DEADLINE_NS, 'the migration did not complete'))) return false;
  const stream = started.mig?.stream ?? null;
  qmpAt(src.q, ctx.sim.now, 'quit', function* (q) {
    requestQuit(q);
  });
  qmpAt(dst.q, ctx.sim.now, 'incoming', function* (q) {
    if (stream !== null) yield* migrationLoad(q, dst.board, stream);
  });
  return true;
}

export const RESET_DURING_MIGRATION: Suite = {
  name: 'reset-during-migration',
  summary: 'QMP system_reset to the source around the moment a migration starts; the guest runs EOImode 1',
  description:
    'A hypervisor guest (EOImode 1) boots; the management client issues migrate and, close to it, ' +
    'system_reset. A reset just before the migration sends a guest in the middle of its reboot (CPU_ONs and ' +
    'their resets in flight); one just after is served by the main loop while the migration thread iterates or stops the VM. The destination is a fresh ' +
    'QEMU process whose caches are empty and whose ICC_CTLR_EL1 copy came from the stream (guest EOImode ' +
    'included); the guest reboots there once more and powers off.',
  params: {
    vcpus: { type: 'int', default: 2, min: 2, max: 512, description: 'vCPUs' },
    ...injectParams('around the migrate command: 0 = spanUs/2 before it, spanUs = spanUs/2 after it', 300),
  },
  build(ctx) {
    const n = intParam(ctx.params, 'vcpus');
    const spanNs = intParam(ctx.params, 'spanUs') * 1000;
    const guest = { smp: n, eoimodeForBoot: (): 0 | 1 => 1 };
    const src = buildLinuxVm(ctx, guest, 'hypervisor', { qemu: { threadPrefix: 'src:' } });
    const dst = buildLinuxVm(ctx, guest, 'hypervisor', { incoming: true, qemu: { threadPrefix: 'dst:' } }, src);
    const mem = src.mem;
    spawnManager(ctx, 'migration', function* () {
      yield* waitFor(ctx, () => mem.bootDone, 10_000);
      const migrated = yield* migrateWithReset(ctx, src.vm, dst.vm, mem, injectionOffsetNs(ctx), spanNs);
      const ready = (): boolean => dst.vm.q.runstate === 'running' && mem.bootDone;
      if (migrated && (yield* waitOrFail(ctx, mem, ready, ctx.sim.now + OVERLAP_DEADLINE_NS, 'the destination guest did not run after the migration'))) {
        mem.tasks.push({ kind: 'reboot' });
      }
      mem.tasks.push({ kind: 'poweroff' });
    });
    return { vms: [src.vm, dst.vm], mem };
  },
};
