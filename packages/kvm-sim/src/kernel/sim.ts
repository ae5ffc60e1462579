// The deterministic discrete-event simulation kernel. Threads are generators (as SimPy processes); virtual
// time is integer nanoseconds; the kernel never reads the wall clock. Every nondeterministic decision goes
// through one ChoiceSource and is recorded, so a run can be replayed choice for choice.
//
// This module is the public face: the options, the op API thread bodies yield from, and the run. The
// state lives in core.ts; the scheduler, the one make-runnable path, the sync semantics, signals, choice
// recording, the trace sink and the wait-state descriptions each have a module of their own.
import { type ChoiceKind, SeededChoice } from './choice.js';
import { KernelCore, type SimOptions } from './core.js';
import type { Duration } from './durations.js';
import {
  type BlockResult,
  CondVar,
  type LockMode,
  Mutex,
  type Proc,
  type SignalHandler,
  SimThread,
  WaitQueue,
} from './objects.js';
import {
  DoneCall,
  type OpCall,
  blockOp,
  condWaitOp,
  joinOp,
  lockOp,
  sleepOp,
  trylockOp,
  trylockWalkOp,
  yieldOp,
} from './op-call.js';
import { type Outcome, SimAbort, SimModelError, type WaitForEntry } from './outcome.js';
import { runLoop } from './scheduler.js';
import { SIGKILL, kick, kill, leaveKernel } from './signals.js';
import { condBroadcast, condSignal, release, releaseReverse, wakeQueue } from './sync-semantics.js';
import type { TraceEvent } from './trace.js';
import type { TraceMode } from './trace-sink.js';
import { waitFor } from './wait-state.js';

export type { OpCall, SimOptions, TraceMode };

/** trylockWalk over no mutexes: nothing to take, nothing failed. */
const WALK_NOTHING: OpCall<number> = new DoneCall(-1);

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

export interface SpawnOptions {
  /**
   * A daemon does not keep the run alive: the run ends `ok` when every non-daemon thread has exited,
   * whatever the daemons (vCPUs computing or idling forever) are doing. Left blocked, it is no deadlock.
   */
  readonly daemon?: boolean;
  readonly delayNs?: number;
  readonly data?: unknown;
}

export class Simulator extends KernelCore {
  constructor(options: SimOptions = {}) {
    super(options, options.choice ?? new SeededChoice(options.seed ?? 1));
  }

  // ---------------------------------------------------------------------------------------------------
  // Threads

  spawn(name: string, body: () => Proc<unknown>, options: SpawnOptions = {}): SimThread {
    const t = new SimThread(this.threads.length, name, options.daemon ?? false, body());
    t.data = options.data;
    this.threads.push(t);
    if (!t.daemon) this.liveNonDaemon++;
    if (this.tracing) this.trace.kernel('spawn', { name, daemon: t.daemon });
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

  // Each returns its op as a one-shot iterable (op-call.ts): `yield*` it at once, as a generator's call.

  sleep(ns: number, label?: string): OpCall<number> {
    return sleepOp(ns, false, label, undefined);
  }

  /**
   * Returns the ns left when a signal (or an in-kernel kick) cut the sleep short, 0 when it ran to the end.
   * `interruptWakeNs` is how long the interrupted thread takes to run again (default: signalWakeNs).
   */
  sleepInterruptible(ns: number, label?: string, interruptWakeNs?: number): OpCall<number> {
    return sleepOp(ns, true, label, interruptWakeNs);
  }

  /** A pure scheduling point (optionally costing time): lets other threads interleave here. */
  schedPoint(ns = 0): OpCall {
    return yieldOp(ns);
  }

  /** Blocking lock. Returns false only when a killable/interruptible wait was cut short by a signal. */
  lock(mutex: Mutex, mode: LockMode = 'plain', costNs?: number): OpCall<boolean> {
    return lockOp(mutex, mode, costNs);
  }

  trylock(mutex: Mutex, costNs?: number): OpCall<boolean> {
    return trylockOp(mutex, costNs);
  }

  /** Trylock every mutex in order (see TrylockWalkOp); returns the failing index, or -1 when all are held. */
  trylockWalk(mutexes: readonly Mutex[], costNs: number): OpCall<number> {
    if (mutexes.length === 0) return WALK_NOTHING;
    return trylockWalkOp(mutexes, costNs);
  }

  /** pthread_cond_wait: releases `mutex` and waits atomically, re-acquires it before returning. */
  condWait(cond: CondVar, mutex: Mutex): OpCall {
    return condWaitOp(cond, mutex);
  }

  block(
    queue: WaitQueue,
    options: { interruptible?: boolean; until?: () => boolean; timeoutNs?: number; interruptWakeNs?: number } = {},
  ): OpCall<BlockResult> {
    return blockOp<BlockResult>(queue, options.interruptible ?? false, options.until, options.timeoutNs, options.interruptWakeNs);
  }

  /**
   * Waits until a signal is pending for the calling thread (sigwait-like); returns at once if one is.
   * Like the other primitives, the calling thread is looked up here, at the call, so yield* it at once.
   * Returns how the wait ended, as block does.
   */
  waitSignal(queue: WaitQueue): OpCall<BlockResult> {
    const t = this.self();
    return blockOp<BlockResult>(queue, true, () => t.signals !== 0, undefined, undefined);
  }

  join(thread: SimThread): OpCall<unknown> {
    return joinOp(thread);
  }

  // ---------------------------------------------------------------------------------------------------
  // Non-blocking operations (plain calls from a thread body; they take effect at once)

  unlock(mutex: Mutex): void {
    release(this, mutex, this.self());
  }

  /** Unlocks mutexes[n-1] … mutexes[0] (distinct), in that order: the same effects and events as one unlock each. */
  unlockReverse(mutexes: readonly Mutex[]): void {
    releaseReverse(this, mutexes, this.self());
  }

  condSignal(cond: CondVar): void {
    condSignal(this, cond);
  }

  condBroadcast(cond: CondVar): void {
    condBroadcast(this, cond);
  }

  /** Wakes waiters of a wait queue; returns how many were woken. */
  wake(queue: WaitQueue, all = true, delay: Duration = this.costs.futexWakeNs): number {
    return wakeQueue(this, queue, all, delay);
  }

  setSignalHandler(thread: SimThread, signal: number, handler: SignalHandler): void {
    thread.handlers.set(signal, handler);
  }

  /** Sends `signal` to `target` (pthread_kill). Interrupts an interruptible wait at once. */
  kill(target: SimThread, signal: number): void {
    kill(this, target, signal);
  }

  /**
   * Cuts an interruptible wait short without a signal: an in-kernel kick (kvm_vcpu_kick's IPI makes a
   * vCPU leave the guest to look at its requests). Returns whether the target was interrupted.
   */
  kick(target: SimThread): boolean {
    return kick(this, target);
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
    leaveKernel(this, thread);
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
    return this.trace.seq;
  }

  run(): RunResult {
    const outcome = runLoop(this);
    if (this.tracing) {
      this.current = null;
      this.trace.kernel('end', { outcome: outcome.kind });
    }
    const rec = this.recorder;
    return {
      outcome,
      now: this.now,
      steps: this.steps,
      choices: rec.answers,
      choiceKinds: rec.kinds,
      choiceCount: rec.count,
      traceHash: this.trace.digest(),
      events: this.trace.events,
    };
  }

  /** Who waits on what, held by whom: every blocked thread. */
  waitFor(): WaitForEntry[] {
    return waitFor(this.threads);
  }
}

export { CondVar, Mutex, SIGKILL, WaitQueue };
