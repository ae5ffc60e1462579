// Where the kernel's trace events go: the running hash, the kept event list (`full`) and an extra sink.
// The hot-path emitters (ev1s, ev1n, ev2s, ev2n, evMutex) hash an event field by field when only the hash is
// kept, so the bulk of a long run's events is never built as an object.
import type { Mutex } from './objects.js';
import { ArraySink, HashedString, type TraceData, type TraceEvent, TraceHasher, type TraceSink } from './trace.js';
import type { KernelEventKind, KernelEventPayloads, PayloadArg } from './trace-vocabulary.js';

/** The field names an event of kind `K` may carry (any member of a union payload such as `interrupt`). */
type KernelKey<K extends KernelEventKind> = KernelEventPayloads[K] extends infer P ? (P extends unknown ? keyof P & string : never) : never;

export type TraceMode = 'off' | 'hash' | 'full';

/** What an event is stamped with: the kernel's virtual time and the thread stepping (the kernel itself). */
export interface TraceClock {
  readonly now: number;
  readonly current: { readonly id: number } | null;
}

export class KernelTrace {
  readonly tracing: boolean;
  private readonly keepEvents: boolean;
  /** Tracing with nothing but the hash to feed: events are hashed field by field, never built. */
  private readonly hashOnly: boolean;
  private readonly hasher = new TraceHasher();
  private readonly kept = new ArraySink();
  /** Number of events emitted so far: a position in the trace. */
  seq = 0;

  constructor(
    private readonly clock: TraceClock,
    mode: TraceMode,
    private readonly sink: TraceSink | undefined,
  ) {
    this.tracing = mode !== 'off';
    this.keepEvents = mode === 'full';
    this.hashOnly = this.tracing && !this.keepEvents && sink === undefined;
  }

  get events(): readonly TraceEvent[] {
    return this.kept.events;
  }

  digest(): string {
    return this.hasher.digest();
  }

  emit(kind: string, data?: TraceData): void {
    if (!this.tracing) return;
    const clock = this.clock;
    if (this.hashOnly) {
      this.seq++;
      const h = this.hasher;
      h.begin(clock.now, clock.current?.id ?? -1, kind);
      if (data !== undefined) for (const key in data) h.field(key, data[key]);
      h.end();
      return;
    }
    this.record(clock.now, kind, data);
  }

  /** An event built as an object, stamped `t` (the kept list, the sink, and the hash). */
  private record(t: number, kind: string, data: TraceData | undefined): void {
    const ev: TraceEvent = { seq: this.seq++, t, thread: this.clock.current?.id ?? -1, kind, data };
    this.hasher.update(ev);
    if (this.keepEvents) this.kept.write(ev);
    this.sink?.write(ev);
  }

  /** A kernel event with its typed payload (the cold-path form of the emitters below). */
  kernel<K extends KernelEventKind>(kind: K, ...data: PayloadArg<KernelEventPayloads, K>): void {
    this.emit(kind, data[0]);
  }

  // Events with string/number fields: hashed in place when only the hash is kept (the hot path of a traced
  // run), built as objects otherwise. Kinds, keys and names come with their hash words (KERNEL_HASHED, the
  // objects' traceName), so the hot path looks nothing up. Field order is that of the object literal.

  ev1s<K extends KernelEventKind>(kind: HashedString<K>, k1: HashedString<KernelKey<K>>, v1: HashedString): void {
    if (!this.hashOnly) {
      this.emit(kind.s, { [k1.s]: v1.s });
      return;
    }
    this.start(kind).strW(k1.a, k1.b, v1);
  }

  ev1n<K extends KernelEventKind>(kind: HashedString<K>, k1: HashedString<KernelKey<K>>, v1: number): void {
    if (!this.hashOnly) {
      this.emit(kind.s, { [k1.s]: v1 });
      return;
    }
    this.start(kind).numW(k1.a, k1.b, v1);
  }

  /** `lock` (heldNs < 0) and `unlock` events: the bulk of a long run's trace. */
  evMutex(kind: HashedString<'lock' | 'unlock'>, m: Mutex, heldNs: number): void {
    if (!this.hashOnly) {
      this.emit(kind.s, heldNs < 0 ? { mutex: m.name } : { mutex: m.name, heldNs });
      return;
    }
    this.seq++;
    const clock = this.clock;
    const cur = clock.current;
    this.hasher.event1s1n(clock.now, cur === null ? -1 : cur.id, kind, MUTEX_KEY, m.traceName, HELD_KEY, heldNs);
  }

  /**
   * The `lock` events of ms[from] … ms[to], in that order, each stamped with its acquiredAt (a trylock walk
   * takes several in one step, the clock moving on between them; the events are emitted after the run).
   */
  evLockRun(kind: HashedString<'lock'>, ms: readonly Mutex[], from: number, to: number): void {
    if (!this.hashOnly) {
      for (let i = from; i <= to; i++) {
        const m = ms[i] as Mutex;
        this.record(m.acquiredAt, kind.s, { mutex: m.name });
      }
      return;
    }
    this.seq += to - from + 1;
    const cur = this.clock.current;
    this.hasher.lockRun(cur === null ? -1 : cur.id, kind, MUTEX_KEY, ms, from, to);
  }

  /**
   * `evMutex(kind, m, now - m.acquiredAt)` for each m of `ms`, last to first: the unlock events of a batched
   * release, hashed in one loop when only the hash is kept.
   */
  evUnlockRun(kind: HashedString<'unlock'>, ms: readonly Mutex[]): void {
    const clock = this.clock;
    const now = clock.now;
    if (!this.hashOnly) {
      for (let i = ms.length - 1; i >= 0; i--) {
        const m = ms[i] as Mutex;
        this.evMutex(kind, m, now - m.acquiredAt);
      }
      return;
    }
    this.seq += ms.length;
    const cur = clock.current;
    this.hasher.unlockRun(now, cur === null ? -1 : cur.id, kind, MUTEX_KEY, HELD_KEY, ms);
  }

  ev2s<K extends KernelEventKind>(kind: HashedString<K>, k1: HashedString<KernelKey<K>>, v1: HashedString, k2: HashedString<KernelKey<K>>, v2: HashedString): void {
    if (!this.hashOnly) {
      this.emit(kind.s, { [k1.s]: v1.s, [k2.s]: v2.s });
      return;
    }
    this.seq++;
    const clock = this.clock;
    const cur = clock.current;
    this.hasher.event2s(clock.now, cur === null ? -1 : cur.id, kind, k1, v1, k2, v2);
  }

  ev2n<K extends KernelEventKind>(kind: HashedString<K>, k1: HashedString<KernelKey<K>>, v1: HashedString, k2: HashedString<KernelKey<K>>, v2: number): void {
    if (!this.hashOnly) {
      this.emit(kind.s, { [k1.s]: v1.s, [k2.s]: v2 });
      return;
    }
    // event1s1n leaves out a number field < 0 (or NaN); ev2n's numbers (signals, waiters, ns left) never are.
    if (!(v2 >= 0)) {
      const h = this.start(kind);
      h.strW(k1.a, k1.b, v1);
      h.numW(k2.a, k2.b, v2);
      return;
    }
    this.seq++;
    const clock = this.clock;
    const cur = clock.current;
    this.hasher.event1s1n(clock.now, cur === null ? -1 : cur.id, kind, k1, v1, k2, v2);
  }

  // Hot events of the layers above (a vCPU's ioctls, its stops and resumes: about a million a long run),
  // hashed in place like the kernel's own: kind and keys come hashed, string values go through the hasher's
  // string memo. Each is the same event, and the same digest, as `emit(kind.s, { [k1.s]: v1, … })`.

  /** `emit(kind.s, { [k1.s]: v1 })`. */
  evN(kind: HashedString, k1: HashedString, v1: number): void {
    if (!this.tracing) return;
    if (!this.hashOnly) {
      this.emit(kind.s, { [k1.s]: v1 });
      return;
    }
    this.start(kind).numW(k1.a, k1.b, v1);
  }

  /** `emit(kind.s, { [k1.s]: v1, [k2.s]: v2 })`. */
  evNS(kind: HashedString, k1: HashedString, v1: number, k2: HashedString, v2: string): void {
    if (!this.tracing) return;
    if (!this.hashOnly) {
      this.emit(kind.s, { [k1.s]: v1, [k2.s]: v2 });
      return;
    }
    const h = this.start(kind);
    h.numW(k1.a, k1.b, v1);
    h.strWs(k2.a, k2.b, v2);
  }

  /** `emit(kind.s, { [k1.s]: v1, [k2.s]: v2, [k3.s]: v3 })`. */
  evNSS(kind: HashedString, k1: HashedString, v1: number, k2: HashedString, v2: string, k3: HashedString, v3: string): void {
    if (!this.tracing) return;
    if (!this.hashOnly) {
      this.emit(kind.s, { [k1.s]: v1, [k2.s]: v2, [k3.s]: v3 });
      return;
    }
    const h = this.start(kind);
    h.numW(k1.a, k1.b, v1);
    h.strWs(k2.a, k2.b, v2);
    h.strWs(k3.a, k3.b, v3);
  }

  /** Begins a hash-only event (counting it); the caller adds its fields. */
  private start(kind: HashedString): TraceHasher {
    this.seq++;
    const h = this.hasher;
    const clock = this.clock;
    const cur = clock.current;
    h.beginW(clock.now, cur === null ? -1 : cur.id, kind.a, kind.b);
    return h;
  }
}

const MUTEX_KEY = new HashedString('mutex');
const HELD_KEY = new HashedString('heldNs');

/** The kinds and keys of the kernel's hot events with their hash words, for the emitters above. */
export const KERNEL_HASHED = {
  lock: new HashedString('lock'),
  unlock: new HashedString('unlock'),
  lockWait: new HashedString('lock-wait'),
  lockWake: new HashedString('lock-wake'),
  handoff: new HashedString('handoff'),
  trylockFail: new HashedString('trylock-fail'),
  condWait: new HashedString('cond-wait'),
  condWake: new HashedString('cond-wake'),
  condBroadcast: new HashedString('cond-broadcast'),
  block: new HashedString('block'),
  timeout: new HashedString('timeout'),
  wake: new HashedString('wake'),
  signal: new HashedString('signal'),
  interrupt: new HashedString('interrupt'),
  signalHandler: new HashedString('signal-handler'),
  kMutex: MUTEX_KEY,
  kOwner: new HashedString('owner'),
  kTarget: new HashedString('target'),
  kTo: new HashedString('to'),
  kCond: new HashedString('cond'),
  kWaiters: new HashedString('waiters'),
  kQueue: new HashedString('queue'),
  kSignal: new HashedString('signal'),
  kRemainingNs: new HashedString('remainingNs'),
} as const;
