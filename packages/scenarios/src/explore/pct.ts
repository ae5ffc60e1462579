// Probabilistic Concurrency Testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010). A bug of
// depth d (d ordering constraints between threads) in a program of n threads and k scheduling steps is
// found by one PCT run with probability at least 1/(n·k^(d−1)), whatever the program: far better than
// uniform random scheduling, which favours interleavings that switch threads often.
//
// Per run: every thread gets a distinct random initial priority > d when first seen; d−1 change points
// are drawn uniformly among the first k 'schedule' choice points; at a 'schedule' point the candidate with
// the highest priority runs, except that at the i-th change point the thread that would run is first
// demoted to priority i (below every initial priority). Other choice kinds ('lock-wake', 'duration') are
// drawn from the same seeded PRNG, so a run is a pure function of (seed, d, k).
import { type ChoicePoint, type ChoiceSource, Prng, SeededChoice } from '@vgicsim/kvm-sim';
import { checkSeedRange } from './random.js';
import type { Runner, ScheduleAttempt, ScheduleRun, Strategy } from './types.js';

/** 2^32: the widest range Prng.nextInt draws from in one call. */
const PRIORITY_SPREAD = 0x1_0000_0000;

export class PctChoice implements ChoiceSource {
  private readonly prng: Prng;
  private readonly priorities = new Map<number, number>();
  private readonly usedPriorities = new Set<number>();
  /** Ordinal of a 'schedule' point (0-based) → the priority i its chosen thread is demoted to. */
  private readonly changePoints = new Map<number, number>();
  private schedulePoints = 0;

  constructor(
    readonly seed: number,
    readonly depth: number,
    readonly steps: number,
  ) {
    checkPctParams(depth, steps);
    this.prng = new Prng(seed);
    // Drawn up front, before any choice, so the change points do not depend on how the run unfolds.
    // With fewer steps than d−1 only `steps` change points fit: the remaining constraints cannot matter.
    const m = Math.min(depth - 1, steps);
    const taken = new Set<number>();
    for (let i = 1; i <= m; i++) {
      let at = this.prng.nextInt(steps);
      while (taken.has(at)) at = this.prng.nextInt(steps);
      taken.add(at);
      this.changePoints.set(at, i);
    }
  }

  choose(point: ChoicePoint): number {
    if (point.kind !== 'schedule' || point.ids.length !== point.n) return this.prng.nextInt(point.n);
    for (const id of point.ids) if (!this.priorities.has(id)) this.priorities.set(id, this.drawInitialPriority());
    const ordinal = this.schedulePoints++;
    let pick = this.highest(point.ids);
    const demoteTo = this.changePoints.get(ordinal);
    if (demoteTo !== undefined) {
      this.priorities.set(point.ids[pick] ?? -1, demoteTo);
      pick = this.highest(point.ids);
    }
    return pick;
  }

  /** Current priority of a thread id (undefined until first seen at a 'schedule' point); for tests. */
  priorityOf(id: number): number | undefined {
    return this.priorities.get(id);
  }

  private drawInitialPriority(): number {
    for (;;) {
      const p = this.depth + 1 + this.prng.nextInt(PRIORITY_SPREAD);
      if (!this.usedPriorities.has(p)) {
        this.usedPriorities.add(p);
        return p;
      }
    }
  }

  private highest(ids: readonly number[]): number {
    let best = 0;
    let bestPriority = Number.NEGATIVE_INFINITY;
    ids.forEach((id, i) => {
      const p = this.priorities.get(id) ?? Number.NEGATIVE_INFINITY;
      if (p > bestPriority) {
        bestPriority = p;
        best = i;
      }
    });
    return best;
  }
}

export interface PctOptions {
  /** First seed (default 1); run j uses seed start + j. */
  readonly start?: number;
  readonly count: number;
  /** Bug depth d ≥ 1 (d = 1: no change points, a fixed random priority order per run). */
  readonly depth: number;
  /** k: change points are drawn among the first k 'schedule' points (see estimatePctSteps). */
  readonly steps: number;
}

export class PctStrategy implements Strategy {
  readonly mode = 'pct' as const;
  private readonly start: number;
  private issued = 0;

  constructor(private readonly options: PctOptions) {
    this.start = options.start ?? 1;
    checkSeedRange(this.start, options.count);
    checkPctParams(options.depth, options.steps);
  }

  next(): ScheduleAttempt | null {
    if (this.issued >= this.options.count) return null;
    const seed = this.start + this.issued++;
    return { choice: new PctChoice(seed, this.options.depth, this.options.steps), seed };
  }

  record(_run: ScheduleRun): void {
    // PCT runs are independent: k is fixed before the first one so each stays a function of its seed.
  }
}

/**
 * Estimates k from one calibration run under a SeededChoice: its number of 'schedule' choice points
 * (at least 1). The calibration run is not one of the explored schedules.
 */
export function estimatePctSteps(runner: Runner, seed = 1): number {
  const run = runner(new SeededChoice(seed));
  let k = 0;
  for (const kind of run.choiceKinds) if (kind === 'schedule') k++;
  return Math.max(1, k);
}

function checkPctParams(depth: number, steps: number): void {
  if (!Number.isSafeInteger(depth) || depth < 1) throw new RangeError(`PCT depth must be an integer ≥ 1 (got ${depth})`);
  if (!Number.isSafeInteger(steps) || steps < 1) throw new RangeError(`PCT steps k must be an integer ≥ 1 (got ${steps})`);
}
