// The one choice source through which every nondeterministic step of a run goes: which runnable thread
// steps next, which waiter a released lock wakes, and any duration given as a range. Recording the
// answers makes a run replayable and explorable (as in Shuttle's {seed, steps}).
import type { SimThread } from './objects.js';
import { Prng } from './prng.js';

export type ChoiceKind = 'schedule' | 'lock-wake' | 'duration';

/** What the kernel offers at one choice point. `ids` are thread ids (schedule, lock-wake) or empty (duration). */
export interface ChoicePoint {
  readonly kind: ChoiceKind;
  /** Number of alternatives, at least 2. */
  readonly n: number;
  readonly ids: readonly number[];
  /** Index of this choice point in the run (0-based). */
  readonly index: number;
  /** Virtual time (ns) of the choice. */
  readonly time: number;
  /**
   * A digest of the current state (threads, their pending ops and waits, mutex owners, plus whatever the
   * layers above registered): equal fingerprints at a choice point mean an explorer may treat the two
   * prefixes as equivalent. Computed on demand.
   */
  readonly fingerprint: () => string;
}

export interface ChoiceSource {
  /** Returns an index in [0, point.n). */
  choose(point: ChoicePoint): number;
  /**
   * For sources that look at nothing but the kind and the count (seeded, replay): answers without a
   * ChoicePoint being built, which saves an object per choice on runs with millions of them. Must answer
   * exactly what `choose` would.
   */
  chooseIndex?(kind: ChoiceKind, n: number): number;
  /**
   * For explorers that watch steps (partial-order reduction): called once when the simulator is built, with
   * its live thread list (read-only: threads are added to it as they spawn).
   */
  attach?(threads: readonly SimThread[]): void;
  /** Called before every thread step with the stepping thread and the step's virtual time. Must not steer. */
  onStep?(thread: SimThread, now: number): void;
}

/** Seeded pseudo-random choices: the default. */
export class SeededChoice implements ChoiceSource {
  private readonly prng: Prng;
  constructor(readonly seed: number) {
    this.prng = new Prng(seed);
  }
  choose(point: ChoicePoint): number {
    return this.prng.nextInt(point.n);
  }
  chooseIndex(_kind: ChoiceKind, n: number): number {
    return this.prng.nextInt(n);
  }
}

/**
 * Replays a recorded choice list. Past the end of the list (a shrunk list is a prefix) it answers 0, the
 * first alternative, which is also what the list-shrinker assumes; an out-of-range entry is clamped and
 * counted, so a caller can tell a faithful replay from a diverged one.
 */
export class ReplayChoice implements ChoiceSource {
  private pos = 0;
  divergences = 0;
  constructor(private readonly choices: readonly number[]) {}
  choose(point: ChoicePoint): number {
    return this.chooseIndex(point.kind, point.n);
  }
  chooseIndex(_kind: ChoiceKind, n: number): number {
    if (this.pos >= this.choices.length) {
      this.pos++;
      return 0;
    }
    const c = this.choices[this.pos++] ?? 0;
    if (c < 0 || c >= n || !Number.isInteger(c)) {
      this.divergences++;
      return Math.min(Math.max(0, Math.trunc(c)), n - 1);
    }
    return c;
  }
  get consumed(): number {
    return this.pos;
  }
}

/** Lets an explorer (PCT, DFS, …) answer each choice point through a callback. */
export class HookChoice implements ChoiceSource {
  constructor(private readonly hook: (point: ChoicePoint) => number) {}
  choose(point: ChoicePoint): number {
    return this.hook(point);
  }
}
