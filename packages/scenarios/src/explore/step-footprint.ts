// What one kernel step did, as far as the sleep-set reduction's independence relation can know it, and the
// relation itself. A step (kvm-sim kernel/scheduler.ts `step`) performs the thread's pending op and,
// unless the op blocked, resumes its generator up to the next yield: arbitrary QEMU/KVM/guest model code
// whose reads and writes the kernel cannot see. So the relation is conservative: a step is "opaque"
// (dependent with every step) when it ran model code, changed another thread, or made an internal choice;
// the only steps that may commute are those that did nothing but block on a kernel object (a contended
// lock, a condvar wait, a join, a wait-queue block without an `until` predicate), at the same virtual
// instant and queued time, on different objects. Two such steps leave exactly the same simulator state in
// either order (each only appends itself to its own object's waiter list and leaves the run queue), so
// swapping them changes no later choice point: see the scenarios README, "Partial-order reduction".
import type { SimThread } from '@vgicsim/kvm-sim';

/** What a thread has pending: an op it yielded, or the kernel's timeout of a timed block. */
type Pending = SimThread['pending'];

export interface StepFootprint {
  readonly thread: number;
  /** Virtual time at which the step ran (its effective instant: max(queued time, now)). */
  readonly instant: number;
  /**
   * The time its step was queued for. Equal too, or the two orders could differ in which other threads fall
   * in the scheduling window in between (the window is measured from the earliest queued time), and with
   * it in how many choice points the bounded tree counts.
   */
  readonly queuedAt: number;
  /** Dependent with every other step (ran model code, touched another thread, made a choice, …). */
  readonly opaque: boolean;
  /** The kernel objects a non-opaque step touched (its op's mutex, condvar, wait queue or joined thread). */
  readonly objects: readonly object[];
}

/** Whether two steps of different threads commute from any state where both are enabled. */
export function independent(a: StepFootprint, b: StepFootprint): boolean {
  if (a.opaque || b.opaque || a.thread === b.thread || a.instant !== b.instant || a.queuedAt !== b.queuedAt) return false;
  return disjoint(a, b);
}

/**
 * Which independence relation the sleep sets use. Only 'sound' is a reduction. The two 'ideal' relations are
 * measuring instruments (never offered by the CLI): they pretend that a step's model code touches nothing
 * shared, so that a step depends on another only through the kernel object of its op — the most any
 * footprint-based partial-order reduction (sleep sets, DPOR) could ever cut, however precise the footprints
 * of model code were made. 'ideal-timed' keeps the same-instant condition of the sound relation; 'ideal-untimed'
 * drops it too, i.e. it also treats two orders that give a step a different virtual time as equivalent.
 * `npm run bench` prints the schedules each needs, which is how the README shows what bounds the reduction.
 */
export type Independence = 'sound' | 'ideal-timed' | 'ideal-untimed';
export const INDEPENDENCE_RELATIONS: readonly Independence[] = ['sound', 'ideal-timed', 'ideal-untimed'];

export type Relation = (a: StepFootprint, b: StepFootprint) => boolean;

/** The relation named by `kind`. */
export function relationOf(kind: Independence): Relation {
  switch (kind) {
    case 'sound':
      return independent;
    case 'ideal-timed':
      return (a, b) => a.thread !== b.thread && a.instant === b.instant && a.queuedAt === b.queuedAt && disjoint(a, b);
    case 'ideal-untimed':
      return (a, b) => a.thread !== b.thread && disjoint(a, b);
  }
}

function disjoint(a: StepFootprint, b: StepFootprint): boolean {
  for (const o of a.objects) if (b.objects.includes(o)) return false;
  return true;
}

/** Per-thread scheduling state before a step: any change in another thread makes the step opaque. */
interface ThreadSnapshot {
  state: SimThread['state'];
  pending: Pending;
  queued: boolean;
  queuedAt: number;
  signals: number;
  blockedOn: SimThread['blockedOn'];
}

/** The kernel object an op names, whatever the step then did (the 'ideal' instruments' whole footprint). */
function opObject(op: Pending): object[] {
  if (op === null) return [];
  switch (op.kind) {
    case 'lock':
    case 'trylock':
      return [op.mutex];
    case 'cond-wait':
      return [op.cond, op.mutex];
    case 'join':
      return [op.thread];
    case 'block':
      return [op.queue];
    case 'trylock-walk':
      return [...op.mutexes];
    default:
      return [];
  }
}

/** Op kinds whose step touches nothing but its own kernel object when it ends with the thread blocked. */
function opObjects(op: Pending): object[] | null {
  if (op === null) return null;
  switch (op.kind) {
    case 'lock':
    case 'cond-wait':
    case 'join':
      return opObject(op);
    case 'block':
      // An `until` predicate reads model state: opaque.
      return op.until === undefined ? opObject(op) : null;
    default:
      // sleep/yield resume the generator; trylock never blocks; a trylock walk may fast-forward time; a
      // timed block's timeout resumes it.
      return null;
  }
}

/**
 * Records the footprint of each step between `begin` (the kernel's onStep) and `finish` (the next onStep
 * or the next schedule choice point). Costs O(threads) for a step whose op may end blocked on its own object
 * (the others are opaque without looking); the sleep sets call it only while the run is inside the branching
 * bound and something will read the footprint.
 */
export class FootprintRecorder {
  private threads: readonly SimThread[] = [];
  private readonly before: ThreadSnapshot[] = [];
  private stepping: SimThread | null = null;
  private instant = 0;
  private queuedAt = 0;
  private op: Pending = null;
  private threadCount = 0;
  private internal = false;
  /** opObjects of the current step's op, taken at `begin` (null: the step is opaque, nothing snapshotted). */
  private objects: object[] | null = null;

  /** `ideal`: record only each op's kernel object (see Independence); the sound recorder otherwise. */
  constructor(private readonly ideal = false) {}

  attach(threads: readonly SimThread[]): void {
    this.threads = threads;
  }

  get inStep(): boolean {
    return this.stepping !== null;
  }

  /** An internal choice (lock-wake, duration) was made inside the current step. */
  markInternalChoice(): void {
    this.internal = true;
  }

  begin(t: SimThread, now: number): void {
    this.stepping = t;
    this.instant = now;
    this.queuedAt = t.queuedAt;
    this.op = t.pending;
    this.internal = false;
    this.threadCount = this.threads.length;
    // Most steps are opaque whatever they do to other threads (their op resumes model code): only a step
    // whose op may end blocked on its own object needs the snapshot `touchedOthers` compares against.
    this.objects = this.ideal ? null : opObjects(this.op);
    if (this.objects === null) return;
    for (let i = 0; i < this.threads.length; i++) {
      const u = this.threads[i] as SimThread;
      const s = this.before[i];
      if (s === undefined) this.before[i] = snapshot(u);
      else {
        s.state = u.state;
        s.pending = u.pending;
        s.queued = u.queued;
        s.queuedAt = u.queuedAt;
        s.signals = u.signals;
        s.blockedOn = u.blockedOn;
      }
    }
  }

  /** Ends the current step, if any, and returns its footprint. */
  finish(): StepFootprint | null {
    const t = this.stepping;
    if (t === null) return null;
    this.stepping = null;
    if (this.ideal) return { thread: t.id, instant: this.instant, queuedAt: this.queuedAt, opaque: false, objects: opObject(this.op) };
    const objects = this.objects;
    const opaque = this.internal || objects === null || t.state !== 'blocked' || this.touchedOthers(t);
    return { thread: t.id, instant: this.instant, queuedAt: this.queuedAt, opaque, objects: opaque ? [] : (objects) };
  }

  private touchedOthers(t: SimThread): boolean {
    if (this.threads.length !== this.threadCount) return true;
    for (let i = 0; i < this.threadCount; i++) {
      const u = this.threads[i] as SimThread;
      if (u === t) continue;
      const s = this.before[i] as ThreadSnapshot;
      if (
        s.state !== u.state ||
        s.pending !== u.pending ||
        s.queued !== u.queued ||
        s.queuedAt !== u.queuedAt ||
        s.signals !== u.signals ||
        s.blockedOn !== u.blockedOn
      ) {
        return true;
      }
    }
    return false;
  }
}

function snapshot(u: SimThread): ThreadSnapshot {
  return { state: u.state, pending: u.pending, queued: u.queued, queuedAt: u.queuedAt, signals: u.signals, blockedOn: u.blockedOn };
}
