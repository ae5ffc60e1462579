// The kernel's objects: the ops a simulated thread yields, the thread itself, and the synchronisation
// objects it blocks on. One module because each names the others (an op names a mutex or a thread, a
// thread holds its pending op and what it is blocked on, a mutex its owner and waiters).

import { HashedString } from './trace.js';
import { WaiterList } from './waiter-list.js';

// --- Ops ---
// The blocking operations a simulated thread yields to the kernel. A thread runs atomically from one yield
// to the next; each yield is a scheduling point. The kernel performs an op's effect when the thread's next
// step is scheduled (after the op's delay), not at the moment of the yield, so contending threads whose
// steps fall close together can be ordered either way by the choice source.
export type LockMode = 'plain' | 'killable' | 'interruptible';

export interface SleepOp {
  readonly kind: 'sleep';
  readonly ns: number;
  /** An interruptible sleep ends early when a signal arrives (guest compute interrupted by an IPI). */
  readonly interruptible: boolean;
  readonly label: string | undefined;
  /** Delay before the thread runs again when a signal or kick cuts the sleep short (kernel default otherwise). */
  readonly interruptWakeNs: number | undefined;
}
export interface YieldOp {
  readonly kind: 'yield';
  readonly ns: number;
}
export interface LockOp {
  readonly kind: 'lock';
  readonly mutex: Mutex;
  readonly mode: LockMode;
  /** Cost of the attempt; the kernel's mutex fast-path cost when undefined. */
  readonly costNs: number | undefined;
}
export interface TrylockOp {
  readonly kind: 'trylock';
  readonly mutex: Mutex;
  readonly costNs: number | undefined;
}
/**
 * kvm_trylock_all_vcpus-style walk: trylock each mutex in order, `costNs` apart; on the first failure
 * release the ones taken (in reverse) and stop. Result: the index that failed, or -1 when all were taken.
 * Equivalent to a loop of trylock ops, but run as one step whenever no other thread could step before
 * it ends (same events at the same virtual times, so traces do not change).
 */
export interface TrylockWalkOp {
  readonly kind: 'trylock-walk';
  readonly mutexes: readonly Mutex[];
  readonly costNs: number;
}
export interface CondWaitOp {
  readonly kind: 'cond-wait';
  readonly cond: CondVar;
  readonly mutex: Mutex;
}
export interface BlockOp {
  readonly kind: 'block';
  readonly queue: WaitQueue;
  readonly interruptible: boolean;
  /** Checked when the op takes effect: true means do not sleep (the rcuwait/wait_event pattern). */
  readonly until: (() => boolean) | undefined;
  readonly timeoutNs: number | undefined;
  readonly interruptWakeNs: number | undefined;
}
export interface JoinOp {
  readonly kind: 'join';
  readonly thread: SimThread;
}

export type Op = SleepOp | YieldOp | LockOp | TrylockOp | TrylockWalkOp | CondWaitOp | BlockOp | JoinOp;

/**
 * Never yielded by a thread: the kernel parks it as the pending op of a thread blocked with a timeout, so
 * the step queued at the deadline knows which wait ran out (a wake-up or an interrupt supersedes that step).
 */
export interface BlockTimeoutOp {
  readonly kind: 'block-timeout';
  readonly block: BlockOp;
}

/** What the kernel performs at a thread's next step: an op the thread yielded, or a timeout it armed. */
export type PendingOp = Op | BlockTimeoutOp;

/** A simulated thread body: a generator of ops whose yields receive the op results. */
export type Proc<T = void> = Generator<Op, T, unknown>;

export type BlockResult = 'woken' | 'interrupted' | 'timeout';

// --- Threads ---
// A simulated thread: a generator plus the bookkeeping the kernel needs to schedule, block, signal and
// describe it. Fields are public for the kernel; other layers read them, they do not write them.
export type ThreadState = 'runnable' | 'blocked' | 'done';

export type BlockedOn =
  | { readonly kind: 'mutex'; readonly mutex: Mutex }
  | { readonly kind: 'cond'; readonly cond: CondVar; readonly mutex: Mutex }
  | { readonly kind: 'queue'; readonly queue: WaitQueue }
  | { readonly kind: 'join'; readonly thread: SimThread };

export type SignalHandler = (thread: SimThread, signal: number) => void;

export class SimThread {
  state: ThreadState = 'runnable';
  /** The op whose effect is performed at this thread's next step; null means resume with `resumeValue`. */
  pending: PendingOp | null = null;
  resumeValue: unknown = undefined;
  /** Whether the thread has a step in the run queue, and its virtual time (kept by RunQueue). */
  queued = false;
  queuedAt = 0;
  blockedOn: BlockedOn | null = null;
  /** When the thread's current (timed) wait started, and how long it was meant to last. */
  sleepStart = 0;
  sleepNs = 0;
  /** Pending signal bits (bit n = signal n). */
  signals = 0;
  readonly handlers = new Map<number, SignalHandler>();
  /** > 0 while inside a system call: handlers then wait for the return to user mode. */
  inKernel = 0;
  result: unknown = undefined;
  readonly joiners: SimThread[] = [];
  /** Progress of a trylock-walk op: the index of the next mutex to try. */
  walkIndex = 0;
  /** Free slot for the layers above (QEMU's current_cpu, a vCPU index, …). */
  data: unknown = undefined;
  /** `name` with its trace hash words (threads are named in most wake-up and signal events). */
  readonly traceName: HashedString;

  constructor(
    readonly id: number,
    readonly name: string,
    readonly daemon: boolean,
    readonly gen: Proc<unknown>,
  ) {
    this.traceName = new HashedString(name);
  }
}

// --- Synchronisation objects ---
// Synchronisation objects of the simulation: plain data with owner and waiter lists; sync-semantics.ts
// implements their behaviour, so that every hand-off goes through one scheduler and one choice source.
/**
 * `fifo` hands a released mutex straight to the oldest waiter; `barging` frees it and wakes one waiter,
 * which must race for it again (real pthread and Linux mutexes are not fair: the releasing thread or any
 * runnable thread may take it first).
 */
export type HandoffPolicy = 'fifo' | 'barging';

let nextSyncId = 1;

/**
 * How many mutexes of one set are held right now, kept by the kernel's acquire and release: a question over
 * the whole set ("is any vCPU mutex held?") is answered in O(1) whenever none is, without walking them.
 */
export class HeldCounter {
  held = 0;
}

export class Mutex {
  readonly id = nextSyncId++;
  owner: SimThread | null = null;
  /** Threads blocked in lock(), oldest first (a barging unlock removes one from any position). */
  readonly waiters = new WaiterList<SimThread>();
  acquiredAt = 0;
  maxHoldNs = 0;
  acquisitions = 0;
  contentions = 0;
  /** `name` with the hash words the trace hasher mixes for it (lock and unlock are most of a trace). */
  readonly traceName: HashedString;
  constructor(
    readonly name: string,
    public policy: HandoffPolicy = 'barging',
    /** The set this mutex counts in while held (null: none). */
    readonly heldCounter: HeldCounter | null = null,
  ) {
    this.traceName = new HashedString(name);
  }
}

export class CondVar {
  readonly id = nextSyncId++;
  readonly waiters: SimThread[] = [];
  /** `name` with its trace hash words. */
  readonly traceName: HashedString;
  constructor(readonly name: string) {
    this.traceName = new HashedString(name);
  }
}

/** A kernel-style wait queue (rcuwait, wait_event): threads sleep on it until woken or interrupted. */
export class WaitQueue {
  readonly id = nextSyncId++;
  readonly waiters: SimThread[] = [];
  /** `name` with its trace hash words. */
  readonly traceName: HashedString;
  constructor(readonly name: string) {
    this.traceName = new HashedString(name);
  }
}
