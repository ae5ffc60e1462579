// Replays a recorded choice list and says whether the replay was faithful: a list recorded from this
// runner replays with no divergence and is consumed to its end; a list from another version of the model
// (or a hand-edited one) shows up as clamped answers or unused entries instead of silently running
// something else.
import { ReplayChoice } from '@vgicsim/kvm-sim';
import type { Runner, ScheduleRun } from './types.js';

export interface ReplayReport {
  readonly run: ScheduleRun;
  /** Entries that were out of range for their choice point and had to be clamped. */
  readonly divergences: number;
  /** Choice points the run asked (past the list's end the answer is 0). */
  readonly consumed: number;
  /** Whether the run reached every entry of the list (a list longer than the run's choices is not). */
  readonly allConsumed: boolean;
  /** No divergence and every entry used: the run is the one the list was recorded from. */
  readonly faithful: boolean;
}

export function replay(runner: Runner, choices: readonly number[]): ReplayReport {
  const source = new ReplayChoice(choices);
  const run = runner(source);
  const allConsumed = source.consumed >= choices.length;
  return {
    run,
    divergences: source.divergences,
    consumed: source.consumed,
    allConsumed,
    faithful: allConsumed && source.divergences === 0,
  };
}
