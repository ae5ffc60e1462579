// Chrome Trace Event JSON (the object format) for Perfetto and chrome://tracing: one process, one track per
// simulated thread, complete slices for KVM_RUN / ioctls / BQL held / pause_all_vcpus / CPU_ON work /
// cpu_reset / blocked spans, instant events for kicks, -EBUSY, violations and the failure point.
//
// Both entry points share one emitter fed by the TimelineBuilder, so the whole-trace object and the
// streamed text hold the same events in the same order: slices in the order they close, instants in trace
// order, then the metadata (process and thread names) last.
import type { TraceEvent, TraceSink } from '@vgicsim/kvm-sim';
import type { Marker, Slice, SliceArgs, SliceKind, TimelineListener } from './model.js';
import { TimelineBuilder } from './timeline.js';

export interface ChromeTraceEvent {
  readonly name: string;
  readonly cat?: string;
  readonly ph: 'X' | 'i' | 'M';
  readonly ts?: number;
  readonly dur?: number;
  readonly s?: 't' | 'g';
  readonly pid: number;
  readonly tid: number;
  readonly args?: SliceArgs;
}

export interface ChromeTrace {
  readonly traceEvents: ChromeTraceEvent[];
  readonly displayTimeUnit: 'ns';
  readonly otherData?: SliceArgs;
}

export interface ChromeTraceOptions {
  /** Thread names by id, for traces without spawn events. */
  readonly names?: readonly string[];
  /** The process track's name (default `vgicsim`). */
  readonly processName?: string;
  /** Run metadata shown by the viewers (scenario, strategy, seed, outcome…). */
  readonly otherData?: SliceArgs;
  /** Virtual end time of the run; slices still open there are closed (default: the last event). */
  readonly endNs?: number;
}

export const CHROME_PID = 1;

/**
 * Chrome's viewers require the slices of one track to nest. The model's do not always (pause_all_vcpus
 * starts with the BQL held and drops it while it waits), so every slice kind has a rank and a track's open
 * slices are kept in rank order: a slice opening under a higher-ranked one, or closing under others,
 * splits those others into pieces (`args.piece` = 1, 2, …). Ranks put the long structural slices (CPU_ON
 * work, cpu_reset, pause_all_vcpus) outside the BQL, which is what gets split in practice.
 */
const RANK: Readonly<Record<SliceKind, number>> = {
  'cpu-on-work': 0,
  'cpu-reset': 1,
  'pause-all': 2,
  bql: 3,
  'kvm-run': 4,
  ioctl: 4,
  wait: 5,
};

const CATEGORY: Readonly<Record<SliceKind, string>> = {
  'cpu-on-work': 'qemu',
  'cpu-reset': 'qemu',
  'pause-all': 'qemu',
  bql: 'lock',
  'kvm-run': 'kvm',
  ioctl: 'kvm',
  wait: 'wait',
};

interface Piece {
  readonly key: number;
  readonly kind: SliceKind;
  readonly name: string;
  readonly args: SliceArgs;
  start: number;
  pieces: number;
}

/** Turns timeline pieces into Chrome events, repairing the nesting per track. */
class ChromeEmitter implements TimelineListener {
  private readonly stacks = new Map<number, Piece[]>();
  private readonly names: string[] = [];

  constructor(private readonly out: (ev: ChromeTraceEvent) => void) {}

  lane(thread: number, name: string): void {
    this.names[thread] = name;
  }

  sliceOpen(thread: number, key: number, kind: SliceKind, name: string, t: number, args: SliceArgs): void {
    const stack = this.stack(thread);
    const above: Piece[] = [];
    for (let top = stack.at(-1); top !== undefined && RANK[top.kind] > RANK[kind]; top = stack.at(-1)) {
      stack.pop();
      above.unshift(this.split(thread, top, t));
    }
    stack.push({ key, kind, name, args, start: t, pieces: 0 });
    stack.push(...above);
  }

  sliceClose(thread: number, key: number, slice: Slice): void {
    const stack = this.stack(thread);
    const i = stack.findIndex((p) => p.key === key);
    const piece = stack[i];
    if (piece === undefined) return;
    const t = slice.endNs;
    const above = stack.splice(i + 1).reverse().map((p) => this.split(thread, p, t)).reverse();
    stack.pop();
    const args = piece.pieces > 0 ? { ...slice.args, piece: piece.pieces + 1 } : slice.args;
    this.out(complete(thread, piece.kind, piece.name, piece.start, t, args));
    stack.push(...above);
  }

  marker(m: Marker): void {
    const name = m.label.length > 120 ? `${m.label.slice(0, 117)}...` : m.label;
    this.out({
      name,
      cat: m.kind,
      ph: 'i',
      ts: us(m.t),
      s: m.thread < 0 ? 'g' : 't',
      pid: CHROME_PID,
      tid: tidOf(Math.max(m.thread, 0)),
      args: m.args,
    });
  }

  /** Process and thread names: exactly one thread_name per lane. */
  metadata(processName: string): void {
    this.out({ name: 'process_name', ph: 'M', pid: CHROME_PID, tid: 0, args: { name: processName } });
    this.names.forEach((name, thread) => {
      this.out({ name: 'thread_name', ph: 'M', pid: CHROME_PID, tid: tidOf(thread), args: { name } });
      this.out({ name: 'thread_sort_index', ph: 'M', pid: CHROME_PID, tid: tidOf(thread), args: { sort_index: thread } });
    });
  }

  /** Ends the current piece of an open slice at t (dropping an empty one) and starts the next at t. */
  private split(thread: number, p: Piece, t: number): Piece {
    if (t > p.start) {
      p.pieces++;
      this.out(complete(thread, p.kind, p.name, p.start, t, { ...p.args, piece: p.pieces }));
    }
    p.start = t;
    return p;
  }

  private stack(thread: number): Piece[] {
    let s = this.stacks.get(thread);
    if (s === undefined) {
      s = [];
      this.stacks.set(thread, s);
    }
    return s;
  }
}

/** Thread id → Chrome tid: +1 so thread 0 (`main`) gets tid == pid, which viewers show as the main thread. */
export function tidOf(thread: number): number {
  return thread + 1;
}

function us(ns: number): number {
  return ns / 1000;
}

function complete(thread: number, kind: SliceKind, name: string, start: number, end: number, args: SliceArgs): ChromeTraceEvent {
  return { name, cat: CATEGORY[kind], ph: 'X', ts: us(start), dur: us(end - start), pid: CHROME_PID, tid: tidOf(thread), args };
}

/** The whole trace at once. Same events, same order as ChromeTraceStream's text. */
export function chromeTraceFromEvents(
  events: Iterable<TraceEvent>,
  names?: readonly string[],
  options: Omit<ChromeTraceOptions, 'names'> = {},
): ChromeTrace {
  const traceEvents: ChromeTraceEvent[] = [];
  const emitter = new ChromeEmitter((ev) => traceEvents.push(ev));
  const builder = new TimelineBuilder({ ...(names === undefined ? {} : { names }), listener: emitter, collect: false });
  for (const ev of events) builder.push(ev);
  builder.finish(options.endNs);
  emitter.metadata(options.processName ?? 'vgicsim');
  return { traceEvents, displayTimeUnit: 'ns', ...(options.otherData === undefined ? {} : { otherData: options.otherData }) };
}

/**
 * A TraceSink writing Chrome trace JSON text as slices close: memory holds only the open slices, the thread
 * names and a small text buffer (flushed at `chunkChars`). close() closes what is open, writes the metadata
 * and the closing `]}`. Pass it as `runScenario({ …, trace: 'full', sink })` (or 'hash').
 */
export class ChromeTraceStream implements TraceSink {
  private readonly builder: TimelineBuilder;
  private readonly emitter: ChromeEmitter;
  private buffer = '';
  private count = 0;
  private closed = false;

  constructor(
    private readonly sinkWrite: (chunk: string) => void,
    private readonly options: ChromeTraceOptions & { readonly chunkChars?: number } = {},
  ) {
    this.emitter = new ChromeEmitter((ev) => {
      this.append(ev);
    });
    this.builder = new TimelineBuilder({ ...(options.names === undefined ? {} : { names: options.names }), listener: this.emitter, collect: false });
  }

  write(event: TraceEvent): void {
    if (this.closed) throw new Error('ChromeTraceStream: write after close');
    this.builder.push(event);
  }

  /** Ends the document; `endNs` overrides the constructor's. Idempotent. */
  close(endNs?: number): void {
    if (this.closed) return;
    this.closed = true;
    this.builder.finish(endNs ?? this.options.endNs);
    this.emitter.metadata(this.options.processName ?? 'vgicsim');
    if (this.count === 0) this.buffer += '{"traceEvents":[';
    const other = this.options.otherData === undefined ? '' : `,"otherData":${JSON.stringify(this.options.otherData)}`;
    this.buffer += `\n],"displayTimeUnit":"ns"${other}}\n`;
    this.flush();
  }

  private append(ev: ChromeTraceEvent): void {
    this.buffer += (this.count++ === 0 ? '{"traceEvents":[\n' : ',\n') + JSON.stringify(ev);
    if (this.buffer.length >= (this.options.chunkChars ?? 65536)) this.flush();
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    const chunk = this.buffer;
    this.buffer = '';
    this.sinkWrite(chunk);
  }
}
