// Live migration of the GIC CPU interface (vmstate_gicv3: pre_save = kvm_arm_gicv3_get, post_load =
// kvm_arm_gicv3_put; qemu.md §1.7). The destination is a fresh QEMU process — new caches, RFC flags not
// migrated — possibly on a host with another ICH_VTR_EL2, where KVM's ICC_CTLR_EL1 write checks decide.
import type { Proc } from '@vgicsim/kvm-sim';
import { PSCI_OFF } from '../cpu-state.js';
import type { Qemu } from '../qemu.js';
import { vmStart, vmStopForceState } from '../runstate.js';
import { kvmCpuSynchronizePost, kvmCpuSynchronizeState } from '../vcpu-thread.js';
import { GICV3_NS } from './gic-state.js';
import { type ItsSnapshot, kvmArmItsPostLoad, kvmArmItsPreSave } from './arm-gicv3-its-kvm.js';
import { kvmArmGicv3Get, kvmArmGicv3Put } from './gicv3-kvm.js';
import type { ArmVirt } from './virt.js';
import { emitQemuEvent } from '../trace-vocabulary.js';

export interface GicCpuSnapshot {
  readonly index: number;
  readonly iccCtlrEl1: readonly [bigint, bigint];
  readonly iccPmrEl1: bigint;
  readonly iccBpr: readonly [bigint, bigint, bigint];
  readonly iccApr: readonly (readonly bigint[])[];
  readonly iccIgrpen: readonly [bigint, bigint, bigint];
  readonly giccAccessible: boolean;
}

export interface CpuSnapshot {
  readonly index: number;
  readonly pc: bigint;
  readonly xregs: readonly bigint[];
  readonly powerState: number;
  readonly halted: boolean;
}

/** What crosses the wire: CPU state and the GIC's per-CPU interface state (no RFC caches or flags). */
export interface MigrationStream {
  readonly sourceHost: string;
  readonly cpus: readonly CpuSnapshot[];
  readonly gic: readonly GicCpuSnapshot[];
  /** vmstate_its (MIG_PRI_GICV3_ITS: after the GIC on both sides), when the source has an ITS. */
  readonly its: ItsSnapshot | null;
}

export class MigrationBlockedError extends Error {
  override readonly name = 'MigrationBlockedError';
}

/** Source, on the main thread with the BQL: migration_stop_vm, synchronise every CPU, device pre_save, then POSTMIGRATE. */
export function* migrationSave(q: Qemu, board: ArmVirt): Proc<MigrationStream> {
  q.assertBql('migration');
  if (board.gic.migrationBlocker !== null) throw new MigrationBlockedError(`migration blocked: ${board.gic.migrationBlocker}`);
  const itsBlocker = board.its?.migrationBlocker ?? null;
  if (itsBlocker !== null) throw new MigrationBlockedError(`migration blocked: ${itsBlocker}`);
  // migration_stop_vm → vm_stop_force_state: a VM that is not live (prelaunch after a reset while paused,
  // shutdown, internal-error) still moves to finish-migrate, the only way to postmigrate.
  yield* vmStopForceState(q, 'finish-migrate');
  for (const cpu of [...q.cpus]) yield* kvmCpuSynchronizeState(q, cpu);
  const stream = yield* saveDeviceState(q, board);
  q.runstateSet('postmigrate');
  emitQemuEvent(q.sim, 'migration-saved', { cpus: stream.cpus.length });
  return stream;
}

/**
 * The device half of qemu_savevm_state_complete_precopy_non_iterable, after the CPU sync: each vmstate's
 * pre_save in registration order — the GIC (kvm_arm_gicv3_get), then the ITS, realized after it — and the
 * stream read from QEMU's copies. Shared by the main-loop migration and the migration thread.
 */
export function* saveDeviceState(q: Qemu, board: ArmVirt): Proc<MigrationStream> {
  yield* kvmArmGicv3Get(q, board);
  const its = board.its === null ? null : yield* kvmArmItsPreSave(q, board.its);
  for (const d of q.migrationPreSave) yield* d.preSave(q);
  return captureMigrationStream(q, board, its);
}

/** The vmstate that crosses the wire, read from QEMU's copies after pre_save (the ITS snapshot comes from its pre_save). */
export function captureMigrationStream(q: Qemu, board: ArmVirt, its: MigrationStream['its']): MigrationStream {
  return {
    sourceHost: q.kvm.host.name,
    cpus: q.allCpus.map((c) => ({ index: c.index, pc: c.env.pc, xregs: [...c.env.xregs], powerState: c.powerState, halted: c.halted })),
    gic: board.gic.cpus.map((c) => ({
      index: c.index,
      iccCtlrEl1: [c.iccCtlrEl1[0], c.iccCtlrEl1[1]],
      iccPmrEl1: c.iccPmrEl1,
      iccBpr: [c.iccBpr[0], c.iccBpr[1], c.iccBpr[2]],
      iccApr: c.iccApr.map((g) => [...g]),
      iccIgrpen: [c.iccIgrpen[0], c.iccIgrpen[1], c.iccIgrpen[2]],
      giccAccessible: c.giccAccessible,
    })),
    its,
  };
}

/**
 * Destination (created with `incoming`): CPU state in, post_init sync, GIC vmstate load (pre_load sets
 * SRE 7) and post_load = kvm_arm_gicv3_put — every write with error_abort, so a destination host that
 * refuses the source's ICC_CTLR_EL1 aborts — then vm_start.
 */
export function* migrationLoad(q: Qemu, board: ArmVirt, stream: MigrationStream): Proc {
  q.assertBql('migration');
  for (const s of stream.cpus) {
    const cpu = q.cpuByIndex(s.index);
    if (cpu === undefined) continue;
    cpu.env.pc = s.pc;
    cpu.env.xregs = [...s.xregs];
    cpu.powerState = s.powerState;
    cpu.halted = s.halted || s.powerState === PSCI_OFF;
    cpu.vcpuDirty = true;
  }
  for (const cpu of [...q.cpus]) yield* kvmCpuSynchronizePost(q, cpu, 'post_init');
  for (const s of stream.gic) {
    const c = board.gic.cpus[s.index];
    if (c === undefined) continue;
    c.iccSreEl1 = 0x7n;
    c.iccCtlrEl1[0] = s.iccCtlrEl1[0];
    c.iccCtlrEl1[1] = s.iccCtlrEl1[1];
    c.iccPmrEl1 = s.iccPmrEl1;
    for (let g = 0; g < 3; g++) {
      c.iccBpr[g] = s.iccBpr[g] ?? 0n;
      c.iccIgrpen[g] = s.iccIgrpen[g] ?? 0n;
      const apr = c.iccApr[g];
      const src = s.iccApr[g];
      if (apr !== undefined && src !== undefined) for (let n = 0; n < 4; n++) apr[n] = src[n] ?? 0n;
    }
    c.giccAccessible = s.giccAccessible;
    board.oracle.recordReset(c.index, 'migration', c.iccCtlrEl1[GICV3_NS]);
  }
  emitQemuEvent(q.sim, 'migration-load', { from: stream.sourceHost, to: q.kvm.host.name });
  yield* kvmArmGicv3Put(q, board);
  if (board.its !== null && stream.its !== null) yield* kvmArmItsPostLoad(q, board.its, stream.its);
  yield* vmStart(q);
}
