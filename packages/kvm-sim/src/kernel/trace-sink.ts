// Where the kernel's trace events go: the running hash, the kept event list (`full`) and an extra sink.
// The hot-path emitters (ev1s, ev2s, ev2n, evMutex) hash an event field by field when only the hash is
// kept, so the bulk of a long run's events is never built as an object.
import type { Mutex } from './objects.js';
import { ArraySink, type HashFeed, type TraceData, type TraceEvent, TraceHasher, type TraceSink } from './trace.js';
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
    const ev: TraceEvent = { seq: this.seq++, t: clock.now, thread: clock.current?.id ?? -1, kind, data };
    this.hasher.update(ev);
    if (this.keepEvents) this.kept.write(ev);
    this.sink?.write(ev);
  }

  /** A kernel event with its typed payload (the cold-path form of the emitters below). */
  kernel<K extends KernelEventKind>(kind: K, ...data: PayloadArg<KernelEventPayloads, K>): void {
    this.emit(kind, data[0]);
  }

  // Events with string/number fields: hashed in place when only the hash is kept (the hot path of a traced
  // run), built as objects otherwise. Field order is the order of the object literal each replaces.

  ev1s<K extends KernelEventKind>(kind: K, k1: KernelKey<K>, v1: string): void {
    if (!this.hashOnly) {
      this.emit(kind, { [k1]: v1 });
      return;
    }
    const h = this.start(kind);
    h.fieldStr(k1, v1);
    h.end();
  }

  /** `lock` (heldNs < 0) and `unlock` events: the bulk of a long run's trace. */
  evMutex(kind: 'lock' | 'unlock', m: Mutex, heldNs: number): void {
    if (!this.hashOnly) {
      this.emit(kind, heldNs < 0 ? { mutex: m.name } : { mutex: m.name, heldNs });
      return;
    }
    const h = this.start(kind);
    h.fieldMutex('mutex', m);
    if (heldNs >= 0) h.fieldNum('heldNs', heldNs);
    h.end();
  }

  ev2s<K extends KernelEventKind>(kind: K, k1: KernelKey<K>, v1: string, k2: KernelKey<K>, v2: string): void {
    if (!this.hashOnly) {
      this.emit(kind, { [k1]: v1, [k2]: v2 });
      return;
    }
    const h = this.start(kind);
    h.fieldStr(k1, v1);
    h.fieldStr(k2, v2);
    h.end();
  }

  ev2n<K extends KernelEventKind>(kind: K, k1: KernelKey<K>, v1: string, k2: KernelKey<K>, v2: number): void {
    if (!this.hashOnly) {
      this.emit(kind, { [k1]: v1, [k2]: v2 });
      return;
    }
    const h = this.start(kind);
    h.fieldStr(k1, v1);
    h.fieldNum(k2, v2);
    h.end();
  }

  /** Begins a hash-only event (counting it); the caller adds its fields. */
  private start(kind: string): HashFeed {
    this.seq++;
    const h = this.hasher;
    const clock = this.clock;
    h.begin(clock.now, clock.current?.id ?? -1, kind);
    return h;
  }
}
