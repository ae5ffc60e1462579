// Structured trace of a run and its stable hash. Events are flat records so a trace can be streamed,
// compared and hashed without knowing the layers that emitted them.

export type TraceValue = string | number | boolean | bigint | null;
export type TraceData = Readonly<Record<string, TraceValue>>;

export interface TraceEvent {
  readonly seq: number;
  /** Virtual time in ns. */
  readonly t: number;
  /** Thread id, or -1 for the kernel itself. */
  readonly thread: number;
  readonly kind: string;
  readonly data: TraceData | undefined;
}

/** Where events go. `full` keeps them; a streaming sink (a file writer) can be plugged in by the caller. */
export interface TraceSink {
  write(event: TraceEvent): void;
}

export class ArraySink implements TraceSink {
  readonly events: TraceEvent[] = [];
  write(event: TraceEvent): void {
    this.events.push(event);
  }
}

/**
 * Two independent 32-bit FNV-1a lanes over a canonical text form of every event: cheap, stable across
 * platforms, and good enough to tell two traces apart (it is not a cryptographic hash).
 *
 * The text form of an event is `<t>|<thread>|<kind>` then `;<key>=<value>` per data field, then a newline.
 * The hasher consumes fields directly (`begin`, `field…`, `end`), digit by digit and character by
 * character, so hashing an event builds no string and no object; the digest is the same as hashing the
 * text (a 10-million-event run would otherwise allocate some 40 million short-lived strings).
 */
export class TraceHasher {
  private h1: number;
  private h2: number;
  /** Decimal digits of the integer being mixed, least significant first. */
  private readonly digits = new Uint8Array(24);

  /** A fresh hash, or one continued from the lanes of another (see `lanes`). */
  constructor(lanes?: readonly [number, number]) {
    this.h1 = lanes?.[0] ?? 0x811c9dc5;
    this.h2 = lanes?.[1] ?? 0x01000193 ^ 0x9e3779b9;
  }

  update(event: TraceEvent): void {
    this.begin(event.t, event.thread, event.kind);
    const data = event.data;
    if (data !== undefined) {
      for (const key in data) this.field(key, data[key] ?? null);
    }
    this.end();
  }

  /** Starts an event: `<t>|<thread>|<kind>`. */
  begin(t: number, thread: number, kind: string): void {
    this.num(t);
    this.char(124);
    this.num(thread);
    this.char(124);
    this.str(kind);
  }

  /** One data field: `;<key>=<value>`. */
  field(key: string, value: TraceValue | undefined): void {
    this.char(59);
    this.str(key);
    this.char(61);
    this.value(value ?? null);
  }

  /** `;<key>=<string>` without the type dispatch. */
  fieldStr(key: string, value: string): void {
    this.char(59);
    this.str(key);
    this.char(61);
    this.str(value);
  }

  /** `;<key>=<mutex name>` (see HashFeed.fieldMutex). */
  fieldMutex(key: string, m: { readonly name: string }): void {
    this.fieldStr(key, m.name);
  }

  /** `;<key>=<number>` without the type dispatch. */
  fieldNum(key: string, value: number): void {
    this.char(59);
    this.str(key);
    this.char(61);
    this.num(value);
  }

  end(): void {
    this.char(10);
  }

  private value(v: TraceValue): void {
    switch (typeof v) {
      case 'string':
        this.str(v);
        return;
      case 'number':
        this.num(v);
        return;
      case 'boolean':
        this.str(v ? 'true' : 'false');
        return;
      default:
        this.str(formatValue(v));
    }
  }

  /** A number as String(n) would print it; safe integers digit by digit, in 32-bit integer arithmetic. */
  private num(n: number): void {
    if (!Number.isSafeInteger(n)) {
      this.str(String(n));
      return;
    }
    if (n < 0) {
      this.char(45);
      n = -n;
    }
    if (n < 1e9) {
      this.uint(n, 1);
      return;
    }
    const hi = Math.floor(n / 1e9);
    this.uint(hi, 1);
    this.uint(n - hi * 1e9, 9);
  }

  /** x < 1e9, at least `width` digits (zero-padded). */
  private uint(x: number, width: number): void {
    const d = this.digits;
    let k = 0;
    do {
      const q = (x / 10) | 0;
      d[k++] = x - q * 10;
      x = q;
    } while (x > 0);
    while (k < width) d[k++] = 0;
    let h1 = this.h1;
    let h2 = this.h2;
    while (k > 0) {
      const c = 48 + (d[--k] as number);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    this.h1 = h1;
    this.h2 = h2;
  }

  private char(c: number): void {
    this.h1 = Math.imul(this.h1 ^ c, 0x01000193);
    const h2 = Math.imul(this.h2 ^ c, 0x5bd1e995);
    this.h2 = h2 ^ (h2 >>> 15);
  }

  private str(text: string): void {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    this.h1 = h1;
    this.h2 = h2;
  }

  /** The two lanes, to continue the hash elsewhere (see trace-offload.ts). */
  lanes(): readonly [number, number] {
    return [this.h1, this.h2];
  }

  digest(): string {
    return (this.h1 >>> 0).toString(16).padStart(8, '0') + (this.h2 >>> 0).toString(16).padStart(8, '0');
  }
}

export function formatValue(v: TraceValue): string {
  if (typeof v === 'bigint') return `0x${v.toString(16)}`;
  if (v === null) return 'null';
  return String(v);
}

/** One-line human form of an event, used by tests and the CLI's text trace. */
export function formatEvent(event: TraceEvent, threadName: (id: number) => string): string {
  const data = event.data;
  const parts: string[] = [];
  if (data !== undefined) {
    for (const key of Object.keys(data)) parts.push(`${key}=${formatValue(data[key] ?? null)}`);
  }
  const who = event.thread < 0 ? 'kernel' : threadName(event.thread);
  return `${event.t.toString().padStart(12)} ${who.padEnd(10)} ${event.kind}${parts.length ? ' ' + parts.join(' ') : ''}`;
}
