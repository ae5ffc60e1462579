// What the synchronisation ops do when they take effect: mutex acquire/release with fifo hand-off or
// barging wake-up, trylock and trylock walks, condvar wait/signal, wait-queue blocks with their timeouts,
// and join. The perform* functions run in the waiting thread's step and answer its op's result, or
// BLOCKED / RESCHEDULED; the wake functions are called by whoever wakes it.
import type { KernelCore } from './core.js';
import type { BlockOp, BlockResult, BlockTimeoutOp, CondVar, CondWaitOp, JoinOp, LockOp, Mutex, SimThread, TrylockOp, TrylockWalkOp, WaitQueue } from './objects.js';
import { lockOp } from './op-call.js';
import { SimModelError } from './outcome.js';
import { makeRunnable, removeWaiter, unblock } from './runnable.js';
import type { Duration } from './durations.js';
import { KERNEL_HASHED as H } from './trace-sink.js';

/** The op's thread now waits: its next step comes from whoever wakes it. */
export const BLOCKED: unique symbol = Symbol('blocked');
/** The op continues at a later step (a trylock walk that others may interleave with). */
export const RESCHEDULED: unique symbol = Symbol('rescheduled');
/** A performed op's result value, or one of the two markers (symbols, so no result can collide). */
export type Performed = unknown;

export function acquire(k: KernelCore, m: Mutex, t: SimThread): void {
  m.owner = t;
  m.acquiredAt = k.now;
  m.acquisitions++;
  if (m.heldCounter !== null) m.heldCounter.held++;
  if (k.tracing) k.trace.evMutex(H.lock, m, -1);
}

/** Unlocks m; a fifo mutex goes straight to its oldest waiter, a barging one wakes a chosen waiter to retry. */
export function release(k: KernelCore, m: Mutex, t: SimThread): void {
  if (m.owner !== t) {
    throw new SimModelError(`${t.name} unlocks ${m.name}, held by ${m.owner?.name ?? 'nobody'}`);
  }
  const held = k.now - m.acquiredAt;
  if (held > m.maxHoldNs) m.maxHoldNs = held;
  m.owner = null;
  if (m.heldCounter !== null) m.heldCounter.held--;
  if (k.tracing) k.trace.evMutex(H.unlock, m, held);
  if (m.waiters.length === 0) return;
  if (m.policy === 'fifo') {
    const w = m.waiters.shift() as SimThread;
    m.owner = w;
    if (m.heldCounter !== null) m.heldCounter.held++;
    m.acquiredAt = k.now;
    m.acquisitions++;
    if (k.tracing) k.trace.ev2s(H.handoff, H.kMutex, m.traceName, H.kTo, w.traceName);
    makeRunnable(k, w, null, true, k.costs.futexWakeNs);
    return;
  }
  k.releasing = m;
  const idx = k.choose('lock-wake', m.waiters.length, k.releasingWaiterIds);
  const w = m.waiters.removeAt(idx);
  if (k.tracing) k.trace.ev2s(H.lockWake, H.kMutex, m.traceName, H.kTarget, w.traceName);
  // w keeps its lock op: it retries when it runs and may find the mutex taken again.
  makeRunnable(k, w, w.pending, undefined, k.costs.futexWakeNs);
}

/**
 * Releases ms[n-1] … ms[0], distinct mutexes, in that order (kvm_unlock_all_vcpus): exactly what `release`
 * on each would do. When t owns every one and none has a waiter (a vGIC walk's vCPU mutexes, nearly
 * always), nothing is woken, so the releases are done in one pass and their unlock events hashed in one
 * loop (trace-sink evUnlockRun); otherwise one `release` each.
 */
export function releaseReverse(k: KernelCore, ms: readonly Mutex[], t: SimThread): void {
  for (let i = ms.length - 1; i >= 0; i--) {
    const m = ms[i] as Mutex;
    if (m.owner !== t || m.waiters.length !== 0) {
      for (let j = ms.length - 1; j >= 0; j--) release(k, ms[j] as Mutex, t);
      return;
    }
  }
  const now = k.now;
  for (let i = ms.length - 1; i >= 0; i--) {
    const m = ms[i] as Mutex;
    const held = now - m.acquiredAt;
    if (held > m.maxHoldNs) m.maxHoldNs = held;
    m.owner = null;
    if (m.heldCounter !== null) m.heldCounter.held--;
  }
  if (k.tracing) k.trace.evUnlockRun(H.unlock, ms);
}

export function performLock(k: KernelCore, t: SimThread, op: LockOp): Performed {
  const m = op.mutex;
  if (m.owner === t) throw new SimModelError(`${t.name} locks ${m.name}, which it already holds (non-recursive)`);
  if (m.owner === null) {
    acquire(k, m, t);
    return true;
  }
  m.contentions++;
  m.waiters.push(t);
  t.state = 'blocked';
  t.blockedOn = { kind: 'mutex', mutex: m };
  t.pending = op;
  if (k.tracing) k.trace.ev2s(H.lockWait, H.kMutex, m.traceName, H.kOwner, m.owner.traceName);
  return BLOCKED;
}

export function performTrylock(k: KernelCore, t: SimThread, op: TrylockOp): Performed {
  const m = op.mutex;
  if (m.owner === null) {
    acquire(k, m, t);
    return true;
  }
  if (k.tracing) k.trace.ev2s(H.trylockFail, H.kMutex, m.traceName, H.kOwner, m.owner.traceName);
  return false;
}

export function performWalk(k: KernelCore, t: SimThread, op: TrylockWalkOp): Performed {
  const ms = op.mutexes;
  const n = ms.length;
  // Nothing in the loop touches the run queue (acquire and release of a free mutex wake nobody), so the
  // earliest other step is looked up once per walk step, not once per mutex.
  const other = k.queue.earliestTime();
  // The lock events of this step's acquisitions are emitted together when the step ends (evLockRun: each
  // stamped with its own time; nothing else is emitted in between), so they are hashed in one loop.
  const from = t.walkIndex;
  for (;;) {
    const i = t.walkIndex;
    const m = ms[i] as Mutex;
    if (m.owner !== null) {
      if (k.tracing) {
        if (i > from) k.trace.evLockRun(H.lock, ms, from, i - 1);
        k.trace.ev2s(H.trylockFail, H.kMutex, m.traceName, H.kOwner, m.owner.traceName);
      }
      for (let j = i - 1; j >= 0; j--) release(k, ms[j] as Mutex, t);
      return i;
    }
    // acquire(k, m, t) with its event deferred (above).
    m.owner = t;
    m.acquiredAt = k.now;
    m.acquisitions++;
    if (m.heldCounter !== null) m.heldCounter.held++;
    if (i + 1 === n) {
      if (k.tracing) k.trace.evLockRun(H.lock, ms, from, i);
      return -1;
    }
    t.walkIndex = i + 1;
    // Fast-forward only when the next trylock would be the sole candidate anyway: nothing else is
    // scheduled within the window of its time, so stepping through the queue could not change a thing.
    const nextTime = k.now + op.costNs;
    if (nextTime > k.timeLimitNs || (other !== undefined && other <= nextTime + k.windowNs) || ++k.steps > k.stepBudget) {
      if (k.tracing) k.trace.evLockRun(H.lock, ms, from, i);
      t.pending = op;
      k.schedule(t, op.costNs);
      return RESCHEDULED;
    }
    k.now = nextTime;
  }
}

export function performCondWait(k: KernelCore, t: SimThread, op: CondWaitOp): Performed {
  if (op.mutex.owner !== t) {
    throw new SimModelError(`cond wait on ${op.cond.name} without holding ${op.mutex.name}`);
  }
  release(k, op.mutex, t);
  op.cond.waiters.push(t);
  t.state = 'blocked';
  t.blockedOn = { kind: 'cond', cond: op.cond, mutex: op.mutex };
  if (k.tracing) k.trace.ev2s(H.condWait, H.kCond, op.cond.traceName, H.kMutex, op.mutex.traceName);
  return BLOCKED;
}

/** Wakes one condvar waiter: it becomes runnable with the re-lock of its mutex as its next op. */
export function wakeCondWaiter(k: KernelCore, w: SimThread): void {
  const on = w.blockedOn;
  if (on?.kind !== 'cond') throw new SimModelError(`${w.name} is on a condvar list but not waiting on it`);
  // A KernelOp like the ops threads yield, so the scheduler's loads on pending ops keep one shape.
  const relock: LockOp = lockOp(on.mutex, 'plain', 0);
  if (k.tracing) k.trace.ev2s(H.condWake, H.kCond, on.cond.traceName, H.kTarget, w.traceName);
  makeRunnable(k, w, relock, undefined, k.costs.condWakeNs);
}

export function condSignal(k: KernelCore, cond: CondVar): void {
  const w = cond.waiters.shift();
  if (w !== undefined) wakeCondWaiter(k, w);
}

export function condBroadcast(k: KernelCore, cond: CondVar): void {
  // Most broadcasts find nobody waiting (qemu_cpu_kick broadcasts halt_cond on every kick).
  if (cond.waiters.length === 0) return;
  if (k.tracing) k.trace.ev2n(H.condBroadcast, H.kCond, cond.traceName, H.kWaiters, cond.waiters.length);
  // One waiter is the common case (a vCPU idle on its own halt_cond, kicked by every pause_all_vcpus
  // wake-up): taken off without copying the list. Either way the list is empty before anyone is woken.
  if (cond.waiters.length === 1) {
    wakeCondWaiter(k, cond.waiters.pop() as SimThread);
    return;
  }
  const ws = cond.waiters.splice(0);
  for (const w of ws) wakeCondWaiter(k, w);
}

export function performBlock(k: KernelCore, t: SimThread, op: BlockOp): Performed {
  if (op.until?.() === true) return 'woken' satisfies BlockResult;
  if (op.interruptible && t.signals !== 0) return 'interrupted' satisfies BlockResult;
  op.queue.waiters.push(t);
  t.state = 'blocked';
  t.blockedOn = { kind: 'queue', queue: op.queue };
  t.pending = op;
  if (k.tracing) k.trace.ev1s(H.block, H.kQueue, op.queue.traceName);
  if (op.timeoutNs !== undefined) {
    const timeout: BlockTimeoutOp = { kind: 'block-timeout', block: op };
    t.pending = timeout;
    k.schedule(t, op.timeoutNs);
  }
  return BLOCKED;
}

/** The step queued at a timed block's deadline: nobody woke the thread, so its wait ends with 'timeout'. */
export function expireTimeout(k: KernelCore, t: SimThread, op: BlockTimeoutOp): Performed {
  removeWaiter(op.block.queue.waiters, t);
  unblock(t, null, undefined);
  if (k.tracing) k.trace.ev1s(H.timeout, H.kQueue, op.block.queue.traceName);
  return 'timeout' satisfies BlockResult;
}

/** Wakes waiters of a wait queue; returns how many were woken. */
export function wakeQueue(k: KernelCore, queue: WaitQueue, all: boolean, delay: Duration): number {
  if (queue.waiters.length === 0) return 0;
  const ws = all ? queue.waiters.splice(0) : queue.waiters.splice(0, 1);
  for (const w of ws) {
    if (k.tracing) k.trace.ev2s(H.wake, H.kQueue, queue.traceName, H.kTarget, w.traceName);
    makeRunnable(k, w, null, 'woken' satisfies BlockResult, delay);
  }
  return ws.length;
}

export function performJoin(t: SimThread, op: JoinOp): Performed {
  const target = op.thread;
  if (target.state === 'done') return target.result;
  target.joiners.push(t);
  t.state = 'blocked';
  t.blockedOn = { kind: 'join', thread: target };
  return BLOCKED;
}

/** A thread's exit wakes its joiners with its result. */
export function wakeJoiners(k: KernelCore, t: SimThread, value: unknown): void {
  for (const j of t.joiners.splice(0)) makeRunnable(k, j, null, value, 0);
}
