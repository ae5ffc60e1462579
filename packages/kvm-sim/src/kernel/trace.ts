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
 * character. 2: the same fields mixed as 32-bit words (strings by a cached 64-bit hash of their own), about
 * a tenth of the work per event. Digests of different versions are not comparable: replay files record
 * the version their hash was made with, and a file of another version is refused.
 */
export const TRACE_FORMAT_VERSION = 2;

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
// with one (which also says the type, and so the length, of its value), so the word stream of a trace
// parses back into exactly one event sequence: events cannot run into each other, a field boundary cannot
// move, and a number never mixes like a string.
const EVENT = 0x45564e00; // + 2·form(t) + form(thread); form 0: an int32, one word; 1: IEEE-754 bits, two
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

// One word into lane 1 / lane 2 (what `mix` does per lane), for the fused event methods below.
function lane1(h: number, w: number): number {
  const x = Math.imul(h ^ w, 0x9e3779b1);
  return (x << 15) | (x >>> 17);
}
function lane2(h: number, w: number): number {
  const x = Math.imul(h ^ w, 0x85ebca77);
  return (x << 13) | (x >>> 19);
}

function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

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

/**
 * A string with its two hash words, computed once: the kinds and keys of the kernel's hot events, and the
 * names of threads, mutexes, condvars and wait queues (each keeps its own), so hashing an event that names
 * them looks nothing up. The words are those `stringSlot` would give: the digest is the same.
 */
export class HashedString<S extends string = string> {
  readonly a: number;
  readonly b: number;
  constructor(readonly s: S) {
    hashString(s, scratch, 0);
    this.a = scratch[0] as number;
    this.b = scratch[1] as number;
  }
}

/** What `TraceHasher.unlockRun` reads of a mutex: its hashed name and when it was taken. */
export interface MutexLike {
  readonly traceName: HashedString;
  readonly acquiredAt: number;
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
 * The trace hash, format 2 (TRACE_FORMAT_VERSION): a stream of 32-bit words mixed into two 32-bit lanes
 * (multiply and rotate, different constants per lane), finalised to 64 bits and printed as 16 hex digits.
 * An event is its tag, t, thread and kind, then per data field a type tag, the key and the value (see the
 * tags above). Numbers are exact: an int32 as one word, anything else as its IEEE-754 bits, so values
 * ≥ 2^32 and fractions never round; numbers equal under `===` hash alike (-0 as 0), every NaN as one NaN.
 * Strings mix as their own 64-bit hash, one half per lane. Each step is a bijection of its lane for a
 * given word and the finalisation is a bijection of the two lanes, so word streams that differ in exactly
 * one word (one int32, one string barring a 64-bit string-hash collision) never share a digest; other
 * differences collide only by chance. Not a cryptographic hash: it tells runs apart.
 */
export class TraceHasher implements HashFeed {
  private h1 = 0x3c6ef372;
  private h2 = 0xa54ff53a;
  /** Events so far (mod 2^32), folded in at the end. */
  private events = 0;

  update(event: TraceEvent): void {
    this.begin(event.t, event.thread, event.kind);
    const data = event.data;
    if (data !== undefined) {
      for (const key in data) this.field(key, data[key] ?? null);
    }
  }

  // The hot methods (a long run calls them tens of millions of times) mix their words with the lanes in
  // locals, as `mix` would one call at a time: the same digest for far fewer loads, stores and calls.
  begin(t: number, thread: number, kind: string): void {
    if ((thread | 0) !== thread) {
      this.events = (this.events + 1) | 0;
      this.beginSlow(t, thread, kind);
      return;
    }
    const at = stringSlot(kind);
    this.beginW(t, thread, strWords[at] as number, strWords[at + 1] as number);
  }

  /** `begin` with the kind given by its hash words; `thread` must be an int32 (a thread id, or -1). */
  beginW(t: number, thread: number, ka: number, kb: number): void {
    this.events = (this.events + 1) | 0;
    let h1 = this.h1;
    let h2 = this.h2;
    let x: number;
    if ((t | 0) === t) {
      x = Math.imul(h1 ^ EVENT, 0x9e3779b1);
      h1 = (x << 15) | (x >>> 17);
      x = Math.imul(h2 ^ EVENT, 0x85ebca77);
      h2 = (x << 13) | (x >>> 19);
      x = Math.imul(h1 ^ t, 0x9e3779b1);
      h1 = (x << 15) | (x >>> 17);
      x = Math.imul(h2 ^ t, 0x85ebca77);
      h2 = (x << 13) | (x >>> 19);
    } else {
      // Past 2^31 ns (2.1 s of virtual time) t takes its IEEE-754 form, tag EVENT + 2.
      f64[0] = t === t ? t : Number.NaN;
      const lo = u32[LO] as number;
      const hi = u32[1 - LO] as number;
      x = Math.imul(h1 ^ (EVENT + 2), 0x9e3779b1);
      h1 = (x << 15) | (x >>> 17);
      x = Math.imul(h2 ^ (EVENT + 2), 0x85ebca77);
      h2 = (x << 13) | (x >>> 19);
      x = Math.imul(h1 ^ lo, 0x9e3779b1);
      h1 = (x << 15) | (x >>> 17);
      x = Math.imul(h2 ^ lo, 0x85ebca77);
      h2 = (x << 13) | (x >>> 19);
      x = Math.imul(h1 ^ hi, 0x9e3779b1);
      h1 = (x << 15) | (x >>> 17);
      x = Math.imul(h2 ^ hi, 0x85ebca77);
      h2 = (x << 13) | (x >>> 19);
    }
    this.h1 = h1;
    this.h2 = h2;
    this.mix2(thread, thread, ka, kb);
  }

  /** `begin` when thread is not an int32 (never in the kernel's own events). */
  private beginSlow(t: number, thread: number, kind: string): void {
    const tInt = (t | 0) === t;
    const thInt = (thread | 0) === thread;
    const tag = EVENT + (tInt ? 0 : 2) + (thInt ? 0 : 1);
    this.mix(tag, tag);
    if (tInt) this.mix(t, t);
    else this.f64(t);
    if (thInt) this.mix(thread, thread);
    else this.f64(thread);
    this.str(kind);
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
        this.mix(v ? TRUE : FALSE, v ? TRUE : FALSE);
        this.str(key);
        return;
      case 'bigint':
        this.mix(BIGINT, BIGINT);
        this.str(key);
        hashString(v.toString(16), scratch, 0);
        this.mix(scratch[0] as number, scratch[1] as number);
        return;
      default:
        this.mix(NULL, NULL);
        this.str(key);
    }
  }

  fieldStr(key: string, value: string): void {
    const at = stringSlot(key);
    this.strWs(strWords[at] as number, strWords[at + 1] as number, value);
  }

  /** `fieldStr(key, m.name)`, with the name's hash kept on the mutex. */
  fieldMutex(key: string, m: { readonly traceName: HashedString }): void {
    const at = stringSlot(key);
    this.strW(strWords[at] as number, strWords[at + 1] as number, m.traceName);
  }

  /**
   * The words every fused event starts with — `beginW` + one `strW` — mixed into the lanes in one pass.
   * `thread` must be an int32.
   */
  private head1s(t: number, thread: number, kind: HashedString, k1: HashedString, v1: HashedString): void {
    this.events = (this.events + 1) | 0;
    let h1 = this.h1;
    let h2 = this.h2;
    if ((t | 0) === t) {
      h1 = lane1(lane1(h1, EVENT), t);
      h2 = lane2(lane2(h2, EVENT), t);
    } else {
      f64[0] = t === t ? t : Number.NaN;
      const lo = u32[LO] as number;
      const hi = u32[1 - LO] as number;
      h1 = lane1(lane1(lane1(h1, EVENT + 2), lo), hi);
      h2 = lane2(lane2(lane2(h2, EVENT + 2), lo), hi);
    }
    this.h1 = lane1(lane1(lane1(lane1(lane1(h1, thread), kind.a), STR), k1.a), v1.a);
    this.h2 = lane2(lane2(lane2(lane2(lane2(h2, thread), kind.b), STR), k1.b), v1.b);
  }

  /**
   * A whole event with one string field and an optional number field (`heldNs`, skipped when < 0): the
   * words of `beginW` + `strW` + `numW` without lookups. Lock and unlock events (most of a long trace) take
   * this path. `thread` must be an int32.
   */
  event1s1n(t: number, thread: number, kind: HashedString, k1: HashedString, v1: HashedString, k2: HashedString, v2: number): void {
    this.head1s(t, thread, kind, k1, v1);
    if (v2 < 0) return;
    if ((v2 | 0) === v2) {
      this.h1 = lane1(lane1(lane1(this.h1, I32), k2.a), v2);
      this.h2 = lane2(lane2(lane2(this.h2, I32), k2.b), v2);
    } else {
      f64[0] = v2;
      const lo = u32[LO] as number;
      const hi = u32[1 - LO] as number;
      this.h1 = lane1(lane1(lane1(lane1(this.h1, F64), k2.a), lo), hi);
      this.h2 = lane2(lane2(lane2(lane2(this.h2, F64), k2.b), lo), hi);
    }
  }

  /**
   * `event1s1n(m.acquiredAt, thread, kind, k1, m.traceName, k2, -1)` for each m of ms[from] … ms[to]: the lock
   * events of a trylock walk's run of acquisitions, each stamped with the time it was taken, mixed with the
   * lanes in locals. The same words in the same order as one call per mutex. `thread` must be an int32.
   */
  lockRun(thread: number, kind: HashedString, k1: HashedString, ms: readonly MutexLike[], from: number, to: number): void {
    this.events = (this.events + (to - from + 1)) | 0;
    let h1 = this.h1;
    let h2 = this.h2;
    const ka = kind.a;
    const kb = kind.b;
    const k1a = k1.a;
    const k1b = k1.b;
    for (let i = from; i <= to; i++) {
      const m = ms[i] as MutexLike;
      const t = m.acquiredAt;
      if ((t | 0) === t) {
        h1 = lane1(lane1(h1, EVENT), t);
        h2 = lane2(lane2(h2, EVENT), t);
      } else {
        f64[0] = t === t ? t : Number.NaN;
        const lo = u32[LO] as number;
        const hi = u32[1 - LO] as number;
        h1 = lane1(lane1(lane1(h1, EVENT + 2), lo), hi);
        h2 = lane2(lane2(lane2(h2, EVENT + 2), lo), hi);
      }
      const v = m.traceName;
      h1 = lane1(lane1(lane1(lane1(lane1(h1, thread), ka), STR), k1a), v.a);
      h2 = lane2(lane2(lane2(lane2(lane2(h2, thread), kb), STR), k1b), v.b);
    }
    this.h1 = h1;
    this.h2 = h2;
  }

  /**
   * `event1s1n(t, thread, kind, k1, m.traceName, k2, t - m.acquiredAt)` for each m of `ms`, last to first: the
   * unlock events of a batched release (kvm_unlock_all_vcpus), mixed with the lanes kept in locals and the
   * event's fixed words read once. The same words in the same order as one call per mutex, so the same
   * digest. `thread` must be an int32.
   */
  unlockRun(t: number, thread: number, kind: HashedString, k1: HashedString, k2: HashedString, ms: readonly MutexLike[]): void {
    const n = ms.length;
    this.events = (this.events + n) | 0;
    let h1 = this.h1;
    let h2 = this.h2;
    const tInt = (t | 0) === t;
    let tLo = 0;
    let tHi = 0;
    if (!tInt) {
      f64[0] = t === t ? t : Number.NaN;
      tLo = u32[LO] as number;
      tHi = u32[1 - LO] as number;
    }
    const ka = kind.a;
    const kb = kind.b;
    const k1a = k1.a;
    const k1b = k1.b;
    const k2a = k2.a;
    const k2b = k2.b;
    for (let i = n - 1; i >= 0; i--) {
      const m = ms[i] as MutexLike;
      if (tInt) {
        h1 = lane1(lane1(h1, EVENT), t);
        h2 = lane2(lane2(h2, EVENT), t);
      } else {
        h1 = lane1(lane1(lane1(h1, EVENT + 2), tLo), tHi);
        h2 = lane2(lane2(lane2(h2, EVENT + 2), tLo), tHi);
      }
      const v = m.traceName;
      h1 = lane1(lane1(lane1(lane1(lane1(h1, thread), ka), STR), k1a), v.a);
      h2 = lane2(lane2(lane2(lane2(lane2(h2, thread), kb), STR), k1b), v.b);
      const held = t - m.acquiredAt;
      if (held < 0) continue;
      if ((held | 0) === held) {
        h1 = lane1(lane1(lane1(h1, I32), k2a), held);
        h2 = lane2(lane2(lane2(h2, I32), k2b), held);
      } else {
        f64[0] = held;
        const lo = u32[LO] as number;
        const hi = u32[1 - LO] as number;
        h1 = lane1(lane1(lane1(lane1(h1, F64), k2a), lo), hi);
        h2 = lane2(lane2(lane2(lane2(h2, F64), k2b), lo), hi);
      }
    }
    this.h1 = h1;
    this.h2 = h2;
  }

  /** A whole event with two string fields, without lookups (see event1s1n). `thread` must be an int32. */
  event2s(t: number, thread: number, kind: HashedString, k1: HashedString, v1: HashedString, k2: HashedString, v2: HashedString): void {
    this.head1s(t, thread, kind, k1, v1);
    this.h1 = lane1(lane1(lane1(this.h1, STR), k2.a), v2.a);
    this.h2 = lane2(lane2(lane2(this.h2, STR), k2.b), v2.b);
  }

  /** A string field, its key by hash words and its value hashed already: `fieldStr` without lookups. */
  strW(ka: number, kb: number, v: HashedString): void {
    let x = Math.imul(this.h1 ^ STR, 0x9e3779b1);
    let h1 = (x << 15) | (x >>> 17);
    x = Math.imul(this.h2 ^ STR, 0x85ebca77);
    let h2 = (x << 13) | (x >>> 19);
    x = Math.imul(h1 ^ ka, 0x9e3779b1);
    h1 = (x << 15) | (x >>> 17);
    x = Math.imul(h2 ^ kb, 0x85ebca77);
    h2 = (x << 13) | (x >>> 19);
    x = Math.imul(h1 ^ v.a, 0x9e3779b1);
    this.h1 = (x << 15) | (x >>> 17);
    x = Math.imul(h2 ^ v.b, 0x85ebca77);
    this.h2 = (x << 13) | (x >>> 19);
  }

  /** A string field, its key by hash words: `fieldStr` without the key's lookup. */
  strWs(ka: number, kb: number, value: string): void {
    this.mix2(STR, STR, ka, kb);
    const at = stringSlot(value);
    this.mix(strWords[at] as number, strWords[at + 1] as number);
  }

  /** A number field, its key by hash words: `fieldNum` without the lookup. */
  numW(ka: number, kb: number, value: number): void {
    if ((value | 0) === value) {
      let x = Math.imul(this.h1 ^ I32, 0x9e3779b1);
      let h1 = (x << 15) | (x >>> 17);
      x = Math.imul(this.h2 ^ I32, 0x85ebca77);
      let h2 = (x << 13) | (x >>> 19);
      x = Math.imul(h1 ^ ka, 0x9e3779b1);
      h1 = (x << 15) | (x >>> 17);
      x = Math.imul(h2 ^ kb, 0x85ebca77);
      h2 = (x << 13) | (x >>> 19);
      x = Math.imul(h1 ^ value, 0x9e3779b1);
      this.h1 = (x << 15) | (x >>> 17);
      x = Math.imul(h2 ^ value, 0x85ebca77);
      this.h2 = (x << 13) | (x >>> 19);
    } else {
      this.mix(F64, F64);
      this.mix(ka, kb);
      this.f64(value);
    }
  }

  fieldNum(key: string, value: number): void {
    const at = stringSlot(key);
    this.numW(strWords[at] as number, strWords[at + 1] as number, value);
  }


  /** Nothing to mix: the next event's tag (or the digest) closes an event. */
  end(): void {}

  private f64(x: number): void {
    f64[0] = x === x ? x : Number.NaN;
    const lo = u32[LO] as number;
    const hi = u32[1 - LO] as number;
    this.mix(lo, lo);
    this.mix(hi, hi);
  }

  private str(s: string): void {
    const at = stringSlot(s);
    this.mix(strWords[at] as number, strWords[at + 1] as number);
  }

  /** Two words into each lane: `mix(a1, b1)` then `mix(a2, b2)`. */
  private mix2(a1: number, b1: number, a2: number, b2: number): void {
    let x = Math.imul(this.h1 ^ a1, 0x9e3779b1);
    let h1 = (x << 15) | (x >>> 17);
    x = Math.imul(this.h2 ^ b1, 0x85ebca77);
    let h2 = (x << 13) | (x >>> 19);
    x = Math.imul(h1 ^ a2, 0x9e3779b1);
    h1 = (x << 15) | (x >>> 17);
    x = Math.imul(h2 ^ b2, 0x85ebca77);
    h2 = (x << 13) | (x >>> 19);
    this.h1 = h1;
    this.h2 = h2;
  }

  /** One word into each lane. */
  private mix(a: number, b: number): void {
    const h1 = Math.imul(this.h1 ^ a, 0x9e3779b1);
    this.h1 = (h1 << 15) | (h1 >>> 17);
    const h2 = Math.imul(this.h2 ^ b, 0x85ebca77);
    this.h2 = (h2 << 13) | (h2 >>> 19);
  }

  /** 16 hex digits; the hasher can go on after it. */
  digest(): string {
    let a = this.h1 ^ this.events;
    let b = this.h2 ^ Math.imul(this.events, 0x27d4eb2f);
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
