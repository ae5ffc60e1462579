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
 * Version of the trace hash format. 1: two FNV-1a lanes over each event's text form, character by
 * character. 2: the same fields as tagged 32-bit words (strings by a cached 64-bit hash of their own),
 * chained through two lanes word by word. 3: the words of format 2 (time always as two words), each mixed
 * on its own, keyed by its position in the event, and combined; only the event's combination is chained.
 * A word no longer waits for the one before it, and the words that never change (tags, kinds, keys, the
 * names of threads and mutexes) are mixed once, when their string is first hashed. Digests of different
 * versions are not comparable: replay files record the version their hash was made with, and a file of
 * another version is refused.
 */
export const TRACE_FORMAT_VERSION = 3;

/** What the kernel feeds a hash with, field by field, so that hashing an event builds no object. */
export interface HashFeed {
  begin(t: number, thread: number, kind: string): void;
  field(key: string, value: TraceValue | undefined): void;
  fieldStr(key: string, value: string): void;
  fieldNum(key: string, value: number): void;
  /** A mutex's name as a string field: lock and unlock events are most of a long run's events. */
  fieldMutex(key: string, m: { readonly traceName: HashedString }): void;
  end(): void;
}

// Word tags. An event starts with a tag (which also says the form of t and thread) and each data field
// with one (which also says the type, and so the length, of its value), so the words of an event parse
// back into exactly one event: a field boundary cannot move, and a number never mixes like a string.
const EVENT = 0x45564e00; // + 2·form(t) + form(thread); see beginWords
const STR = 0x53545205; // a string value: its two hash words (one per lane)
const I32 = 0x49333203; // an integer in [-2^31, 2^31): one word
const F64 = 0x46363404; // any other number: its IEEE-754 bits, two words (exact: ≥ 2^32, fractions)
const TRUE = 0x54525506;
const FALSE = 0x46414c07;
const NULL = 0x4e554c08;
const BIGINT = 0x42494709; // its sign and hex digits, hashed as a string

// The IEEE-754 bits of a double, low word first on any platform.
const f64 = new Float64Array(1);
const u32 = new Int32Array(f64.buffer);
const LO = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
const TWO_32 = 4294967296;

function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

// A word at a position of its event, per lane: xor with the position's key, multiply, rotate, multiply.
// Each step is a bijection of the word, so two events that differ in one word always combine differently.
function m1(w: number, key: number): number {
  const x = Math.imul(w ^ key, 0xcc9e2d51);
  return Math.imul((x << 15) | (x >>> 17), 0x1b873593);
}
function m2(w: number, key: number): number {
  const x = Math.imul(w ^ key, 0x85ebca6b);
  return Math.imul((x << 13) | (x >>> 19), 0xc2b2ae35);
}

// The event's combination into lane 1 / lane 2 (the chain step of format 2's words, once per event).
function lane1(h: number, w: number): number {
  const x = Math.imul(h ^ w, 0x9e3779b1);
  return (x << 15) | (x >>> 17);
}
function lane2(h: number, w: number): number {
  const x = Math.imul(h ^ w, 0x85ebca77);
  return (x << 13) | (x >>> 19);
}

/** Position keys, per lane; positions past the table (events with dozens of fields) compute theirs. */
const KEYS = 64;
const key1 = (p: number): number => fmix(Math.imul(p + 1, 0x9e3779b9) ^ 0x7f4a7c15);
const key2 = (p: number): number => fmix(Math.imul(p + 1, 0x85ebca6b) ^ 0x165667b1);
const K1 = Int32Array.from({ length: KEYS }, (_, p) => key1(p));
const K2 = Int32Array.from({ length: KEYS }, (_, p) => key2(p));
/** The key that mixes an event's word count into its combination (no position reaches it). */
const LEN1 = key1(0x7ffffffe);
const LEN2 = key2(0x7ffffffe);

// Fixed positions of a kernel event (thread an int32): tag 0, t 1–2, thread 3, kind 4, then the first
// field (tag 5, key 6, value 7) and the second (tag 8, key 9, value from 10).
const K1_1 = K1[1] as number;
const K2_1 = K2[1] as number;
const K1_2 = K1[2] as number;
const K2_2 = K2[2] as number;
const K1_3 = K1[3] as number;
const K2_3 = K2[3] as number;
const K1_10 = K1[10] as number;
const K2_10 = K2[10] as number;
const K1_11 = K1[11] as number;
const K2_11 = K2[11] as number;
// Tags at their fixed positions, mixed once.
const TAG_INT_1 = m1(EVENT, K1[0] as number);
const TAG_INT_2 = m2(EVENT, K2[0] as number);
const TAG_F64_1 = m1(EVENT + 2, K1[0] as number);
const TAG_F64_2 = m2(EVENT + 2, K2[0] as number);
const STR5_1 = m1(STR, K1[5] as number);
const STR5_2 = m2(STR, K2[5] as number);
const STR8_1 = m1(STR, K1[8] as number);
const STR8_2 = m2(STR, K2[8] as number);
const I32_8_1 = m1(I32, K1[8] as number);
const I32_8_2 = m2(I32, K2[8] as number);
const F64_8_1 = m1(F64, K1[8] as number);
const F64_8_2 = m2(F64, K2[8] as number);

/**
 * 64-bit hashes of strings (two independent 32-bit halves), cached: event kinds, keys and most values
 * repeat millions of times. The hash is a pure function of the string, so the cache is shared by all
 * hashers; it is bounded (count and length) because some values (messages, fingerprints) are one-offs.
 */
const strIds = new Map<string, number>();
/** Two words per cached string, from index 2; 0–1 hold the hash of the last string not cached. */
let strWords = new Int32Array(2 * 1024);
const STR_CACHE_MAX = 1 << 16;
const STR_CACHE_MAX_LENGTH = 64;
// The last string seen per (length, first and last character) slot, ahead of the map: most lookups are
// the same few kinds, keys and values, and comparing internalised strings is a pointer test.
const MEMO_SLOTS = 1024;
const memoStr: (string | null)[] = new Array<string | null>(MEMO_SLOTS).fill(null);
const memoId = new Int32Array(MEMO_SLOTS);

/** Two 32-bit hashes of `s` (FNV-1a lanes over its UTF-16 units, length-seeded, finalised). */
function hashString(s: string, out: Int32Array, at: number): void {
  let a = 0x811c9dc5 ^ s.length;
  let b = 0x9e3779b9 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  out[at] = fmix(a ^ s.length);
  out[at + 1] = fmix(b + s.length);
}

const scratch = new Int32Array(2);
/** Positions whose mix a HashedString keeps: every place a kernel event puts a string (see above). */
const PREMIXED = 12;

/**
 * A string with its two hash words, computed once: the kinds and keys of the kernel's hot events, and the
 * names of threads, mutexes, condvars and wait queues (each keeps its own), so hashing an event that names
 * them looks nothing up. It also keeps its words already mixed at each position a kernel event can put
 * it, so those events mix only their time, thread and numbers. The words are those `stringSlot` would
 * give: the digest is the same.
 */
export class HashedString<S extends string = string> {
  readonly a: number;
  readonly b: number;
  /** Lane 1 / lane 2 mix of the words at position p: [2p], [2p + 1]. */
  readonly at: Int32Array;
  constructor(readonly s: S) {
    hashString(s, scratch, 0);
    const a = scratch[0] as number;
    const b = scratch[1] as number;
    this.a = a;
    this.b = b;
    const at = new Int32Array(2 * PREMIXED);
    for (let p = 0; p < PREMIXED; p++) {
      at[2 * p] = m1(a, K1[p] as number);
      at[2 * p + 1] = m2(b, K2[p] as number);
    }
    this.at = at;
  }
}

/** Index in `strWords` of the string's two hash words; read them before the next call (see strWords). */
function stringSlot(s: string): number {
  const n = s.length;
  const m = (n > 0 ? n * 31 + s.charCodeAt(0) * 7 + s.charCodeAt(n - 1) : 0) & (MEMO_SLOTS - 1);
  if (memoStr[m] === s) return memoId[m] as number;
  let id = s.length > STR_CACHE_MAX_LENGTH ? undefined : strIds.get(s);
  if (id === undefined) {
    if (strIds.size >= STR_CACHE_MAX || s.length > STR_CACHE_MAX_LENGTH) {
      hashString(s, strWords, 0);
      return 0;
    }
    id = strIds.size * 2 + 2;
    if (id + 2 > strWords.length) {
      const grown = new Int32Array(strWords.length * 2);
      grown.set(strWords);
      strWords = grown;
    }
    hashString(s, strWords, id);
    strIds.set(s, id);
  }
  memoStr[m] = s;
  memoId[m] = id;
  return id;
}

/**
 * The trace hash, format 3 (TRACE_FORMAT_VERSION). An event is a list of 32-bit words, one per lane:
 * its tag, t (a non-negative safe integer as its low and high 32 bits, anything else as its IEEE-754
 * bits, the tag saying which), thread and kind, then per data field a type tag, the key and the value (see
 * the tags above). Numbers are exact: an int32 as one word, anything else as its IEEE-754 bits, so values
 * ≥ 2^32 and fractions never round; numbers equal under `===` hash alike (-0 as 0), every NaN as one NaN.
 * Strings count as their own 64-bit hash, one half per lane. Per lane, each word is mixed with the key of
 * its position, the mixes and the word count are combined by xor, and the combination goes through one
 * multiply-and-rotate step of the lane; the lanes are finalised to 64 bits and printed as 16 hex digits.
 * Each of these steps is a bijection of the word it takes, so two traces whose words differ in exactly
 * one place (one int32, one string barring a 64-bit string-hash collision) never share a digest; other
 * differences collide only by chance. Not a cryptographic hash: it tells runs apart.
 */
export class TraceHasher implements HashFeed {
  private h1 = 0x3c6ef372;
  private h2 = 0xa54ff53a;
  /** Events so far (mod 2^32), folded in at the end. */
  private events = 0;
  /** The open event: words so far (0: none open) and their combination per lane. */
  private n = 0;
  private e1 = 0;
  private e2 = 0;

  update(event: TraceEvent): void {
    this.begin(event.t, event.thread, event.kind);
    const data = event.data;
    if (data !== undefined) {
      for (const key in data) this.field(key, data[key] ?? null);
    }
    this.end();
  }

  begin(t: number, thread: number, kind: string): void {
    this.beginWords(t, thread);
    this.str(kind);
  }

  /** `begin` with the kind given by its hash words. */
  beginW(t: number, thread: number, ka: number, kb: number): void {
    this.beginWords(t, thread);
    this.mix(ka, kb);
  }

  /** Closes the open event, if any, and opens one with its tag, t and thread. */
  private beginWords(t: number, thread: number): void {
    if (this.n !== 0) this.close();
    this.events = (this.events + 1) | 0;
    const tWhole = t >= 0 && t <= Number.MAX_SAFE_INTEGER && Math.floor(t) === t;
    const thInt = (thread | 0) === thread;
    this.mix1(EVENT + (tWhole ? 0 : 2) + (thInt ? 0 : 1));
    if (tWhole) {
      this.mix1(t | 0);
      this.mix1((t / TWO_32) | 0);
    } else this.f64(t);
    if (thInt) this.mix1(thread);
    else this.f64(thread);
  }

  field(key: string, value: TraceValue | undefined): void {
    const v = value ?? null;
    switch (typeof v) {
      case 'string':
        this.fieldStr(key, v);
        return;
      case 'number':
        this.fieldNum(key, v);
        return;
      case 'boolean':
        this.mix1(v ? TRUE : FALSE);
        this.str(key);
        return;
      case 'bigint':
        this.mix1(BIGINT);
        this.str(key);
        hashString(v.toString(16), scratch, 0);
        this.mix(scratch[0] as number, scratch[1] as number);
        return;
      default:
        this.mix1(NULL);
        this.str(key);
    }
  }

  fieldStr(key: string, value: string): void {
    this.mix1(STR);
    this.str(key);
    this.str(value);
  }

  /** `fieldStr(key, m.name)`, with the name's hash kept on the mutex. */
  fieldMutex(key: string, m: { readonly traceName: HashedString }): void {
    this.mix1(STR);
    this.str(key);
    this.mix(m.traceName.a, m.traceName.b);
  }

  /** A string field, its key by hash words and its value hashed already: `fieldStr` without lookups. */
  strW(ka: number, kb: number, v: HashedString): void {
    this.mix1(STR);
    this.mix(ka, kb);
    this.mix(v.a, v.b);
  }

  /** A number field, its key by hash words: `fieldNum` without the lookup. */
  numW(ka: number, kb: number, value: number): void {
    if ((value | 0) === value) {
      this.mix1(I32);
      this.mix(ka, kb);
      this.mix1(value);
    } else {
      this.mix1(F64);
      this.mix(ka, kb);
      this.f64(value);
    }
  }

  fieldNum(key: string, value: number): void {
    const at = stringSlot(key);
    this.numW(strWords[at] as number, strWords[at + 1] as number, value);
  }

  /** Closes the event (the next `begin`, or the digest, would close it too). */
  end(): void {
    if (this.n !== 0) this.close();
  }

  /**
   * A whole kernel event with one string field and an optional number field (`heldNs`, skipped when < 0),
   * its strings premixed at their positions: the words `begin` + `strW` + `numW` would mix. Lock and unlock
   * events (most of a long trace) take this path. `thread` must be an int32.
   */
  event1s1n(t: number, thread: number, kind: HashedString, k1: HashedString, v1: HashedString, k2: HashedString, v2: number): void {
    if (this.n !== 0) this.close();
    this.events = (this.events + 1) | 0;
    let e1: number;
    let e2: number;
    if (t >= 0 && t <= Number.MAX_SAFE_INTEGER && Math.floor(t) === t) {
      const lo = t | 0;
      const hi = (t / TWO_32) | 0;
      e1 = TAG_INT_1 ^ m1(lo, K1_1) ^ m1(hi, K1_2);
      e2 = TAG_INT_2 ^ m2(lo, K2_1) ^ m2(hi, K2_2);
    } else {
      f64[0] = t === t ? t : Number.NaN;
      const lo = u32[LO] as number;
      const hi = u32[1 - LO] as number;
      e1 = TAG_F64_1 ^ m1(lo, K1_1) ^ m1(hi, K1_2);
      e2 = TAG_F64_2 ^ m2(lo, K2_1) ^ m2(hi, K2_2);
    }
    const ka = kind.at;
    const k1a = k1.at;
    const v1a = v1.at;
    e1 ^= m1(thread, K1_3) ^ (ka[8] as number) ^ STR5_1 ^ (k1a[12] as number) ^ (v1a[14] as number);
    e2 ^= m2(thread, K2_3) ^ (ka[9] as number) ^ STR5_2 ^ (k1a[13] as number) ^ (v1a[15] as number);
    let n = 8;
    if (v2 >= 0) {
      const k2a = k2.at;
      if ((v2 | 0) === v2) {
        e1 ^= I32_8_1 ^ (k2a[18] as number) ^ m1(v2, K1_10);
        e2 ^= I32_8_2 ^ (k2a[19] as number) ^ m2(v2, K2_10);
        n = 11;
      } else {
        f64[0] = v2;
        const lo = u32[LO] as number;
        const hi = u32[1 - LO] as number;
        e1 ^= F64_8_1 ^ (k2a[18] as number) ^ m1(lo, K1_10) ^ m1(hi, K1_11);
        e2 ^= F64_8_2 ^ (k2a[19] as number) ^ m2(lo, K2_10) ^ m2(hi, K2_11);
        n = 12;
      }
    }
    this.h1 = lane1(this.h1, e1 ^ m1(n, LEN1));
    this.h2 = lane2(this.h2, e2 ^ m2(n, LEN2));
  }

  /** A whole kernel event with two string fields, premixed (see event1s1n). `thread` must be an int32. */
  event2s(t: number, thread: number, kind: HashedString, k1: HashedString, v1: HashedString, k2: HashedString, v2: HashedString): void {
    if (this.n !== 0) this.close();
    this.events = (this.events + 1) | 0;
    let e1: number;
    let e2: number;
    if (t >= 0 && t <= Number.MAX_SAFE_INTEGER && Math.floor(t) === t) {
      const lo = t | 0;
      const hi = (t / TWO_32) | 0;
      e1 = TAG_INT_1 ^ m1(lo, K1_1) ^ m1(hi, K1_2);
      e2 = TAG_INT_2 ^ m2(lo, K2_1) ^ m2(hi, K2_2);
    } else {
      f64[0] = t === t ? t : Number.NaN;
      const lo = u32[LO] as number;
      const hi = u32[1 - LO] as number;
      e1 = TAG_F64_1 ^ m1(lo, K1_1) ^ m1(hi, K1_2);
      e2 = TAG_F64_2 ^ m2(lo, K2_1) ^ m2(hi, K2_2);
    }
    const ka = kind.at;
    const k1a = k1.at;
    const v1a = v1.at;
    const k2a = k2.at;
    const v2a = v2.at;
    e1 ^= m1(thread, K1_3) ^ (ka[8] as number) ^ STR5_1 ^ (k1a[12] as number) ^ (v1a[14] as number) ^ STR8_1 ^ (k2a[18] as number) ^ (v2a[20] as number);
    e2 ^= m2(thread, K2_3) ^ (ka[9] as number) ^ STR5_2 ^ (k1a[13] as number) ^ (v1a[15] as number) ^ STR8_2 ^ (k2a[19] as number) ^ (v2a[21] as number);
    this.h1 = lane1(this.h1, e1 ^ m1(11, LEN1));
    this.h2 = lane2(this.h2, e2 ^ m2(11, LEN2));
  }

  /** Chains the open event's combination (with its word count) into the lanes. */
  private close(): void {
    const n = this.n;
    this.h1 = lane1(this.h1, this.e1 ^ m1(n, LEN1));
    this.h2 = lane2(this.h2, this.e2 ^ m2(n, LEN2));
    this.n = 0;
    this.e1 = 0;
    this.e2 = 0;
  }

  private f64(x: number): void {
    f64[0] = x === x ? x : Number.NaN;
    const lo = u32[LO] as number;
    const hi = u32[1 - LO] as number;
    this.mix1(lo);
    this.mix1(hi);
  }

  private str(s: string): void {
    const at = stringSlot(s);
    this.mix(strWords[at] as number, strWords[at + 1] as number);
  }

  /** The same word into both lanes (tags and numbers). */
  private mix1(w: number): void {
    this.mix(w, w);
  }

  /** The next word of the open event: `a` into lane 1, `b` into lane 2. */
  private mix(a: number, b: number): void {
    const p = this.n++;
    this.e1 ^= m1(a, p < KEYS ? (K1[p] as number) : key1(p));
    this.e2 ^= m2(b, p < KEYS ? (K2[p] as number) : key2(p));
  }

  /** 16 hex digits, the open event included; the hasher can go on after it. */
  digest(): string {
    let h1 = this.h1;
    let h2 = this.h2;
    if (this.n !== 0) {
      h1 = lane1(h1, this.e1 ^ m1(this.n, LEN1));
      h2 = lane2(h2, this.e2 ^ m2(this.n, LEN2));
    }
    let a = h1 ^ this.events;
    let b = h2 ^ Math.imul(this.events, 0x27d4eb2f);
    a = fmix(a);
    b = fmix(b);
    a = (a + b) | 0;
    b = (b + a) | 0;
    a = fmix(a);
    b = fmix(b);
    return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
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
