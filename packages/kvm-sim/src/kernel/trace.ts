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
 */
export class TraceHasher {
  private h1 = 0x811c9dc5;
  private h2 = 0x01000193 ^ 0x9e3779b9;

  update(event: TraceEvent): void {
    this.mix(`${event.t}|${event.thread}|${event.kind}`);
    const data = event.data;
    if (data !== undefined) {
      for (const key of Object.keys(data)) {
        this.mix(`;${key}=${formatValue(data[key] ?? null)}`);
      }
    }
    this.mix('\n');
  }

  private mix(text: string): void {
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
