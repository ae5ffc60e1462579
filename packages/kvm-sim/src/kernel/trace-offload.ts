// Trace hashing on a second thread. Hashing is sequential character by character (the digest is defined
// over each event's text form), so on a long traced run it costs as much as a third of the simulation.
// Past a threshold the kernel hands its hash state to a worker thread and from then on only encodes each
// event into a numeric log (string fields as ids into a table sent along); the worker hashes the log on
// the other core and returns the same digest the inline hasher would have given. Short runs (tests,
// exploration replays) never get here.
import { Worker } from 'node:worker_threads';
import type { Mutex } from './objects.js';
import { TraceHasher, type TraceValue, formatValue } from './trace.js';

/** What the kernel feeds a hash with: the same calls for the inline hasher and the offloaded one. */
export interface HashFeed {
  begin(t: number, thread: number, kind: string): void;
  field(key: string, value: TraceValue | undefined): void;
  fieldStr(key: string, value: string): void;
  fieldNum(key: string, value: number): void;
  /** `;<key>=<mutex name>`: the mutex events of trylock walks are most of a long run's events. */
  fieldMutex(key: string, m: Mutex): void;
  end(): void;
}

// Log opcodes (one double each, followed by their operands).
const OP_BEGIN = 1; // t, thread, kind id
const OP_STR = 2; // key id, string id
const OP_NUM = 3; // key id, number
const OP_END = 4;

const CHUNK = 1 << 15;
/**
 * Shared chunks, used round-robin: the kernel waits for the worker before reusing one, which bounds the
 * memory (16 × 256 KiB) when the worker lags, and nothing is allocated or transferred per chunk.
 */
const SLOTS = 16;

// The worker: the same two FNV-1a lanes as TraceHasher, over the same text, decoded from the log. The
// lanes live in locals of one function (generated inline below): kept in closure variables and mixed
// through helper calls they would cost twice as much, and the worker must keep up with the kernel.
const MIX = (c: string): string => `h1 = Math.imul(h1 ^ ${c}, 0x01000193); h2 = Math.imul(h2 ^ ${c}, 0x5bd1e995); h2 ^= h2 >>> 15;`;
const STR = (s: string): string => `{ const s = ${s}; for (let j = 0; j < s.length; j++) { const c = s.charCodeAt(j); ${MIX('c')} } }`;
const UINT = (x: string, w: string): string =>
  `{ let x = ${x}; let k = 0; do { const q = (x / 10) | 0; d[k++] = x - q * 10; x = q; } while (x > 0); while (k < ${w}) d[k++] = 0; while (k > 0) { const c = 48 + d[--k]; ${MIX('c')} } }`;
const NUM = (v: string): string =>
  `{ let n = ${v}; if (!Number.isSafeInteger(n)) ${STR('String(n)')} else { if (n < 0) { ${MIX('45')} n = -n; } if (n < 1e9) ${UINT('n', '1')} else { const hi = Math.floor(n / 1e9); ${UINT('hi', '1')} ${UINT('n - hi * 1e9', '9')} } } }`;
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const shared = new Int32Array(workerData.shared);
const lanes = new Int32Array([workerData.h1 | 0, workerData.h2 | 0]);
const slots = workerData.slots.map((sab) => new Float64Array(sab));
const strings = [];
const d = new Uint8Array(24);
function run(b, n) {
  let h1 = lanes[0], h2 = lanes[1];
  let i = 0;
  while (i < n) {
    const op = b[i];
    if (op === ${OP_BEGIN}) { ${NUM('b[i + 1]')} ${MIX('124')} ${NUM('b[i + 2]')} ${MIX('124')} ${STR('strings[b[i + 3] | 0]')} i += 4; }
    else if (op === ${OP_STR}) { ${MIX('59')} ${STR('strings[b[i + 1] | 0]')} ${MIX('61')} ${STR('strings[b[i + 2] | 0]')} i += 3; }
    else if (op === ${OP_NUM}) { ${MIX('59')} ${STR('strings[b[i + 1] | 0]')} ${MIX('61')} ${NUM('b[i + 2]')} i += 3; }
    else { ${MIX('10')} i += 1; }
  }
  lanes[0] = h1; lanes[1] = h2;
}
parentPort.on('message', (m) => {
  if (m.strings !== undefined) for (const s of m.strings) strings.push(s);
  if (m.slot !== undefined) {
    run(slots[m.slot], m.len);
    Atomics.add(shared, 0, 1);
    Atomics.notify(shared, 0);
  }
  if (m.end === true) {
    shared[2] = lanes[0]; shared[3] = lanes[1];
    Atomics.store(shared, 1, 1);
    Atomics.notify(shared, 1);
  }
});
`;

export class OffloadedHasher implements HashFeed {
  private readonly worker: Worker;
  private readonly shared: Int32Array;
  private readonly slots: Float64Array[] = [];
  private buf: Float64Array;
  private len = 0;
  /** Chunks handed to the worker so far; the one being filled is chunk `sent`, in slot sent % SLOTS. */
  private sent = 0;
  private readonly ids = new Map<string, number>();
  // A small cache in front of the map, one slot per (length + first character): event kinds and field
  // names repeat on every event, and comparing internalised strings that differ is a pointer test.
  private readonly memoStr: (string | null)[] = new Array<string | null>(64).fill(null);
  private readonly memoId = new Int32Array(64);
  private newStrings: string[] = [];
  /**
   * Set when the worker cannot keep up (no free core: a loaded machine): the hash is taken back from the
   * worker and continued here, so offloading never costs much more than not offloading.
   */
  private inline: TraceHasher | null = null;
  private readonly startedAt = performance.now();
  private waitedMs = 0;
  private draining = false;

  /**
   * Continues a hash whose lanes are at (h1, h2). Throws if no worker thread can be started.
   * `takeBackAtChunk` (tests) hands the hash back to this thread after that many chunks.
   */
  constructor(
    h1: number,
    h2: number,
    private readonly takeBackAtChunk = Number.POSITIVE_INFINITY,
  ) {
    const sab = new SharedArrayBuffer(16);
    this.shared = new Int32Array(sab);
    const slotBuffers = Array.from({ length: SLOTS }, () => new SharedArrayBuffer(CHUNK * 8));
    for (const b of slotBuffers) this.slots.push(new Float64Array(b));
    this.buf = this.slots[0] as Float64Array;
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { shared: sab, h1, h2, slots: slotBuffers } });
    this.worker.unref();
  }

  begin(t: number, thread: number, kind: string): void {
    // A flush may hand the hash back to this thread (see `inline`): check after it.
    if (this.len + 16 > CHUNK) this.flush();
    if (this.inline !== null) {
      this.inline.begin(t, thread, kind);
      return;
    }
    const b = this.buf;
    const i = this.len;
    b[i] = OP_BEGIN;
    b[i + 1] = t;
    b[i + 2] = thread;
    b[i + 3] = this.id(kind);
    this.len = i + 4;
  }

  field(key: string, value: TraceValue | undefined): void {
    if (this.inline !== null) {
      this.inline.field(key, value);
      return;
    }
    const v = value ?? null;
    if (typeof v === 'number') this.fieldNum(key, v);
    else this.fieldStr(key, typeof v === 'string' ? v : typeof v === 'boolean' ? (v ? 'true' : 'false') : formatValue(v));
  }

  fieldStr(key: string, value: string): void {
    // A flush may hand the hash back to this thread (see `inline`): check after it.
    if (this.len + 3 > CHUNK) this.flush();
    if (this.inline !== null) {
      this.inline.fieldStr(key, value);
      return;
    }
    const b = this.buf;
    const i = this.len;
    b[i] = OP_STR;
    b[i + 1] = this.id(key);
    b[i + 2] = this.id(value);
    this.len = i + 3;
  }

  fieldMutex(key: string, m: Mutex): void {
    if (this.len + 3 > CHUNK) this.flush();
    if (this.inline !== null) {
      this.inline.fieldStr(key, m.name);
      return;
    }
    // The name's id lives on the mutex: no map lookup per lock or unlock event.
    if (m.traceKey !== this) {
      m.traceKey = this;
      m.traceId = this.id(m.name);
    }
    const b = this.buf;
    const i = this.len;
    b[i] = OP_STR;
    b[i + 1] = this.id(key);
    b[i + 2] = m.traceId;
    this.len = i + 3;
  }

  fieldNum(key: string, value: number): void {
    // A flush may hand the hash back to this thread (see `inline`): check after it.
    if (this.len + 3 > CHUNK) this.flush();
    if (this.inline !== null) {
      this.inline.fieldNum(key, value);
      return;
    }
    const b = this.buf;
    const i = this.len;
    b[i] = OP_NUM;
    b[i + 1] = this.id(key);
    b[i + 2] = value;
    this.len = i + 3;
  }

  end(): void {
    // A flush may hand the hash back to this thread (see `inline`): check after it.
    if (this.len + 1 > CHUNK) this.flush();
    if (this.inline !== null) {
      this.inline.end();
      return;
    }
    this.buf[this.len++] = OP_END;
  }

  /** Sends what is left, waits for the worker and returns the digest (the worker then exits). */
  digest(): string {
    return (this.inline ?? new TraceHasher(this.takeBack())).digest();
  }

  /** Sends what is left, waits for the worker to finish it and returns its lanes; the worker then exits. */
  private takeBack(): [number, number] {
    this.draining = true;
    this.flush();
    this.worker.postMessage({ end: true });
    this.await(1, () => Atomics.load(this.shared, 1) !== 0);
    void this.worker.terminate();
    return [this.shared[2] as number, this.shared[3] as number];
  }

  /** Blocks until `ready()`; a worker that makes no progress for a minute is a fault, not a wait. */
  private await(index: number, ready: () => boolean): void {
    let last = Atomics.load(this.shared, index);
    let idle = 0;
    while (!ready()) {
      if (Atomics.wait(this.shared, index, last, 1000) === 'timed-out') {
        if (++idle >= 60) throw new Error('trace hash worker thread stopped responding');
      } else idle = 0;
      last = Atomics.load(this.shared, index);
    }
  }

  private id(s: string): number {
    const slot = (s.length + s.charCodeAt(0)) & 63;
    if (this.memoStr[slot] === s) return this.memoId[slot] as number;
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(s, id);
      this.newStrings.push(s);
    }
    this.memoStr[slot] = s;
    this.memoId[slot] = id;
    return id;
  }

  private flush(): void {
    if (this.len === 0 && this.newStrings.length === 0) return;
    this.worker.postMessage({ slot: this.sent % SLOTS, len: this.len, strings: this.newStrings });
    this.sent++;
    this.len = 0;
    this.newStrings = [];
    // The next slot is free once the worker has finished the chunk SLOTS before this one.
    const t0 = performance.now();
    this.await(0, () => this.sent - Atomics.load(this.shared, 0) < SLOTS);
    this.waitedMs += performance.now() - t0;
    this.buf = this.slots[this.sent % SLOTS] as Float64Array;
    // Waiting for the worker a quarter of the time: it has no core of its own; hash here from now on.
    const lagging = this.waitedMs > 200 && this.waitedMs * 4 > performance.now() - this.startedAt;
    if (!this.draining && (lagging || this.sent >= this.takeBackAtChunk)) this.inline = new TraceHasher(this.takeBack());
  }
}
