// Asks the run's one choice source and records its answers (for replay files and shrinking). Every
// nondeterministic decision of the kernel and of the layers above goes through `choose` here.
import type { ChoiceKind, ChoicePoint, ChoiceSource } from './choice.js';
import { SimModelError } from './outcome.js';

/** Candidate thread ids of a choice point: a list, or a function that builds it only when read. */
export type ChoiceIds = readonly number[] | (() => readonly number[]);

export class ChoiceRecorder {
  /** The recorded answers (empty when recording is off). */
  readonly answers: number[] = [];
  readonly kinds: ChoiceKind[] = [];
  /** Number of choice points answered, recorded or not. */
  count = 0;

  constructor(
    private readonly source: ChoiceSource,
    private readonly record: boolean,
    /** The state digest offered to sources that read ChoicePoint.fingerprint. */
    private readonly fingerprint: () => string,
  ) {}

  choose(kind: ChoiceKind, n: number, ids: ChoiceIds, time: number): number {
    if (n <= 1) return 0;
    const index = this.count++;
    const src = this.source;
    const c = src.chooseIndex !== undefined ? src.chooseIndex(kind, n) : src.choose(new LazyChoicePoint(kind, n, ids, index, time, this.fingerprint));
    if (!Number.isInteger(c) || c < 0 || c >= n) {
      throw new SimModelError(`choice source answered ${c} for a ${kind} choice among ${n}`);
    }
    if (this.record) {
      this.answers.push(c);
      this.kinds.push(kind);
    }
    return c;
  }
}

/**
 * A choice point whose candidate ids are computed only if the choice source reads them (seeded and replay
 * sources never do; building them is O(n) for a mutex with n waiters). A class, so the getter lives on the
 * prototype and the object keeps a fast shape.
 */
class LazyChoicePoint implements ChoicePoint {
  private idList: readonly number[] | null;
  constructor(
    readonly kind: ChoiceKind,
    readonly n: number,
    private readonly idSource: ChoiceIds,
    readonly index: number,
    readonly time: number,
    readonly fingerprint: () => string,
  ) {
    this.idList = typeof idSource === 'function' ? null : idSource;
  }
  get ids(): readonly number[] {
    this.idList ??= typeof this.idSource === 'function' ? this.idSource() : this.idSource;
    return this.idList;
  }
}
