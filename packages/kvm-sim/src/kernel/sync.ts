// Synchronisation objects of the simulation: plain data with owner and waiter lists; the kernel (sim.ts)
// implements their behaviour so that every hand-off goes through one scheduler and one choice source.
import type { SimThread } from './thread.js';

/**
 * `fifo` hands a released mutex straight to the oldest waiter; `barging` frees it and wakes one waiter,
 * which must race for it again (real pthread and Linux mutexes are not fair: the releasing thread or any
 * runnable thread may take it first).
 */
export type HandoffPolicy = 'fifo' | 'barging';

let nextSyncId = 1;

export class Mutex {
  readonly id = nextSyncId++;
  owner: SimThread | null = null;
  readonly waiters: SimThread[] = [];
  acquiredAt = 0;
  maxHoldNs = 0;
  acquisitions = 0;
  contentions = 0;
  /** The offloaded trace hasher's id for this mutex's name, valid while `traceKey` is that hasher. */
  traceKey: object | null = null;
  traceId = 0;
  constructor(
    readonly name: string,
    public policy: HandoffPolicy = 'barging',
  ) {}
}

export class CondVar {
  readonly id = nextSyncId++;
  readonly waiters: SimThread[] = [];
  constructor(readonly name: string) {}
}

/** A kernel-style wait queue (rcuwait, wait_event): threads sleep on it until woken or interrupted. */
export class WaitQueue {
  readonly id = nextSyncId++;
  readonly waiters: SimThread[] = [];
  constructor(readonly name: string) {}
}
