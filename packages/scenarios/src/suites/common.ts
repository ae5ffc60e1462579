// What most suites share: a Linux-like guest on an Arm virt VM, a management thread that acts like a QMP
// client (it schedules commands on QEMU's main loop), and seed-driven choices made outside the simulator.
import { type GuestProgram, type Proc, Prng } from '@vgicsim/kvm-sim';
import { type ArmVm, type ArmVmOptions, type Qemu, buildArmVm, scheduleCommand } from '@vgicsim/qemu-arm-model';
import { type LinuxGuestOptions, createLinuxGuest } from '../guests/linux-guest.js';
import type { GuestMemory } from '../guests/memory.js';
import { intParam } from '../scenario/params.js';
import type { SuiteContext } from '../scenario/types.js';

export interface LinuxVm {
  readonly vm: ArmVm;
  readonly mem: GuestMemory;
}

export function buildLinuxVm(
  ctx: SuiteContext,
  guest: Partial<LinuxGuestOptions> & { smp: number },
  guestName: string,
  extra: Partial<ArmVmOptions> = {},
  /** Run this guest (program and memory) instead of a new one: a migration destination continues it. */
  existing?: { readonly program: GuestProgram; readonly mem: GuestMemory },
): LinuxVm & { readonly program: GuestProgram } {
  const { program, mem } = existing ?? createLinuxGuest(guest, guestName);
  const vm = buildArmVm({
    strategy: ctx.strategy,
    guest: program,
    smp: guest.bootCpus ?? guest.smp,
    simulator: ctx.sim,
    lockPolicy: ctx.lockPolicy,
    host: ctx.host,
    board: { iccResetCallsPerCpuReset: intParam(ctx.params, 'resetCallsPerCpuReset') === 1 ? 1 : 2 },
    ...extra,
    qemu: { ...ctx.qemu, ...extra.qemu },
  });
  return { vm, mem, program };
}

/** A PRNG for the scenario's own choices (which CPU to churn, when to inject): a function of the seed only. */
export function scenarioPrng(seed: number, salt: number): Prng {
  return new Prng((seed ^ Math.imul(salt, 0x9e3779b1)) | 0);
}

/** Runs `fn` on QEMU's main thread (BQL held) at virtual time `at`, like a QMP command. */
export function qmpAt(q: Qemu, at: number, label: string, fn: (q: Qemu) => Proc): void {
  scheduleCommand(q, at, label, fn);
}

/** A management thread: polls guest memory and reacts (an ACPI/QMP agent outside the guest). */
export function spawnManager(ctx: SuiteContext, name: string, body: () => Proc): void {
  ctx.sim.spawn(name, body, { daemon: true });
}

/** Waits (polling every `everyNs`) until `cond` holds. */
export function* waitFor(ctx: SuiteContext, cond: () => boolean, everyNs = 100_000): Proc {
  while (!cond()) yield* ctx.sim.sleep(everyNs, 'manager-poll');
}
