// A simulated thread: a generator plus the bookkeeping the kernel needs to schedule, block, signal and
// describe it. Fields are public for the kernel; other layers read them, they do not write them.
import type { Op, Proc } from './ops.js';
import type { CondVar, Mutex, WaitQueue } from './sync.js';

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
  pending: Op | null = null;
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

  constructor(
    readonly id: number,
    readonly name: string,
    readonly daemon: boolean,
    readonly gen: Proc<unknown>,
  ) {}
}
