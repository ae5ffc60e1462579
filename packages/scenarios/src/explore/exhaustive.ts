// Exhaustive (depth-first) exploration of choice sequences, stateless in the style of VeriSoft/CHESS: each
// run replays the prefix of the current tree path through a HookChoice and answers the first alternative
// beyond it; after the run the deepest choice point with an untried alternative is advanced.
//
// Bounds, because a real scenario's tree is astronomically large:
// - `bound`: only the first `bound` choice points of a run branch; later ones take alternative 0. The tree
//   is then complete up to that depth (a preemption-bounded-like cut, by position instead of preemptions).
// - 'duration' points branch on {0, n−1} only (the minimum and maximum of the range): a range of a few
//   thousand ns would otherwise multiply the tree by thousands for orderings the extremes mostly cover.
// - the driver's run budget.
//
// Pruning (a heuristic, on by default): when a new choice point's (fingerprint, index-in-run) pair was
// already seen on another path, its alternatives are not explored again, only alternative 0 is taken. This
// is state-hash pruning, and it is sound only as far as the fingerprint captures the state: the kernel's
// fingerprint covers threads, pending ops, waits and registered contributors, but not virtual time, queued
// wake-up times or guest-local variables nobody registered; equal fingerprints with different such state
// can hide a failure. Pass `prune: false` for a plain (complete within the bound) enumeration.
//
// Sleep sets (`sleepSets`, sleep-sets.ts): a partial-order reduction that is sound for this kernel — it
// skips only schedules equivalent to explored ones by swapping steps that provably commute — so with
// `prune: false` it reaches the same final states as the plain enumeration of the bounded tree.
import { type ChoicePoint, type ChoiceSource, HookChoice } from '@vgicsim/kvm-sim';
import { type SleepNode, SleepSetBlocked, SleepSetRun } from './sleep-sets.js';
import type { Independence } from './step-footprint.js';
import type { ScheduleAttempt, ScheduleRun, Strategy } from './types.js';

export interface ExhaustiveOptions {
  /** Number of choice points per run that branch (default 64). */
  readonly bound?: number;
  /** State-hash pruning (default true); see the file comment for why it is only a heuristic. */
  readonly prune?: boolean;
  /** Sleep-set partial-order reduction (default false). */
  readonly sleepSets?: boolean;
  /** The sleep sets' independence relation (default 'sound'; the others are measuring instruments). */
  readonly independence?: Independence;
}

/** What the reductions cut. */
export interface ExhaustiveStats {
  /** Choice points whose alternatives state-hash pruning dropped (only alternative 0 taken). */
  readonly statePruned: number;
  /** Alternatives not explored because their thread was asleep. */
  readonly sleepSkipped: number;
  /** Runs abandoned because every candidate of a choice point was asleep (not counted as schedules). */
  readonly sleepBlocked: number;
}

/** One choice point on the current path of the tree. */
interface Node {
  readonly kind: ChoicePoint['kind'];
  readonly n: number;
  readonly alternatives: readonly number[];
  cursor: number;
  /** Sleep-set data of a branching schedule point (sleep sets on). */
  readonly sleep: SleepNode | null;
}

/** Thrown when replaying a tree prefix meets a different choice point: the runner is not deterministic. */
export class NondeterministicRunnerError extends Error {
  override readonly name = 'NondeterministicRunnerError';
}

export class ExhaustiveStrategy implements Strategy {
  readonly mode = 'exhaustive' as const;
  readonly bound: number;
  readonly prune: boolean;
  readonly sleepSets: boolean;
  readonly independence: Independence;
  private readonly path: Node[] = [];
  private statePruned = 0;
  private sleepSkipped = 0;
  private sleepBlocked = 0;
  /** Fingerprints seen, by index in the run (a set per depth: no `${depth}:${fp}` string per choice point). */
  private readonly seen: Set<string>[] = [];
  private started = false;
  private finished = false;

  constructor(options: ExhaustiveOptions = {}) {
    this.bound = options.bound ?? 64;
    this.prune = options.prune ?? true;
    this.sleepSets = options.sleepSets ?? false;
    this.independence = options.independence ?? 'sound';
    if (!Number.isSafeInteger(this.bound) || this.bound < 0) {
      throw new RangeError(`exhaustive bound must be an integer ≥ 0 (got ${this.bound})`);
    }
  }

  /** True once every path of the (bounded, pruned) tree has been run. */
  get exhausted(): boolean {
    return this.finished;
  }

  get stats(): ExhaustiveStats {
    return { statePruned: this.statePruned, sleepSkipped: this.sleepSkipped, sleepBlocked: this.sleepBlocked };
  }

  next(): ScheduleAttempt | null {
    if (this.finished) return null;
    this.started = true;
    let depth = 0;
    if (!this.sleepSets) return { choice: new HookChoice((point) => this.answer(point, depth++, null)), seed: null };
    const run = new SleepSetRun(this.independence);
    const choice: ChoiceSource = {
      choose: (point) => this.answer(point, depth++, run),
      attach: (threads) => { run.attach(threads); },
      onStep: (t, now) => { run.onStep(t, now); },
    };
    return { choice, seed: null };
  }

  /** The run started by the last `next()` was abandoned with SleepSetBlocked: backtrack as after a run. */
  blocked(): void {
    this.sleepBlocked++;
    this.backtrack();
  }

  record(_run: ScheduleRun): void {
    this.backtrack();
  }

  private backtrack(): void {
    if (!this.started) return;
    // Backtrack: drop exhausted nodes from the end, then advance the deepest one with alternatives left.
    for (;;) {
      const last = this.path.at(-1);
      if (last === undefined) {
        this.finished = true;
        return;
      }
      if (last.cursor + 1 < last.alternatives.length) {
        last.cursor++;
        return;
      }
      this.path.pop();
    }
  }

  private answer(point: ChoicePoint, depth: number, run: SleepSetRun | null): number {
    if (run !== null) {
      run.onChoice(point.kind);
      if (depth >= this.bound) run.active = false;
    }
    const known = this.path[depth];
    if (known !== undefined) {
      if (known.n !== point.n || known.kind !== point.kind) {
        throw new NondeterministicRunnerError(
          `choice point ${depth} was a ${known.kind} choice among ${known.n} and is now a ${point.kind} choice among ${point.n}: the runner is not deterministic`,
        );
      }
      const alt = known.alternatives[known.cursor] ?? 0;
      if (run !== null && known.sleep !== null) run.take(known.sleep, alt, known.alternatives.slice(0, known.cursor));
      return alt;
    }
    let sleep: SleepNode | null = null;
    let awake: number[] | null = null;
    if (run !== null && point.kind === 'schedule' && depth < this.bound) {
      const fresh = run.newNode(point.ids);
      // Every candidate asleep: each continuation is equivalent to an explored schedule.
      if (fresh.awake.length === 0) throw new SleepSetBlocked();
      sleep = fresh.node;
      awake = fresh.awake;
    }
    let alternatives = this.alternatives(point, depth);
    if (alternatives.length <= 1) sleep = null;
    else if (awake !== null) {
      this.sleepSkipped += alternatives.length - awake.length;
      alternatives = awake;
    }
    const node: Node = { kind: point.kind, n: point.n, alternatives, cursor: 0, sleep };
    this.path.push(node);
    const alt = alternatives[0] ?? 0;
    if (sleep !== null) run?.take(sleep, alt, []);
    return alt;
  }

  private alternatives(point: ChoicePoint, depth: number): readonly number[] {
    if (depth >= this.bound) return ONLY_FIRST;
    const all = point.kind === 'duration' ? [0, point.n - 1] : allOf(point.n);
    if (!this.prune) return all;
    const fp = point.fingerprint();
    const seen = (this.seen[depth] ??= new Set<string>());
    if (seen.has(fp)) {
      this.statePruned++;
      return ONLY_FIRST;
    }
    seen.add(fp);
    return all;
  }
}

// Alternative lists are only read (a node's cursor walks them): one shared list per size, not one per node.
const ONLY_FIRST: readonly number[] = Object.freeze([0]);
const ALL_OF: (readonly number[] | undefined)[] = [];

/** [0, 1, …, n − 1]. */
function allOf(n: number): readonly number[] {
  return (ALL_OF[n] ??= Object.freeze(Array.from({ length: n }, (_, i) => i)));
}
