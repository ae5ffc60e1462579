// Upstream QEMU fixes the model can revert, one switch each (QemuOptions.revert). Every entry names the
// commit, its subject as QEMU's git history has it, and what the model does with the fix reverted; the
// code paths that consult a switch cite the commit in a comment. Defaults: every fix applied.

export type QemuFixId = 'f962cac4c2' | '0ec7e6779f' | '96bce6831b' | '1bd71dce4b' | 'ddad81bd28';

export interface QemuFix {
  readonly id: QemuFixId;
  readonly commit: string;
  readonly subject: string;
  readonly author: string;
  readonly date: string;
  /** What the model does when the fix is reverted (the pre-fix behaviour). */
  readonly reverted: string;
  /** The bug the commit message describes, as the model reports it. */
  readonly bug: string;
  /** Fixes this one builds on: reverting one of those reverts this one too. */
  readonly requires?: readonly QemuFixId[];
}

export const QEMU_FIXES: readonly QemuFix[] = [
  {
    id: 'f962cac4c2',
    commit: 'f962cac4c24157aeceff59cbf9dac8b5e30c55da',
    subject: 'cpus: avoid pause_all_vcpus getting stuck due to race',
    author: 'Longpeng',
    date: '2020-03-16',
    reverted: 'do_vm_stop pauses all vCPUs before it sets the runstate, and resume_all_vcpus resumes whatever the runstate',
    bug: 'guest reboot during migration: the main loop resumes the vCPUs while the migration thread waits in pause_all_vcpus, which then sleeps forever',
  },
  {
    id: '0ec7e6779f',
    commit: '0ec7e6779fc830e5b4e6a448d75317fafcf69477',
    subject: 'cpus.c: Fix race condition in cpu_stop_current()',
    author: 'Peter Maydell',
    date: '2019-01-07',
    reverted: 'cpu_stop_current calls qemu_cpu_stop(current_cpu, true): the vCPU is marked stopped while still inside kvm_cpu_exec',
    bug: 'pause_all_vcpus counts a vCPU as stopped before it is back in its top-level loop, so a pauser can go on while the vCPU still runs',
  },
  {
    id: '96bce6831b',
    commit: '96bce6831bd19b61e965384427741d805c7234c3',
    subject: 'cpus: use broadcast on qemu_pause_cond',
    author: 'Dr. David Alan Gilbert',
    date: '2016-01-25',
    reverted: 'a stopping vCPU signals qemu_pause_cond (wakes one waiter) instead of broadcasting it',
    bug: 'two threads wait in pause_all_vcpus, the last vCPU to stop wakes only one: the other stays asleep with every vCPU stopped',
  },
  {
    id: '1bd71dce4b',
    commit: '1bd71dce4bf2d24d003780ef01eb5fc274d66703',
    subject: 'runstate: ignore exit request in finish migrate state',
    author: 'Laurent Vivier',
    date: '2019-10-17',
    reverted: 'main_loop_should_exit serves a reset request in finish-migrate and then sets prelaunch (no finish-migrate guard at all)',
    bug: "reboot during migration: the reset moves finish-migrate to prelaunch and the migration's postmigrate aborts QEMU: invalid runstate transition: 'prelaunch' -> 'postmigrate'",
  },
  {
    id: 'ddad81bd28',
    commit: 'ddad81bd28de665475a87693a93e6cf5d6fd8bab',
    subject: 'runstate: ignore finishmigrate -> prelaunch transition',
    author: 'Laurent Vivier',
    date: '2019-11-29',
    reverted: 'main_loop_should_exit returns early in finish-migrate (1bd71dce4b) but its prelaunch check after the reset does not exclude finish-migrate',
    bug: "the migration thread sets finish-migrate while the reset's pause_all_vcpus has the BQL released; the reset then sets prelaunch and postmigrate aborts QEMU: invalid runstate transition: 'prelaunch' -> 'postmigrate'",
    // ddad81bd28 rewrites 1bd71dce4b's guard ("Fixes: 1bd71dce4bf2"): without 1bd71dce4b it cannot stand.
    requires: ['1bd71dce4b'],
  },
];

export function findQemuFix(id: string): QemuFix | undefined {
  return QEMU_FIXES.find((f) => f.id === id || (id.length >= 7 && f.commit.startsWith(id.toLowerCase())));
}

/** The fixes actually reverted by a revert list: a fix that requires a reverted one is reverted too. */
export function effectiveReverts(revert: readonly string[]): ReadonlySet<QemuFixId> {
  const out = new Set<QemuFixId>();
  for (const id of revert) {
    const fix = findQemuFix(id);
    if (fix !== undefined) out.add(fix.id);
  }
  for (const fix of QEMU_FIXES) if ((fix.requires ?? []).some((dep) => out.has(dep))) out.add(fix.id);
  return out;
}
