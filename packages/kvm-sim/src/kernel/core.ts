// The kernel's state, shared by its modules: virtual time, the threads and the run queue, the limits of
// the run, the choice recorder and the trace sink. The behaviour lives in plain functions over this one
// object (scheduler.ts, runnable.ts, sync-semantics.ts, signals.ts), so the hot path stays direct calls on
// one monomorphic shape; Simulator (sim.ts) extends it with the public API.
import type { ChoiceKind, ChoiceSource } from './choice.js';
import { type ChoiceIds, ChoiceRecorder } from './choice-recorder.js';
import { DEFAULT_KERNEL_COSTS, type Duration, type KernelCosts, validateDuration } from './durations.js';
import type { Mutex, SimThread } from './objects.js';
import type { Outcome } from './outcome.js';
import { RunQueue } from './run-queue.js';
import type { HashedString, TraceData, TraceSink } from './trace.js';
import { KernelTrace, type TraceMode } from './trace-sink.js';
import { fingerprint } from './wait-state.js';

export interface SimOptions {
  /** Seed of the default (seeded PRNG) choice source. */
  readonly seed?: number;
  /** Replaces the seeded source (replay, exploration hooks). */
  readonly choice?: ChoiceSource;
  /**
   * Scheduling window in ns: threads whose next step is within this much of the earliest one are all
   * candidates to step next. 0 = strictly timed (only exact ties are choices).
   */
  readonly windowNs?: number;
  /** `off`: nothing; `hash`: trace hash only; `full`: hash and keep every event. Default `hash`. */
  readonly trace?: TraceMode;
  /** An extra sink (e.g. a streaming file writer); receives events unless trace is `off`. */
  readonly sink?: TraceSink;
  /** Maximum number of thread steps before the run ends with `budget-exceeded`. */
  readonly stepBudget?: number;
  /** Virtual time after which the run ends with `time-limit`. */
  readonly timeLimitNs?: number;
  readonly costs?: Partial<KernelCosts>;
  /** Record the answers of the choice source (needed for replay files and shrinking). Default true. */
  readonly recordChoices?: boolean;
}

export class KernelCore {
  now = 0;
  steps = 0;
  current: SimThread | null = null;
  readonly threads: SimThread[] = [];
  readonly costs: KernelCosts;
  readonly windowNs: number;
  readonly tracing: boolean;
  /** Kernel-internal from here on (the modules of src/kernel read and write these). */
  readonly queue = new RunQueue();
  readonly trace: KernelTrace;
  readonly recorder: ChoiceRecorder;
  readonly stepBudget: number;
  readonly timeLimitNs: number;
  /** Set once the run is over (first writer wins); the run loop stops after the current step. */
  outcome: Outcome | null = null;
  /** Live non-daemon threads: the run ends when the last one exits (daemons do not keep it alive). */
  liveNonDaemon = 0;
  /** Extra state the layers above add to fingerprints (QEMU flags, guest memory, …). */
  readonly fingerprintContributors: (() => string)[] = [];
  /** The choice source's step observer, if it has one (partial-order reduction watches steps). */
  readonly onStep: ((thread: SimThread, now: number) => void) | undefined;
  /** Ids of the last schedule candidates, for choice sources that read them (built once, used lazily). */
  readonly candidateIds = (): readonly number[] => this.queue.candidateIds();
  /** The mutex whose waiters a 'lock-wake' choice is about (ids built only if the source reads them). */
  releasing: Mutex | null = null;
  readonly releasingWaiterIds = (): readonly number[] => (this.releasing?.waiters.toArray() ?? []).map((w) => w.id);

  constructor(options: SimOptions, choice: ChoiceSource) {
    this.windowNs = options.windowNs ?? 0;
    if (!Number.isFinite(this.windowNs) || this.windowNs < 0) {
      throw new RangeError(`windowNs must be a finite number ≥ 0 (got ${this.windowNs})`);
    }
    this.trace = new KernelTrace(this, options.trace ?? 'hash', options.sink);
    this.tracing = this.trace.tracing;
    this.stepBudget = options.stepBudget ?? 200_000_000;
    this.timeLimitNs = options.timeLimitNs ?? Number.POSITIVE_INFINITY;
    this.recorder = new ChoiceRecorder(choice, options.recordChoices ?? true, () => this.fingerprint());
    this.onStep = choice.onStep?.bind(choice);
    choice.attach?.(this.threads);
    this.costs = { ...DEFAULT_KERNEL_COSTS, ...options.costs };
    for (const [name, d] of Object.entries(this.costs)) validateDuration(name, d as Duration);
  }

  /** Schedules t's next step `delay` ns from now, superseding any step it had queued. */
  schedule(t: SimThread, delay: number): void {
    if (t.queued) this.queue.remove(t);
    this.queue.add(t, this.now + delay);
  }

  /** Resolves a duration, drawing a range through the choice source. */
  resolve(d: Duration): number {
    if (typeof d === 'number') return d;
    const [lo, hi] = d;
    if (hi <= lo) return lo;
    return lo + this.choose('duration', hi - lo + 1, []);
  }

  /** A choice point for the layers above (e.g. which CPU a scenario churns next). */
  choose(kind: ChoiceKind, n: number, ids: ChoiceIds): number {
    return this.recorder.choose(kind, n, ids, this.now);
  }

  /** Digest of the present state (not of the history): see ChoicePoint.fingerprint. */
  fingerprint(): string {
    return fingerprint(this.threads, this.fingerprintContributors);
  }

  emit(kind: string, data?: TraceData): void {
    this.trace.emit(kind, data);
  }

  /**
   * The event `emit(kind.s, { [k1.s]: v1 })`, kind and key hashed once by the caller (a layer's hot events):
   * nothing is built when only the trace hash is kept. The layer's typed emitter owns the payload's type.
   */
  emitN(kind: HashedString, k1: HashedString, v1: number): void {
    this.trace.evN(kind, k1, v1);
  }

  /** `emit(kind.s, { [k1.s]: v1, [k2.s]: v2 })`, hashed in place (see emitN). */
  emitNS(kind: HashedString, k1: HashedString, v1: number, k2: HashedString, v2: string): void {
    this.trace.evNS(kind, k1, v1, k2, v2);
  }

  /** `emit(kind.s, { [k1.s]: v1, [k2.s]: v2, [k3.s]: v3 })`, hashed in place (see emitN). */
  emitNSS(kind: HashedString, k1: HashedString, v1: number, k2: HashedString, v2: string, k3: HashedString, v3: string): void {
    this.trace.evNSS(kind, k1, v1, k2, v2, k3, v3);
  }
}
