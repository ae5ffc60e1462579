// From the kernel's outcome, the hazard log and the guest's memory to the verdict a reviewer reads.
import type { Outcome } from '@vgicsim/kvm-sim';
import type { Violation } from '@vgicsim/qemu-arm-model';
import type { GuestMemory } from '../guests/memory.js';
import type { ScenarioOutcome } from './types.js';

/**
 * An abort is what QEMU did; otherwise a stranded pauser is the root cause of whatever hang follows (the
 * deadlock, the guest timeout or the time limit), then a plain deadlock, the guest's own timeouts, and
 * the budgets.
 */
export function classify(
  outcome: Outcome,
  violations: readonly Violation[],
  mem: GuestMemory,
  /** Threads still waiting in pause_all_vcpus's loop when the run ended. */
  pausersAtEnd: readonly string[] = [],
): { outcome: ScenarioOutcome; message: string } {
  if (outcome.kind === 'abort') return { outcome: 'abort', message: outcome.message };
  const stranded = violations.find((v) => v.kind === 'stranded-pauser');
  if (outcome.kind === 'stopped' && outcome.verdict === 'stranded-pauser') return { outcome: 'stranded-pauser', message: outcome.message };
  if (stranded !== undefined) {
    const tail = outcome.kind === 'deadlock' ? `; then ${outcome.message}` : mem.failures.length > 0 ? `; guest: ${mem.failures.join('; ')}` : '';
    return { outcome: 'stranded-pauser', message: `${stranded.message} (t=${stranded.time} ns, ${stranded.thread})${tail}` };
  }
  // A thread that can never leave pause_all_vcpus: named with what it waits for, from the moment it was certain.
  if (outcome.kind === 'stopped' && outcome.verdict === 'hang') return { outcome: 'hang', message: outcome.message };
  const hang = violations.find((v) => v.kind === 'hang');
  if (hang !== undefined) return { outcome: 'hang', message: `${hang.message} (t=${hang.time} ns)` };
  if (outcome.kind !== 'ok' && pausersAtEnd.length > 0) {
    return { outcome: 'hang', message: `${pausersAtEnd.join(', ')} never left pause_all_vcpus (waiting on qemu_pause_cond when the run ended: ${outcome.message})` };
  }
  if (outcome.kind === 'deadlock') return { outcome: 'deadlock', message: outcome.message };
  if (mem.failures.length > 0) return { outcome: 'guest-timeout', message: mem.failures.join('; ') };
  if (outcome.kind === 'budget-exceeded' || outcome.kind === 'time-limit') return { outcome: 'budget-exceeded', message: outcome.message };
  if (outcome.kind === 'stopped') return { outcome: 'budget-exceeded', message: outcome.message };
  if (!mem.poweredOff) return { outcome: 'guest-timeout', message: 'the run ended before the guest powered off' };
  return { outcome: 'ok', message: '' };
}
