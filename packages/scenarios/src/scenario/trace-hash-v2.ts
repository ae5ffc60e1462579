// Trace hash format 2, recomputed from stored events: the evidence that format 3 (kvm-sim
// TRACE_FORMAT_VERSION) changed the hash function and nothing else. `trace-pins.test.ts` hashes each pinned
// run's events with it and finds the digests format 2 printed. Not used to hash runs.
import { HashedString, type TraceEvent, type TraceValue } from '@vgicsim/kvm-sim';

// Format 2's word tags (kvm-sim kernel/trace.ts at format 2).
const EVENT = 0x45564e00;
const STR = 0x53545205;
const I32 = 0x49333203;
const F64 = 0x46363404;
const TRUE = 0x54525506;
const FALSE = 0x46414c07;
const NULL = 0x4e554c08;
const BIGINT = 0x42494709;

const f64 = new Float64Array(1);
const u32 = new Int32Array(f64.buffer);
const LO = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;

function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Format 2: every word, in order, through each lane's multiply-and-rotate chain. */
export class TraceHasherV2 {
  private h1 = 0x3c6ef372;
  private h2 = 0xa54ff53a;
  private events = 0;

  update(e: TraceEvent): void {
    this.events = (this.events + 1) | 0;
    const tInt = (e.t | 0) === e.t;
    const thInt = (e.thread | 0) === e.thread;
    this.word(EVENT + (tInt ? 0 : 2) + (thInt ? 0 : 1));
    this.num(e.t, tInt);
    this.num(e.thread, thInt);
    this.str(e.kind);
    if (e.data === undefined) return;
    for (const key in e.data) this.field(key, e.data[key] ?? null);
  }

  private field(key: string, v: TraceValue): void {
    switch (typeof v) {
      case 'string':
        this.word(STR);
        this.str(key);
        this.str(v);
        return;
      case 'number': {
        const int = (v | 0) === v;
        this.word(int ? I32 : F64);
        this.str(key);
        this.num(v, int);
        return;
      }
      case 'boolean':
        this.word(v ? TRUE : FALSE);
        this.str(key);
        return;
      case 'bigint':
        this.word(BIGINT);
        this.str(key);
        this.str(v.toString(16));
        return;
      default:
        this.word(NULL);
        this.str(key);
    }
  }

  private num(x: number, int: boolean): void {
    if (int) {
      this.word(x);
      return;
    }
    f64[0] = x === x ? x : Number.NaN;
    const lo = u32[LO] as number;
    const hi = u32[1 - LO] as number;
    this.word(lo);
    this.word(hi);
  }

  private str(s: string): void {
    const h = new HashedString(s);
    this.mix(h.a, h.b);
  }

  private word(w: number): void {
    this.mix(w, w);
  }

  private mix(a: number, b: number): void {
    const x1 = Math.imul(this.h1 ^ a, 0x9e3779b1);
    this.h1 = (x1 << 15) | (x1 >>> 17);
    const x2 = Math.imul(this.h2 ^ b, 0x85ebca77);
    this.h2 = (x2 << 13) | (x2 >>> 19);
  }

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
