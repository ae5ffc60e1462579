// The object a kernel primitive (sleep, lock, condWait, …) hands back: the op itself, iterable once. A
// thread body `yield*`s it exactly as it did the one-yield generator the primitive used to be: the first
// next() yields the op, the second returns the value the kernel resumed the thread with.
//
// Why not a generator: every step of a thread resumes each frame of its yield* chain, and the primitive's
// generator is one more frame per op (about 45 ns created, 20 ns resumed on node 20). This object is one
// allocation that is at once the op, its iterator and its iterator result (a sync yield* passes the inner
// result object through unchanged, so the scheduler reads the op straight off it). One class for every op
// kind keeps the scheduler's and the sync semantics' property loads monomorphic.
import type {
  BlockOp,
  CondVar,
  CondWaitOp,
  JoinOp,
  LockMode,
  LockOp,
  Mutex,
  Op,
  SimThread,
  SleepOp,
  TrylockOp,
  TrylockWalkOp,
  WaitQueue,
  YieldOp,
} from './objects.js';

/**
 * What a thread body `yield*`s for an op result of type T: a kernel primitive's call object, or a
 * generator (Proc) that yields ops. Helpers that only hand a primitive back (qemu's bqlLock) return this.
 */
export type OpCall<T = void> = Iterable<Op, T, unknown>;

/** One kernel op call; fields not used by its kind stay undefined (they exist so every op has one shape). */
export class KernelOp<T = unknown> implements Iterator<Op, T, unknown> {
  ns = 0;
  interruptible = false;
  label: string | undefined = undefined;
  interruptWakeNs: number | undefined = undefined;
  mutex: Mutex | undefined = undefined;
  mode: LockMode = 'plain';
  costNs: number | undefined = undefined;
  mutexes: readonly Mutex[] | undefined = undefined;
  cond: CondVar | undefined = undefined;
  queue: WaitQueue | undefined = undefined;
  until: (() => boolean) | undefined = undefined;
  timeoutNs: number | undefined = undefined;
  thread: SimThread | undefined = undefined;
  /** The iterator-result half: the op itself until resumed, then the value the thread was resumed with. */
  value: unknown = undefined;
  done = false;

  constructor(readonly kind: Op['kind']) {}

  [Symbol.iterator](): this {
    return this;
  }

  next(resumed?: unknown): IteratorResult<Op, T> {
    if (this.value !== this) {
      // First call: yield the op (it is its own result object, `value` pointing at itself).
      this.value = this;
    } else {
      this.done = true;
      this.value = resumed;
    }
    return this as unknown as IteratorResult<Op, T>;
  }
}

// Typed constructors: each returns the call as both the op the kernel performs and what the caller yield*s.

export function sleepOp(ns: number, interruptible: boolean, label: string | undefined, interruptWakeNs: number | undefined): KernelOp<number> & SleepOp {
  const op = new KernelOp<number>('sleep') as KernelOp<number> & { -readonly [K in keyof SleepOp]: SleepOp[K] };
  op.ns = ns;
  op.interruptible = interruptible;
  op.label = label;
  op.interruptWakeNs = interruptWakeNs;
  return op;
}

export function yieldOp(ns: number): KernelOp<void> & YieldOp {
  const op = new KernelOp<void>('yield') as KernelOp<void> & YieldOp;
  op.ns = ns;
  return op;
}

export function lockOp(mutex: Mutex, mode: LockMode, costNs: number | undefined): KernelOp<boolean> & LockOp {
  const op = new KernelOp<boolean>('lock') as KernelOp<boolean> & { -readonly [K in keyof LockOp]: LockOp[K] };
  op.mutex = mutex;
  op.mode = mode;
  op.costNs = costNs;
  return op;
}

export function trylockOp(mutex: Mutex, costNs: number | undefined): KernelOp<boolean> & TrylockOp {
  const op = new KernelOp<boolean>('trylock') as KernelOp<boolean> & { -readonly [K in keyof TrylockOp]: TrylockOp[K] };
  op.mutex = mutex;
  op.costNs = costNs;
  return op;
}

export function trylockWalkOp(mutexes: readonly Mutex[], costNs: number): KernelOp<number> & TrylockWalkOp {
  const op = new KernelOp<number>('trylock-walk') as KernelOp<number> & { -readonly [K in keyof TrylockWalkOp]: TrylockWalkOp[K] };
  op.mutexes = mutexes;
  op.costNs = costNs;
  return op;
}

export function condWaitOp(cond: CondVar, mutex: Mutex): KernelOp<void> & CondWaitOp {
  const op = new KernelOp<void>('cond-wait') as KernelOp<void> & { -readonly [K in keyof CondWaitOp]: CondWaitOp[K] };
  op.cond = cond;
  op.mutex = mutex;
  return op;
}

export function blockOp<T>(
  queue: WaitQueue,
  interruptible: boolean,
  until: (() => boolean) | undefined,
  timeoutNs: number | undefined,
  interruptWakeNs: number | undefined,
): KernelOp<T> & BlockOp {
  const op = new KernelOp<T>('block') as KernelOp<T> & { -readonly [K in keyof BlockOp]: BlockOp[K] };
  op.queue = queue;
  op.interruptible = interruptible;
  op.until = until;
  op.timeoutNs = timeoutNs;
  op.interruptWakeNs = interruptWakeNs;
  return op;
}

export function joinOp(thread: SimThread): KernelOp & JoinOp {
  const op = new KernelOp('join') as KernelOp & { -readonly [K in keyof JoinOp]: JoinOp[K] };
  op.thread = thread;
  return op;
}

/**
 * A call that returns `value` without yielding (a branch with nothing to wait for). Shared instances are
 * safe: it holds no state, every next() answers the same finished result.
 */
export class DoneCall<T> implements Iterator<Op, T, unknown> {
  readonly done = true;
  constructor(readonly value: T) {}

  [Symbol.iterator](): this {
    return this;
  }

  next(): IteratorResult<Op, T> {
    return this;
  }
}

/** The shared call that yields nothing and returns undefined. */
export const NO_OP: DoneCall<void> = new DoneCall<void>(undefined);
