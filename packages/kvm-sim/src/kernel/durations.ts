// Durations the kernel itself charges for its primitives. A duration is a fixed number of ns or an
// inclusive [min, max] range; ranges are resolved through the run's choice source so they replay.

export type Duration = number | readonly [number, number];

export interface KernelCosts {
  /** Uncontended mutex lock or trylock (costs.md row 18). */
  readonly mutexFastPathNs: Duration;
  /** A released mutex waking a waiter on another core (costs.md row 16, futex). */
  readonly futexWakeNs: Duration;
  /** A condition-variable waiter woken on another core (costs.md row 16, condvar). */
  readonly condWakeNs: Duration;
  /** A thread blocked in the kernel woken by a signal (costs.md rows 14–16). */
  readonly signalWakeNs: Duration;
  /** A new thread's first step after spawn (assumed). */
  readonly spawnNs: Duration;
}

export const DEFAULT_KERNEL_COSTS: KernelCosts = {
  mutexFastPathNs: 40,
  futexWakeNs: 4000,
  condWakeNs: 4500,
  signalWakeNs: 4000,
  spawnNs: 10_000,
};

export function validateDuration(name: string, d: Duration): void {
  if (typeof d === 'number') {
    if (!Number.isFinite(d) || d < 0) throw new RangeError(`duration ${name} must be a finite number ≥ 0 ns (got ${d})`);
    return;
  }
  const [lo, hi] = d;
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo < 0 || hi < lo) {
    throw new RangeError(`duration ${name} must be [min, max] with 0 ≤ min ≤ max ns (got [${lo}, ${hi}])`);
  }
}
