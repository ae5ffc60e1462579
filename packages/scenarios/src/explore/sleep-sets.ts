// Sleep sets (Godefroid 1996) for the depth-first explorer: after the subtree under "thread A steps here"
// is explored, A is put to sleep in its later siblings' subtrees and stays asleep as long as every step
// taken is independent of A's (step-footprint.ts); a schedule choice point never offers a sleeping thread,
// and a run whose every candidate sleeps is abandoned (all its continuations are equivalent to explored
// ones). The footprint of A's step is the one it had when it was explored, which is the step A would take
// again: nothing dependent on it has happened since.
import type { SimThread } from '@vgicsim/kvm-sim';
import { FootprintRecorder, type Independence, type Relation, type StepFootprint, relationOf } from './step-footprint.js';

/** Thrown out of a run whose every candidate at a schedule choice point is asleep. */
export class SleepSetBlocked extends Error {
  override readonly name = 'SleepSetBlocked';
  constructor() {
    super('every candidate of this schedule choice point is asleep: the run is redundant');
  }
}

/** Whether an error ending a run is the sleep-set cut (thrown from a choice point, possibly wrapped). */
export function isSleepSetBlocked(e: unknown): boolean {
  return e instanceof SleepSetBlocked || (e instanceof Error && e.cause instanceof SleepSetBlocked);
}

/** The sleep-set state of one schedule choice point on the explorer's path. */
export interface SleepNode {
  /** Candidate thread ids, in the kernel's order. */
  readonly ids: readonly number[];
  /** The sleep set on arrival. */
  readonly sleepIn: readonly StepFootprint[];
  /** Footprint of the step each explored alternative took (by alternative index), when it finished. */
  readonly stepOf: (StepFootprint | undefined)[];
}

/** One run's view: the current sleep set, kept up to date step by step. */
export class SleepSetRun {
  private readonly recorder: FootprintRecorder;
  private readonly independent: Relation;
  private sleep: StepFootprint[] = [];
  private awaiting: { node: SleepNode; alt: number } | null = null;
  /** False once the run is past the branching bound: nothing is recorded any more. */
  active = true;

  constructor(independence: Independence = 'sound') {
    this.recorder = new FootprintRecorder(independence !== 'sound');
    this.independent = relationOf(independence);
  }

  attach(threads: readonly SimThread[]): void {
    this.recorder.attach(threads);
  }

  onStep(t: SimThread, now: number): void {
    if (!this.active) return;
    this.settle();
    // A step's footprint is read only by the node awaiting its first step and by the sleepers it may wake;
    // neither can change before the step ends (nodes are taken at schedule points, between steps). With
    // neither, the footprint would be dropped: it is not recorded at all.
    if (this.awaiting !== null || this.sleep.length > 0) this.recorder.begin(t, now);
  }

  /** A choice point: inside a step it is an internal choice (the step becomes opaque). */
  onChoice(kind: string): void {
    if (kind !== 'schedule' && this.recorder.inStep) this.recorder.markInternalChoice();
    if (kind === 'schedule') this.settle();
  }

  /** Ends the step in progress and wakes every sleeper it does not commute with. */
  private settle(): void {
    const fp = this.recorder.finish();
    if (fp === null) return;
    if (this.awaiting !== null) {
      this.awaiting.node.stepOf[this.awaiting.alt] = fp;
      this.awaiting = null;
    }
    if (this.sleep.length > 0) this.sleep = this.sleep.filter((s) => this.independent(s, fp));
  }

  /** A new schedule node: the candidates that are not asleep. */
  newNode(ids: readonly number[]): { node: SleepNode; awake: number[] } {
    const node: SleepNode = { ids: [...ids], sleepIn: this.sleep, stepOf: [] };
    const awake: number[] = [];
    for (let i = 0; i < ids.length; i++) if (!this.sleep.some((s) => s.thread === ids[i])) awake.push(i);
    return { node, awake };
  }

  /**
   * Taking alternative `alt` at `node` after `explored` (the alternatives whose subtrees are done): they go
   * to sleep, with the sleepers inherited from the node.
   */
  take(node: SleepNode, alt: number, explored: readonly number[]): void {
    const sleep = [...node.sleepIn];
    for (const j of explored) {
      const fp = node.stepOf[j];
      if (fp !== undefined && !fp.opaque) sleep.push(fp);
    }
    this.sleep = sleep;
    this.awaiting = { node, alt };
  }
}
