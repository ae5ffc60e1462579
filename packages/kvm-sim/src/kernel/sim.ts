// The deterministic discrete-event simulation kernel. Threads are generators (as SimPy processes); virtual
// time is integer nanoseconds; the kernel never reads the wall clock. Every nondeterministic decision goes
// through one ChoiceSource and is recorded, so a run can be replayed choice for choice.
import { type ChoicePoint, type ChoiceKind, type ChoiceSource, SeededChoice } from './choice.js';
import { DEFAULT_KERNEL_COSTS, type Duration, type KernelCosts, validateDuration } from './durations.js';
import { RunQueue } from './run-queue.js';
import {
  type BlockOp,
  type BlockResult,
  CondVar,
  type LockMode,
  type LockOp,
  Mutex,
  type Op,
  type Proc,
  type SignalHandler,
  SimThread,
  type TrylockWalkOp,
  WaitQueue,
} from './objects.js';
import { type Outcome, SimAbort, SimModelError, type WaitForEntry, describeWaitFor } from './outcome.js';
import { ArraySink, type HashFeed, type TraceData, type TraceEvent, TraceHasher, type TraceSink } from './trace.js';

export type TraceMode = 'off' | 'hash' | 'full';

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

export interface RunResult {
  readonly outcome: Outcome;
  /** Virtual time at the end of the run. */
  readonly now: number;
  readonly steps: number;
  /** The recorded answers (empty when `recordChoices` is off). */
  readonly choices: readonly number[];
  readonly choiceKinds: readonly ChoiceKind[];
  /** Number of choice points answered, recorded or not. */
  readonly choiceCount: number;
  readonly traceHash: string;
  readonly events: readonly TraceEvent[];
}

const BLOCKED: unique symbol = Symbol('blocked');
/** The op continues at a later step (a trylock walk that others may interleave with). */
const RESCHEDULED: unique symbol = Symbol('rescheduled');
/** A performed op's result value, or one of the two markers (symbols, so no result can collide). */
type Performed = unknown;
const TIMEOUT_OP: Op = { kind: 'yield', ns: 0 };


export interface SpawnOptions {
  /**
   * A daemon does not keep the run alive: the run ends `ok` when every non-daemon thread has exited,
   * whatever the daemons (vCPUs computing or idling forever) are doing. Left blocked, it is no deadlock.
   */
  readonly daemon?: boolean;
  readonly delayNs?: number;
  readonly data?: unknown;
}

export class Simulator {
  now = 0;
  steps = 0;
  current: SimThread | null = null;
  readonly threads: SimThread[] = [];
  readonly costs: KernelCosts;
  readonly windowNs: number;
  readonly tracing: boolean;
  private readonly keepEvents: boolean;
  /** Tracing with nothing but the hash to feed: events are hashed field by field, never built. */
  private readonly hashOnly: boolean;
  private readonly queue = new RunQueue();

  private outcome: Outcome | null = null;
  private readonly choice: ChoiceSource;
  private readonly recordChoices: boolean;
  private readonly choices: number[] = [];
  private readonly choiceKinds: ChoiceKind[] = [];
  private choiceIndex = 0;
  private readonly hasher = new TraceHasher();
  /** Where hashed events go. */
  private readonly feed: HashFeed = this.hasher;
  private readonly events = new ArraySink();
  private readonly sink: TraceSink | undefined;
  private traceSeq = 0;
  /** Live non-daemon threads: the run ends when the last one exits (daemons do not keep it alive). */
  private liveNonDaemon = 0;
  private readonly stepBudget: number;
  private readonly timeLimitNs: number;
  // Blocks with a timeout: the thread's pending slot holds the timeout marker, the op is kept here.
  private readonly timedBlocks = new Map<SimThread, BlockOp>();

  constructor(options: SimOptions = {}) {
    this.choice = options.choice ?? new SeededChoice(options.seed ?? 1);
    this.windowNs = options.windowNs ?? 0;
    if (!Number.isFinite(this.windowNs) || this.windowNs < 0) {
      throw new RangeError(`windowNs must be a finite number ≥ 0 (got ${this.windowNs})`);
    }
    const mode = options.trace ?? 'hash';
    this.tracing = mode !== 'off';
    this.keepEvents = mode === 'full';
    this.sink = options.sink;
    this.hashOnly = this.tracing && !this.keepEvents && this.sink === undefined;
    this.stepBudget = options.stepBudget ?? 200_000_000;
    this.timeLimitNs = options.timeLimitNs ?? Number.POSITIVE_INFINITY;
    this.recordChoices = options.recordChoices ?? true;
    this.costs = { ...DEFAULT_KERNEL_COSTS, ...options.costs };
    for (const [name, d] of Object.entries(this.costs)) validateDuration(name, d as Duration);
  }

  // ---------------------------------------------------------------------------------------------------
  // Threads

  spawn(name: string, body: () => Proc<unknown>, options: SpawnOptions = {}): SimThread {
    const t = new SimThread(this.threads.length, name, options.daemon ?? false, body());
    t.data = options.data;
    this.threads.push(t);
    if (!t.daemon) this.liveNonDaemon++;
    if (this.tracing) this.emit('spawn', { name, daemon: t.daemon });
    this.schedule(t, options.delayNs ?? (this.current === null ? 0 : this.resolve(this.costs.spawnNs)));
    return t;
  }

  threadName(id: number): string {
    return this.threads[id]?.name ?? `#${id}`;
  }

  self(): SimThread {
    const t = this.current;
    if (t === null) throw new SimModelError('a thread-context operation was called outside any simulated thread');
    return t;
  }

  // ---------------------------------------------------------------------------------------------------
  // Blocking operations (yield* these from a thread body)

  *sleep(ns: number, label?: string): Proc<number> {
    const r = yield { kind: 'sleep', ns, interruptible: false, label, interruptWakeNs: undefined };
    return r as number;
  }

  /**
   * Returns the ns left when a signal (or an in-kernel kick) cut the sleep short, 0 when it ran to the end.
   * `interruptWakeNs` is how long the interrupted thread takes to run again (default: signalWakeNs).
   */
  *sleepInterruptible(ns: number, label?: string, interruptWakeNs?: number): Proc<number> {
    const r = yield { kind: 'sleep', ns, interruptible: true, label, interruptWakeNs };
    return r as number;
  }

  /** A pure scheduling point (optionally costing time): lets other threads interleave here. */
  *schedPoint(ns = 0): Proc {
    yield { kind: 'yield', ns };
  }

  /** Blocking lock. Returns false only when a killable/interruptible wait was cut short by a signal. */
  *lock(mutex: Mutex, mode: LockMode = 'plain', costNs?: number): Proc<boolean> {
    const r = yield { kind: 'lock', mutex, mode, costNs };
    return r as boolean;
  }

  *trylock(mutex: Mutex, costNs?: number): Proc<boolean> {
    const r = yield { kind: 'trylock', mutex, costNs };
    return r as boolean;
  }

  /** Trylock every mutex in order (see TrylockWalkOp); returns the failing index, or -1 when all are held. */
  *trylockWalk(mutexes: readonly Mutex[], costNs: number): Proc<number> {
    if (mutexes.length === 0) return -1;
    const r = yield { kind: 'trylock-walk', mutexes, costNs };
    return r as number;
  }

  /** pthread_cond_wait: releases `mutex` and waits atomically, re-acquires it before returning. */
  *condWait(cond: CondVar, mutex: Mutex): Proc {
    yield { kind: 'cond-wait', cond, mutex };
  }

  *block(
    queue: WaitQueue,
    options: { interruptible?: boolean; until?: () => boolean; timeoutNs?: number; interruptWakeNs?: number } = {},
  ): Proc<BlockResult> {
    const r = yield {
      kind: 'block',
      queue,
      interruptible: options.interruptible ?? false,
      until: options.until,
      timeoutNs: options.timeoutNs,
      interruptWakeNs: options.interruptWakeNs,
    };
    return r as BlockResult;
  }

  /** Waits until a signal is pending for the calling thread (sigwait-like); returns at once if one is. */
  *waitSignal(queue: WaitQueue): Proc {
    const t = this.self();
    yield {
      kind: 'block',
      queue,
      interruptible: true,
      until: () => t.signals !== 0,
      timeoutNs: undefined,
      interruptWakeNs: undefined,
    };
  }

  *join(thread: SimThread): Proc<unknown> {
    return yield { kind: 'join', thread };
  }

  // ---------------------------------------------------------------------------------------------------
  // Non-blocking operations (plain calls from a thread body; they take effect at once)

  unlock(mutex: Mutex): void {
    this.release(mutex, this.self());
  }

  condSignal(cond: CondVar): void {
    const w = cond.waiters.shift();
    if (w !== undefined) this.wakeCondWaiter(w);
  }

  condBroadcast(cond: CondVar): void {
    if (this.tracing && cond.waiters.length > 0) this.ev2n('cond-broadcast', 'cond', cond.name, 'waiters', cond.waiters.length);
    const ws = cond.waiters.splice(0);
    for (const w of ws) this.wakeCondWaiter(w);
  }

  /** Wakes waiters of a wait queue; returns how many were woken. */
  wake(queue: WaitQueue, all = true, delay: Duration = this.costs.futexWakeNs): number {
    const ws = all ? queue.waiters.splice(0) : queue.waiters.splice(0, 1);
    for (const w of ws) {
      this.timedBlocks.delete(w);
      w.state = 'runnable';
      w.blockedOn = null;
      w.pending = null;
      w.resumeValue = 'woken';
      if (this.tracing) this.ev2s('wake', 'queue', queue.name, 'target', w.name);
      this.schedule(w, this.resolve(delay));
    }
    return ws.length;
  }

  setSignalHandler(thread: SimThread, signal: number, handler: SignalHandler): void {
    thread.handlers.set(signal, handler);
  }

  /** Sends `signal` to `target` (pthread_kill). Interrupts an interruptible wait at once. */
  kill(target: SimThread, signal: number): void {
    if (target.state === 'done') return;
    target.signals |= 1 << signal;
    if (this.tracing) this.ev2n('signal', 'target', target.name, 'signal', signal);
    this.interrupt(target, signal);
  }

  /**
   * Cuts an interruptible wait short without a signal: an in-kernel kick (kvm_vcpu_kick's IPI makes a
   * vCPU leave the guest to look at its requests). Returns whether the target was interrupted.
   */
  kick(target: SimThread): boolean {
    if (target.state === 'done') return false;
    return this.interrupt(target, -1);
  }

  signalPending(thread: SimThread): boolean {
    return thread.signals !== 0;
  }

  /** Marks entry into a system call: signal handlers are deferred until the matching leaveKernel. */
  enterKernel(thread: SimThread = this.self()): void {
    thread.inKernel++;
  }

  /** Return to user mode: pending signal handlers run here, as Linux runs them on syscall exit. */
  leaveKernel(thread: SimThread = this.self()): void {
    if (thread.inKernel <= 0) throw new SimModelError(`leaveKernel without enterKernel in ${thread.name}`);
    thread.inKernel--;
    if (thread.inKernel === 0 && thread.signals !== 0) this.runHandlers(thread);
  }

  /** Ends the run with outcome `abort` (QEMU's abort()); never returns. */
  abort(message: string): never {
    throw new SimAbort(message);
  }

  /** Ends the run after the current step with an outcome chosen by a higher layer. */
  stop(outcome: Outcome): void {
    this.outcome ??= outcome;
  }

  get stopped(): boolean {
    return this.outcome !== null;
  }

  /** Number of trace events emitted so far: a position in the trace. */
  get eventCount(): number {
    return this.traceSeq;
  }

  /** Resolves a duration, drawing a range through the choice source. */
  resolve(d: Duration): number {
    if (typeof d === 'number') return d;
    const [lo, hi] = d;
    if (hi <= lo) return lo;
    return lo + this.choose('duration', hi - lo + 1, []);
  }

  /** A choice point for the layers above (e.g. which CPU a scenario churns next). */
  choose(kind: ChoiceKind, n: number, ids: readonly number[] | (() => readonly number[])): number {
    if (n <= 1) return 0;
    const index = this.choiceIndex++;
    const c =
      this.choice.chooseIndex !== undefined
        ? this.choice.chooseIndex(kind, n)
        : this.choice.choose(new LazyChoicePoint(kind, n, ids, index, this.now, this));
    if (!Number.isInteger(c) || c < 0 || c >= n) {
      throw new SimModelError(`choice source answered ${c} for a ${kind} choice among ${n}`);
    }
    if (this.recordChoices) {
      this.choices.push(c);
      this.choiceKinds.push(kind);
    }
    return c;
  }

  /** Extra state the layers above add to fingerprints (QEMU flags, guest memory, …). */
  readonly fingerprintContributors: (() => string)[] = [];

  /** Digest of the present state (not of the history): see ChoicePoint.fingerprint. */
  fingerprint(): string {
    const h = new TraceHasher();
    let seq = 0;
    const put = (kind: string, data?: TraceData): void => {
      h.update({ seq: seq++, t: 0, thread: -1, kind, data });
    };
    for (const t of this.threads) {
      const on = t.blockedOn;
      const wait = on === null ? '' : on.kind === 'mutex' ? on.mutex.name : on.kind === 'cond' ? on.cond.name : on.kind === 'queue' ? on.queue.name : on.thread.name;
      put(t.name, { state: t.state, op: t.pending?.kind ?? '', wait, sig: t.signals });
    }
    for (const c of this.fingerprintContributors) put('x', { v: c() });
    return h.digest();
  }

  emit(kind: string, data?: TraceData): void {
    if (!this.tracing) return;
    if (this.hashOnly) {
      this.traceSeq++;
      const h = this.feed;
      h.begin(this.now, this.current?.id ?? -1, kind);
      if (data !== undefined) for (const key in data) h.field(key, data[key]);
      h.end();
      return;
    }
    const ev: TraceEvent = { seq: this.traceSeq++, t: this.now, thread: this.current?.id ?? -1, kind, data };
    this.hasher.update(ev);
    if (this.keepEvents) this.events.write(ev);
    this.sink?.write(ev);
  }

  // Kernel events with string/number fields: hashed in place when only the hash is kept (the hot path of
  // a traced run), built as objects otherwise. Field order is the order of the object literal it replaces.
  private ev1s(kind: string, k1: string, v1: string): void {
    if (!this.hashOnly) {
      this.emit(kind, { [k1]: v1 });
      return;
    }
    this.traceSeq++;
    const h = this.feed;
    h.begin(this.now, this.current?.id ?? -1, kind);
    h.fieldStr(k1, v1);
    h.end();
  }

  /** `lock` (heldNs < 0) and `unlock` events: the bulk of a long run's trace. */
  private evMutex(kind: string, m: Mutex, heldNs: number): void {
    if (!this.hashOnly) {
      this.emit(kind, heldNs < 0 ? { mutex: m.name } : { mutex: m.name, heldNs });
      return;
    }
    this.traceSeq++;
    const h = this.feed;
    h.begin(this.now, this.current?.id ?? -1, kind);
    h.fieldMutex('mutex', m);
    if (heldNs >= 0) h.fieldNum('heldNs', heldNs);
    h.end();
  }

  private ev2s(kind: string, k1: string, v1: string, k2: string, v2: string): void {
    if (!this.hashOnly) {
      this.emit(kind, { [k1]: v1, [k2]: v2 });
      return;
    }
    this.traceSeq++;
    const h = this.feed;
    h.begin(this.now, this.current?.id ?? -1, kind);
    h.fieldStr(k1, v1);
    h.fieldStr(k2, v2);
    h.end();
  }

  private ev2n(kind: string, k1: string, v1: string, k2: string, v2: number): void {
    if (!this.hashOnly) {
      this.emit(kind, { [k1]: v1, [k2]: v2 });
      return;
    }
    this.traceSeq++;
    const h = this.feed;
    h.begin(this.now, this.current?.id ?? -1, kind);
    h.fieldStr(k1, v1);
    h.fieldNum(k2, v2);
    h.end();
  }

  // ---------------------------------------------------------------------------------------------------
  // The run loop

  run(): RunResult {
    while (this.outcome === null) {
      const next = this.nextThread();
      if (next === undefined) {
        this.outcome = this.idleOutcome();
        break;
      }
      const time = next.queuedAt;
      if (time > this.timeLimitNs) {
        this.outcome = { kind: 'time-limit', message: `virtual time limit of ${this.timeLimitNs} ns reached` };
        break;
      }
      if (++this.steps > this.stepBudget) {
        this.outcome = { kind: 'budget-exceeded', message: `step budget of ${this.stepBudget} exhausted at t=${this.now} ns` };
        break;
      }
      if (time > this.now) this.now = time;
      this.step(next);
    }
    this.current = null;
    const outcome = this.outcome;
    if (this.tracing) this.emitEnd(outcome);
    return {
      outcome,
      now: this.now,
      steps: this.steps,
      choices: this.choices,
      choiceKinds: this.choiceKinds,
      choiceCount: this.choiceIndex,
      traceHash: this.hasher.digest(),
      events: this.events.events,
    };
  }

  private emitEnd(outcome: Outcome): void {
    this.current = null;
    this.emit('end', { outcome: outcome.kind });
  }

  private nextThread(): SimThread | undefined {
    const q = this.queue;
    const n = q.candidates(this.windowNs);
    if (n === 0) return undefined;
    const cand = q.cand;
    let chosen = cand[0] as SimThread;
    if (n > 1) chosen = cand[this.choose('schedule', n, this.candidateIds)] as SimThread;
    q.remove(chosen);
    return chosen;
  }

  private readonly candidateIds = (): readonly number[] => this.queue.candidateIds();
  /** The mutex whose waiters a 'lock-wake' choice is about (ids built only if the source reads them). */
  private releasing: Mutex | null = null;
  private readonly releasingWaiterIds = (): readonly number[] => (this.releasing?.waiters ?? []).map((w) => w.id);

  /** Schedules t's next step `delay` ns from now, superseding any step it had queued. */
  private schedule(t: SimThread, delay: number): void {
    if (t.queued) this.queue.remove(t);
    this.queue.add(t, this.now + delay);
  }

  private step(t: SimThread): void {
    this.current = t;
    let value: unknown;
    const op = t.pending;
    if (op !== null) {
      t.pending = null;
      value = this.perform(t, op);
      if (value === BLOCKED || value === RESCHEDULED) {
        this.current = null;
        return;
      }
    } else {
      value = t.resumeValue;
      t.resumeValue = undefined;
    }
    this.advance(t, value);
    this.current = null;
  }

  private advance(t: SimThread, value: unknown): void {
    if (t.signals !== 0 && t.inKernel === 0) this.runHandlers(t);
    let res: IteratorResult<Op, unknown>;
    try {
      res = t.gen.next(value);
    } catch (e) {
      if (e instanceof SimAbort) {
        this.outcome ??= { kind: 'abort', message: e.message, thread: t.name, time: this.now };
        if (this.tracing) this.emit('abort', { message: e.message });
        return;
      }
      if (e instanceof SimModelError) throw e.at(t.name, this.now);
      const msg = e instanceof Error ? e.message : String(e);
      const err = new SimModelError(`thread body threw: ${msg}`).at(t.name, this.now);
      err.cause = e;
      throw err;
    }
    if (res.done === true) {
      this.exitThread(t, res.value);
      return;
    }
    const next = res.value;
    t.pending = next;
    switch (next.kind) {
      case 'sleep':
        t.sleepStart = this.now;
        t.sleepNs = next.ns;
        this.schedule(t, next.ns);
        return;
      case 'yield':
        this.schedule(t, next.ns);
        return;
      case 'lock':
      case 'trylock':
        this.schedule(t, next.costNs ?? this.resolve(this.costs.mutexFastPathNs));
        return;
      case 'trylock-walk':
        t.walkIndex = 0;
        this.schedule(t, next.costNs);
        return;
      default:
        this.schedule(t, 0);
    }
  }

  private perform(t: SimThread, op: Op): Performed {
    switch (op.kind) {
      case 'sleep':
        return 0;
      case 'yield':
        if (op === TIMEOUT_OP) return this.timeoutBlock(t);
        return undefined;
      case 'lock':
        return this.performLock(t, op);
      case 'trylock': {
        const m = op.mutex;
        if (m.owner === null) {
          this.acquire(m, t);
          return true;
        }
        if (this.tracing) this.ev2s('trylock-fail', 'mutex', m.name, 'owner', m.owner.name);
        return false;
      }
      case 'trylock-walk':
        return this.performWalk(t, op);
      case 'cond-wait': {
        if (op.mutex.owner !== t) {
          throw new SimModelError(`cond wait on ${op.cond.name} without holding ${op.mutex.name}`);
        }
        this.release(op.mutex, t);
        op.cond.waiters.push(t);
        t.state = 'blocked';
        t.blockedOn = { kind: 'cond', cond: op.cond, mutex: op.mutex };
        if (this.tracing) this.ev2s('cond-wait', 'cond', op.cond.name, 'mutex', op.mutex.name);
        return BLOCKED;
      }
      case 'block':
        return this.performBlock(t, op);
      case 'join': {
        const target = op.thread;
        if (target.state === 'done') return target.result;
        target.joiners.push(t);
        t.state = 'blocked';
        t.blockedOn = { kind: 'join', thread: target };
        return BLOCKED;
      }
    }
  }

  private performLock(t: SimThread, op: LockOp): Performed {
    const m = op.mutex;
    if (m.owner === t) throw new SimModelError(`${t.name} locks ${m.name}, which it already holds (non-recursive)`);
    if (m.owner === null) {
      this.acquire(m, t);
      return true;
    }
    m.contentions++;
    m.waiters.push(t);
    t.state = 'blocked';
    t.blockedOn = { kind: 'mutex', mutex: m };
    t.pending = op;
    if (this.tracing) this.ev2s('lock-wait', 'mutex', m.name, 'owner', m.owner.name);
    return BLOCKED;
  }

  private performWalk(t: SimThread, op: TrylockWalkOp): Performed {
    const n = op.mutexes.length;
    for (;;) {
      const i = t.walkIndex;
      const m = op.mutexes[i] as Mutex;
      if (m.owner !== null) {
        if (this.tracing) this.ev2s('trylock-fail', 'mutex', m.name, 'owner', m.owner.name);
        for (let j = i - 1; j >= 0; j--) this.release(op.mutexes[j] as Mutex, t);
        return i;
      }
      this.acquire(m, t);
      if (i + 1 === n) return -1;
      t.walkIndex = i + 1;
      // Fast-forward only when the next trylock would be the sole candidate anyway: nothing else is
      // scheduled within the window of its time, so stepping through the queue could not change a thing.
      const nextTime = this.now + op.costNs;
      const other = this.queue.earliestTime();
      if (nextTime > this.timeLimitNs || (other !== undefined && other <= nextTime + this.windowNs)) {
        t.pending = op;
        this.schedule(t, op.costNs);
        return RESCHEDULED;
      }
      if (++this.steps > this.stepBudget) {
        t.pending = op;
        this.schedule(t, op.costNs);
        return RESCHEDULED;
      }
      this.now = nextTime;
    }
  }

  private performBlock(t: SimThread, op: BlockOp): Performed {
    if (op.until?.() === true) return 'woken' satisfies BlockResult;
    if (op.interruptible && t.signals !== 0) return 'interrupted' satisfies BlockResult;
    op.queue.waiters.push(t);
    t.state = 'blocked';
    t.blockedOn = { kind: 'queue', queue: op.queue };
    t.pending = op;
    if (this.tracing) this.ev1s('block', 'queue', op.queue.name);
    if (op.timeoutNs !== undefined) {
      t.pending = TIMEOUT_OP;
      this.timedBlocks.set(t, op);
      this.schedule(t, op.timeoutNs);
    }
    return BLOCKED;
  }

  private timeoutBlock(t: SimThread): Performed {
    const op = this.timedBlocks.get(t);
    this.timedBlocks.delete(t);
    if (op !== undefined) removeFrom(op.queue.waiters, t);
    t.state = 'runnable';
    t.blockedOn = null;
    if (this.tracing) this.emit('timeout', { queue: op?.queue.name ?? '?' });
    return 'timeout' satisfies BlockResult;
  }

  private acquire(m: Mutex, t: SimThread): void {
    m.owner = t;
    m.acquiredAt = this.now;
    m.acquisitions++;
    if (this.tracing) this.evMutex('lock', m, -1);
  }

  private release(m: Mutex, t: SimThread): void {
    if (m.owner !== t) {
      throw new SimModelError(`${t.name} unlocks ${m.name}, held by ${m.owner?.name ?? 'nobody'}`);
    }
    const held = this.now - m.acquiredAt;
    if (held > m.maxHoldNs) m.maxHoldNs = held;
    m.owner = null;
    if (this.tracing) this.evMutex('unlock', m, held);
    if (m.waiters.length === 0) return;
    if (m.policy === 'fifo') {
      const w = m.waiters.shift() as SimThread;
      m.owner = w;
      m.acquiredAt = this.now;
      m.acquisitions++;
      w.state = 'runnable';
      w.blockedOn = null;
      w.pending = null;
      w.resumeValue = true;
      if (this.tracing) this.ev2s('handoff', 'mutex', m.name, 'to', w.name);
      this.schedule(w, this.resolve(this.costs.futexWakeNs));
      return;
    }
    this.releasing = m;
    const idx = this.choose('lock-wake', m.waiters.length, this.releasingWaiterIds);
    const w = m.waiters.splice(idx, 1)[0] as SimThread;
    w.state = 'runnable';
    w.blockedOn = null;
    // w.pending still holds its lock op: it retries when it runs and may find the mutex taken again.
    if (this.tracing) this.ev2s('lock-wake', 'mutex', m.name, 'target', w.name);
    this.schedule(w, this.resolve(this.costs.futexWakeNs));
  }

  private wakeCondWaiter(w: SimThread): void {
    const on = w.blockedOn;
    if (on?.kind !== 'cond') throw new SimModelError(`${w.name} is on a condvar list but not waiting on it`);
    w.state = 'runnable';
    w.blockedOn = null;
    const relock: LockOp = { kind: 'lock', mutex: on.mutex, mode: 'plain', costNs: 0 };
    w.pending = relock;
    if (this.tracing) this.ev2s('cond-wake', 'cond', on.cond.name, 'target', w.name);
    this.schedule(w, this.resolve(this.costs.condWakeNs));
  }

  /** signal -1 is an in-kernel kick: it interrupts waits but delivers nothing. */
  private interrupt(t: SimThread, signal: number): boolean {
    const pend = t.pending;
    if (t.state === 'runnable' && pend !== null && pend.kind === 'sleep' && pend.interruptible) {
      const remaining = Math.max(0, t.sleepStart + t.sleepNs - this.now);
      t.pending = null;
      t.resumeValue = remaining;
      if (this.tracing) this.ev2n('interrupt', 'target', t.name, 'remainingNs', remaining);
      this.schedule(t, pend.interruptWakeNs ?? this.resolve(this.costs.signalWakeNs));
      return true;
    }
    if (t.state !== 'blocked') return false;
    const on = t.blockedOn;
    if (on?.kind === 'queue') {
      const op = t.pending === TIMEOUT_OP ? this.timedBlocks.get(t) : t.pending;
      if (op?.kind === 'block' && op.interruptible) {
        this.timedBlocks.delete(t);
        removeFrom(on.queue.waiters, t);
        t.state = 'runnable';
        t.blockedOn = null;
        t.pending = null;
        t.resumeValue = 'interrupted' satisfies BlockResult;
        if (this.tracing) this.ev2s('interrupt', 'target', t.name, 'queue', on.queue.name);
        this.schedule(t, op.interruptWakeNs ?? this.resolve(this.costs.signalWakeNs));
        return true;
      }
    } else if (on?.kind === 'mutex' && t.pending?.kind === 'lock' && signal >= 0) {
      const mode = t.pending.mode;
      if (mode === 'interruptible' || (mode === 'killable' && signal === SIGKILL)) {
        removeFrom(on.mutex.waiters, t);
        t.state = 'runnable';
        t.blockedOn = null;
        t.pending = null;
        t.resumeValue = false;
        if (this.tracing) this.ev2s('interrupt', 'target', t.name, 'mutex', on.mutex.name);
        this.schedule(t, this.resolve(this.costs.signalWakeNs));
        return true;
      }
    }
    // A thread blocked in user space runs its handler asynchronously and keeps waiting.
    if (signal >= 0 && t.inKernel === 0) this.runHandlers(t);
    return false;
  }

  private runHandlers(t: SimThread): void {
    const prev = this.current;
    this.current = t;
    for (let sig = 0; t.signals !== 0 && sig < 32; sig++) {
      const bit = 1 << sig;
      if ((t.signals & bit) === 0) continue;
      t.signals &= ~bit;
      const h = t.handlers.get(sig);
      if (h !== undefined) {
        if (this.tracing) this.emit('signal-handler', { signal: sig });
        h(t, sig);
      }
    }
    this.current = prev;
  }

  private exitThread(t: SimThread, value: unknown): void {
    this.queue.remove(t);
    t.state = 'done';
    t.result = value;
    t.pending = null;
    if (this.tracing) this.emit('exit');
    if (!t.daemon && --this.liveNonDaemon === 0) this.outcome ??= { kind: 'ok' };
    for (const j of t.joiners.splice(0)) {
      j.state = 'runnable';
      j.blockedOn = null;
      j.pending = null;
      j.resumeValue = value;
      this.schedule(j, 0);
    }
  }

  private idleOutcome(): Outcome {
    const stuck = this.threads.filter((t) => !t.daemon && t.state !== 'done');
    if (stuck.length === 0) return { kind: 'ok' };
    const waitFor = this.waitFor();
    return {
      kind: 'deadlock',
      message: `no thread can run again at t=${this.now} ns: ${describeWaitFor(waitFor)}`,
      waitFor,
      time: this.now,
    };
  }

  /** Who waits on what, held by whom: every blocked thread. */
  waitFor(): WaitForEntry[] {
    const out: WaitForEntry[] = [];
    for (const t of this.threads) {
      const on = t.blockedOn;
      if (t.state !== 'blocked' || on === null) continue;
      switch (on.kind) {
        case 'mutex':
          out.push({ thread: t.name, daemon: t.daemon, kind: 'mutex', on: on.mutex.name, heldBy: on.mutex.owner?.name ?? null });
          break;
        case 'cond':
          out.push({ thread: t.name, daemon: t.daemon, kind: 'cond', on: on.cond.name, heldBy: null });
          break;
        case 'queue':
          out.push({ thread: t.name, daemon: t.daemon, kind: 'queue', on: on.queue.name, heldBy: null });
          break;
        case 'join':
          out.push({ thread: t.name, daemon: t.daemon, kind: 'join', on: on.thread.name, heldBy: null });
          break;
      }
    }
    return out;
  }
}

export const SIGKILL = 9;

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
    private readonly idSource: readonly number[] | (() => readonly number[]),
    readonly index: number,
    readonly time: number,
    private readonly sim: Simulator,
  ) {
    this.idList = typeof idSource === 'function' ? null : idSource;
  }
  get ids(): readonly number[] {
    this.idList ??= typeof this.idSource === 'function' ? this.idSource() : this.idSource;
    return this.idList;
  }
  readonly fingerprint = (): string => this.sim.fingerprint();
}

function removeFrom(list: SimThread[], t: SimThread): void {
  const i = list.indexOf(t);
  if (i >= 0) list.splice(i, 1);
}

export { CondVar, Mutex, WaitQueue };
