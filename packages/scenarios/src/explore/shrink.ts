// Shrinks a failing choice list so the replay file a developer reads is short: truncation first (most of
// a long run's choices are irrelevant to the failure), then delta-debugging removal of chunks, then
// lowering single values toward 0 (the first alternative, which is also what a replay answers past the end
// of its list). Every candidate is judged by replaying it; a candidate is kept only when it still
// satisfies the predicate and is smaller (shorter, or as long and lexicographically lower), so the
// search terminates, and it is deterministic because the runner is.
import { replay } from './replay.js';
import type { Runner, ScheduleRun } from './types.js';

export type ShrinkPredicate = (run: ScheduleRun) => boolean;

/** The usual predicate: the run still fails, with the same outcome as the original failure. */
export function sameOutcome(outcome: string): ShrinkPredicate {
  return (run) => run.failed && run.outcome === outcome;
}

export interface ShrinkOptions {
  /** Upper bound on replays, the first (checking the original list) included. Default 200. */
  readonly maxRuns?: number;
}

export interface ShrinkResult {
  /** The shrunk list: a faithful recording of `run`, with trailing zeros dropped. */
  readonly choices: readonly number[];
  readonly run: ScheduleRun;
  /** Replays used. */
  readonly runs: number;
  /** False when the original list did not satisfy the predicate: nothing was shrunk. */
  readonly reproduced: boolean;
}

interface Attempt {
  readonly choices: readonly number[];
  readonly run: ScheduleRun;
  readonly ok: boolean;
}

class Shrinker {
  runs = 0;
  private readonly cache = new Map<string, ScheduleRun>();

  constructor(
    private readonly runner: Runner,
    private readonly predicate: ShrinkPredicate,
    private readonly maxRuns: number,
  ) {}

  // A method, not a getter: the compiler would narrow a getter's value across the loops that test it.
  outOfRuns(): boolean {
    return this.runs >= this.maxRuns;
  }

  /** Null when the run budget is spent and the candidate was not seen before. */
  attempt(candidate: readonly number[]): Attempt | null {
    const key = stripTrailingZeros(candidate).join(',');
    let run = this.cache.get(key);
    if (run === undefined) {
      if (this.outOfRuns()) return null;
      this.runs++;
      run = replay(this.runner, candidate).run;
      this.cache.set(key, run);
    }
    // The run's own recording replays it exactly and is never longer than the candidate (past the
    // candidate's end it answered 0, and out-of-range entries were clamped down).
    return { choices: stripTrailingZeros(run.choices), run, ok: this.predicate(run) };
  }
}

export function shrink(
  runner: Runner,
  choices: readonly number[],
  predicate: ShrinkPredicate,
  options: ShrinkOptions = {},
): ShrinkResult {
  const maxRuns = options.maxRuns ?? 200;
  if (!Number.isSafeInteger(maxRuns) || maxRuns < 1) throw new RangeError(`maxRuns must be an integer ≥ 1 (got ${maxRuns})`);
  const s = new Shrinker(runner, predicate, maxRuns);
  // maxRuns ≥ 1 and the cache is empty, so the first attempt always runs: the original list.
  const first = s.attempt(choices) ?? unreachable();
  if (!first.ok) return { choices: [...choices], run: first.run, runs: s.runs, reproduced: false };
  let best: Attempt = first;
  const accept = (candidate: readonly number[]): boolean | null => {
    const a = s.attempt(candidate);
    if (a === null) return null;
    if (!a.ok || !smaller(a.choices, best.choices)) return false;
    best = a;
    return true;
  };

  for (let changed = true; changed && !s.outOfRuns(); ) {
    changed = false;

    // 1. Shortest failing prefix by binary search. Failure need not be monotone in the prefix length, so
    //    this finds a short prefix, not always the shortest; the later passes pick up some of the slack.
    const base = best.choices;
    let lo = 0;
    let hi = base.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const r = accept(base.slice(0, mid));
      if (r === null) break;
      if (r) {
        changed = true;
        // best is that prefix with its trailing zeros dropped, so it is itself a failing prefix of base;
        // every later candidate is shorter than it, hence "smaller" exactly when it fails.
        hi = best.choices.length;
      } else {
        lo = mid + 1;
      }
    }

    // 2. Chunk removal, halving the chunk size down to single entries.
    for (let size = best.choices.length >>> 1; size >= 1 && !s.outOfRuns(); size >>>= 1) {
      for (let i = 0; i < best.choices.length && !s.outOfRuns(); ) {
        const cur = best.choices;
        const r = accept([...cur.slice(0, i), ...cur.slice(i + size)]);
        if (r === true) changed = true;
        else i += size;
      }
    }

    // 3. Lower single values: to 0 first, then halfway, then by one.
    for (let i = 0; i < best.choices.length && !s.outOfRuns(); i++) {
      const v = best.choices[i] ?? 0;
      for (const lower of new Set([0, v >>> 1, v - 1])) {
        if (lower >= v || lower < 0) continue;
        const cand = [...best.choices];
        cand[i] = lower;
        if (accept(cand) === true) {
          changed = true;
          break;
        }
      }
    }
  }
  return { choices: best.choices, run: best.run, runs: s.runs, reproduced: true };
}

function unreachable(): never {
  throw new Error('unreachable: the first shrink attempt always runs');
}

/** Shorter first, then lexicographically lower: a well-founded order, so shrinking terminates. */
function smaller(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return a.length < b.length;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y;
  }
  return false;
}

export function stripTrailingZeros(choices: readonly number[]): number[] {
  let end = choices.length;
  while (end > 0 && choices[end - 1] === 0) end--;
  return choices.slice(0, end);
}
