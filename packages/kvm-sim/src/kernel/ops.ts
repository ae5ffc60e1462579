// The blocking operations a simulated thread yields to the kernel. A thread runs atomically from one yield
// to the next; each yield is a scheduling point. The kernel performs an op's effect when the thread's next
// step is scheduled (after the op's delay), not at the moment of the yield, so contending threads whose
// steps fall close together can be ordered either way by the choice source.
import type { CondVar, Mutex, WaitQueue } from './sync.js';
import type { SimThread } from './thread.js';

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

/** A simulated thread body: a generator of ops whose yields receive the op results. */
export type Proc<T = void> = Generator<Op, T, unknown>;

export type BlockResult = 'woken' | 'interrupted' | 'timeout';
