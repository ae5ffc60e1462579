// Random exploration: one SeededChoice run per seed over a contiguous seed range, so a failure is named by
// its seed alone and `--seed N` reproduces it without a replay file.
import { SeededChoice } from '@vgicsim/kvm-sim';
import type { ScheduleAttempt, ScheduleRun, Strategy } from './types.js';

export interface RandomOptions {
  /** First seed of the range (default 1, the Simulator's own default seed). */
  readonly start?: number;
  /** Number of seeds: the range is start .. start + count − 1. */
  readonly count: number;
}

/** Seeds start, start+1, …, start+count−1, each answered by a SeededChoice. */
export class RandomStrategy implements Strategy {
  readonly mode = 'random' as const;
  private readonly start: number;
  private readonly count: number;
  private issued = 0;

  constructor(options: RandomOptions) {
    this.start = options.start ?? 1;
    this.count = options.count;
    checkSeedRange(this.start, this.count);
  }

  next(): ScheduleAttempt | null {
    if (this.issued >= this.count) return null;
    const seed = this.start + this.issued++;
    return { choice: new SeededChoice(seed), seed };
  }

  record(_run: ScheduleRun): void {
    // Random runs are independent of each other.
  }
}

/** Shared by the seeded strategies: seeds are 32-bit integers in the PRNG, so keep the range exact. */
export function checkSeedRange(start: number, count: number): void {
  if (!Number.isSafeInteger(start)) throw new RangeError(`seed must be a safe integer (got ${start})`);
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`run count must be an integer ≥ 0 (got ${count})`);
  if (!Number.isSafeInteger(start + count)) throw new RangeError(`seed range ${start} + ${count} overflows`);
}
