// The field-by-field hasher must give exactly the digest of hashing each event's text form (the format
// every recorded trace hash and replay file was made with).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Mutex, type Proc } from './objects.js';
import { Simulator } from './sim.js';
import { OffloadedHasher } from './trace-offload.js';
import { type TraceEvent, TraceHasher, type TraceValue, formatValue } from './trace.js';

function textDigest(events: readonly TraceEvent[]): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x9e3779b9;
  const mix = (text: string): void => {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
  };
  for (const e of events) {
    mix(`${e.t}|${e.thread}|${e.kind}`);
    if (e.data !== undefined) for (const k of Object.keys(e.data)) mix(`;${k}=${formatValue(e.data[k] ?? null)}`);
    mix('\n');
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

const value: fc.Arbitrary<TraceValue> = fc.oneof(
  fc.integer(),
  fc.maxSafeInteger(),
  fc.double(),
  fc.constantFrom(0, -0, 9, 10, 999_999_999, 1_000_000_000, 5_339_700_123, Number.MAX_SAFE_INTEGER, 2 ** 53, -1e21),
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc.bigInt(),
);
const event: fc.Arbitrary<TraceEvent> = fc.record({
  seq: fc.nat(),
  t: fc.oneof(fc.nat(), fc.maxSafeInteger()),
  thread: fc.integer({ min: -1, max: 600 }),
  kind: fc.string({ minLength: 1 }),
  data: fc.option(fc.dictionary(fc.string({ minLength: 1 }).filter((k) => !/^\d+$/.test(k)), value), { nil: undefined }),
});

describe('TraceHasher', () => {
  it('hashes fields exactly as the text form of the event', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 20 }), (events) => {
        const h = new TraceHasher();
        for (const e of events) h.update(e);
        expect(h.digest()).toBe(textDigest(events));
      }),
    );
  });

  it('begin/field/end is update without the object', () => {
    const a = new TraceHasher();
    a.update({ seq: 0, t: 12_345_678_901, thread: 3, kind: 'unlock', data: { mutex: 'bql', heldNs: 40 } });
    const b = new TraceHasher();
    b.begin(12_345_678_901, 3, 'unlock');
    b.fieldStr('mutex', 'bql');
    b.fieldNum('heldNs', 40);
    b.end();
    expect(b.digest()).toBe(a.digest());
    expect(a.digest()).toBe(textDigest([{ seq: 0, t: 12_345_678_901, thread: 3, kind: 'unlock', data: { mutex: 'bql', heldNs: 40 } }]));
  });
});

describe('trace hashing on a worker thread', () => {
  it('OffloadedHasher continues a hash and gives the inline digest', () => {
    const events: TraceEvent[] = [];
    for (let i = 0; i < 70_000; i++) {
      events.push({ seq: i, t: 1_000_000_000 + i * 20, thread: i % 7, kind: i % 3 === 0 ? 'lock' : 'unlock', data: { mutex: `m${i % 13}`, heldNs: i % 17, ok: i % 2 === 0, big: BigInt(i), none: null } });
    }
    const inline = new TraceHasher();
    for (const e of events) inline.update(e);
    const head = new TraceHasher();
    for (const e of events.slice(0, 100)) head.update(e);
    const [h1, h2] = head.lanes();
    const off = new OffloadedHasher(h1, h2);
    for (const e of events.slice(100)) {
      off.begin(e.t, e.thread, e.kind);
      if (e.data !== undefined) for (const k of Object.keys(e.data)) off.field(k, e.data[k]);
      off.end();
    }
    expect(off.digest()).toBe(inline.digest());
  });

  it('a hash taken back from a lagging worker, in the middle of an event, continues exactly', () => {
    const events: TraceEvent[] = [];
    for (let i = 0; i < 30_000; i++) events.push({ seq: i, t: i * 7, thread: i % 5, kind: 'k', data: { a: `s${i % 9}`, b: i } });
    const inline = new TraceHasher();
    for (const e of events) inline.update(e);
    for (const at of [1, 2, 3]) {
      const off = new OffloadedHasher(...new TraceHasher().lanes(), at);
      for (const e of events) {
        off.begin(e.t, e.thread, e.kind);
        if (e.data !== undefined) for (const k of Object.keys(e.data)) off.field(k, e.data[k]);
        off.end();
      }
      expect(off.digest()).toBe(inline.digest());
    }
  });

  it('a simulation gives the same trace hash with hashing offloaded from its first event', () => {
    const run = (hashOffloadAfter: number): string => {
      const sim = new Simulator({ seed: 3, windowNs: 100, hashOffloadAfter });
      const m = new Mutex('m');
      for (let k = 0; k < 4; k++) {
        sim.spawn(`t${k}`, function* (): Proc {
          for (let i = 0; i < 3000; i++) {
            yield* sim.lock(m);
            yield* sim.sleep(10 + k);
            sim.unlock(m);
          }
        });
      }
      return sim.run().traceHash;
    };
    expect(run(0)).toBe(run(Number.POSITIVE_INFINITY));
  });
});
