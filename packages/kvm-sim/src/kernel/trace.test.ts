// Trace hash format 2: a stored full trace (`update` per event) and the kernel's field-by-field feed give
// the same digest; traces that differ anywhere give different digests; the format is pinned by a known
// answer so it cannot drift without a version bump.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Mutex, type Proc } from './objects.js';
import { Simulator, type TraceMode } from './sim.js';
import { KERNEL_HASHED, KernelTrace } from './trace-sink.js';
import { HashedString, TRACE_FORMAT_VERSION, type TraceData, type TraceEvent, TraceHasher, type TraceValue } from './trace.js';

const value: fc.Arbitrary<TraceValue> = fc.oneof(
  fc.integer(),
  fc.maxSafeInteger(),
  fc.double(),
  fc.constantFrom(0, -1, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), 2 ** 32, 2 ** 32 + 1, 5_339_700_123, Number.MAX_SAFE_INTEGER, 2 ** 53, 0.5, -1e21),
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc.bigInt(),
);
const data: fc.Arbitrary<TraceData> = fc.dictionary(fc.string({ minLength: 1 }).filter((k) => !/^\d+$/.test(k)), value);
const event: fc.Arbitrary<TraceEvent> = fc.record({
  seq: fc.nat(),
  t: fc.oneof(fc.nat(), fc.maxSafeInteger(), fc.constantFrom(2 ** 31, 2 ** 32, 2 ** 32 + 1, 0.25)),
  thread: fc.integer({ min: -1, max: 600 }),
  kind: fc.string(),
  data: fc.option(data, { nil: undefined }),
});

/** The kernel's streaming path: typed calls where the kernel knows the type, mutex names via the mutex. */
function streamDigest(events: readonly TraceEvent[]): string {
  const h = new TraceHasher();
  const mutexes = new Map<string, Mutex>();
  for (const e of events) {
    h.begin(e.t, e.thread, e.kind);
    if (e.data !== undefined) {
      for (const key in e.data) {
        const v = e.data[key];
        if (typeof v === 'string' && key.length % 2 === 0) {
          let m = mutexes.get(v);
          if (m === undefined) mutexes.set(v, (m = new Mutex(v)));
          h.fieldMutex(key, m);
        } else if (typeof v === 'string') h.fieldStr(key, v);
        else if (typeof v === 'number') h.fieldNum(key, v);
        else h.field(key, v);
      }
    }
    h.end();
  }
  return h.digest();
}

function storedDigest(events: readonly TraceEvent[]): string {
  const h = new TraceHasher();
  for (const e of events) h.update(e);
  return h.digest();
}

/** Every single-field change of an event: each must move the digest. */
function mutations(e: TraceEvent): TraceEvent[] {
  const d = e.data ?? {};
  // Longer than every key, so no key of the event.
  const fresh = `${Object.keys(d).join('')}_`;
  const out: TraceEvent[] = [
    { ...e, t: e.t + 1 },
    { ...e, t: e.t + 2 ** 32 },
    { ...e, thread: e.thread + 1 },
    { ...e, kind: `${e.kind}x` },
    { ...e, data: { ...d, [fresh]: null } },
  ];
  for (const key of Object.keys(d)) {
    const v = d[key] ?? null;
    const others: TraceValue[] = [String(v), typeof v === 'number' ? v + 1 : 0, typeof v === 'number' && v < 2 ** 50 ? v + 2 ** 32 : 1, v === true ? false : true, v === null ? 'null' : null, 7n];
    for (const o of others) if (!Object.is(o, v) && !(typeof o === 'number' && o === v)) out.push({ ...e, data: { ...d, [key]: o } });
    const renamed: Record<string, TraceValue> = {};
    for (const k of Object.keys(d)) renamed[k === key ? fresh : k] = d[k] ?? null;
    out.push({ ...e, data: renamed });
  }
  return out;
}

describe('TraceHasher (format 2)', () => {
  it('is format version 2', () => {
    expect(TRACE_FORMAT_VERSION).toBe(2);
  });

  it('a stored trace re-hashes to the digest of the streaming feed', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 20 }), (events) => {
        expect(storedDigest(events)).toBe(streamDigest(events));
      }),
    );
  });

  it('traces that differ in one field of one event have different digests', () => {
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 8 }), fc.nat(), (events, pick) => {
        const i = pick % events.length;
        const base = storedDigest(events);
        for (const m of mutations(events[i] as TraceEvent)) {
          const changed = events.map((e, j) => (j === i ? m : e));
          expect(storedDigest(changed), JSON.stringify({ from: events[i], to: m }, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))).not.toBe(base);
        }
      }),
    );
  });

  it('numbers are exact: ≥ 2^32, past 2^53 and fractions are never rounded together', () => {
    const d = (t: number, v: TraceValue): string => storedDigest([{ seq: 0, t, thread: 0, kind: 'k', data: { v } }]);
    expect(d(1, 0)).not.toBe(d(2 ** 32 + 1, 0));
    expect(d(2 ** 53, 0)).not.toBe(d(2 ** 53 + 2, 0));
    expect(d(0, 0.1)).not.toBe(d(0, 0.1 + 2 ** -55));
    expect(d(0, 2 ** 32)).not.toBe(d(0, 0));
    expect(d(0, 1)).not.toBe(d(0, '1'));
    expect(d(0, 1)).not.toBe(d(0, true));
    expect(d(0, null)).not.toBe(d(0, 'null'));
    expect(d(0, 15n)).not.toBe(d(0, 'f'));
    // Equal numbers hash alike: -0 is 0, and every NaN is the same NaN.
    expect(d(0, -0)).toBe(d(0, 0));
    expect(d(0, Number.NaN)).toBe(d(0, 0 / 0));
  });

  it('field and event boundaries cannot move', () => {
    const one = (data: TraceData): TraceEvent => ({ seq: 0, t: 5, thread: 1, kind: 'k', data });
    expect(storedDigest([one({ a: 'bc' })])).not.toBe(storedDigest([one({ ab: 'c' })]));
    expect(storedDigest([one({ a: 'b', c: 'd' })])).not.toBe(storedDigest([one({ a: 'b;c=d' })]));
    expect(storedDigest([one({ a: 1, b: 2 })])).not.toBe(storedDigest([one({ b: 2, a: 1 })]));
    // One event with no fields then one, or the field on the first: the event tag separates them.
    const bare: TraceEvent = { seq: 0, t: 5, thread: 1, kind: 'k', data: undefined };
    expect(storedDigest([bare, one({ a: 1 })])).not.toBe(storedDigest([one({ a: 1 }), bare]));
    expect(storedDigest([bare])).not.toBe(storedDigest([bare, bare]));
    expect(storedDigest([])).not.toBe(storedDigest([bare]));
  });

  it('gives the pinned digest for a fixed trace (format 2 cannot change without a version bump)', () => {
    const events: TraceEvent[] = [
      { seq: 0, t: 0, thread: -1, kind: 'spawn', data: { name: 'main' } },
      { seq: 1, t: 5_339_700_123, thread: 3, kind: 'unlock', data: { mutex: 'bql', heldNs: 40 } },
      { seq: 2, t: 2 ** 31, thread: 0, kind: 'x', data: { f: 0.5, b: true, n: null, big: 0xdeadbeefn, s: '' } },
      { seq: 3, t: 7, thread: 2, kind: 'end', data: undefined },
    ];
    expect(storedDigest(events)).toBe('5948ad24250160ba');
    expect(streamDigest(events)).toBe(storedDigest(events));
  });

  it('long strings (not cached) hash as the same string does every time', () => {
    const long = 'x'.repeat(64);
    const events = (v: string): TraceEvent[] => [{ seq: 0, t: 1, thread: 0, kind: long + v, data: { [long + v]: long + v } }];
    for (const v of ['', 'y', 'yz']) {
      expect(storedDigest(events(v))).toBe(streamDigest(events(v)));
      expect(storedDigest(events(v))).toBe(storedDigest(events(v)));
    }
    expect(storedDigest(events('y'))).not.toBe(storedDigest(events('z')));
  });

  it('digest() does not disturb the hash', () => {
    const h = new TraceHasher();
    h.begin(1, 2, 'a');
    const first = h.digest();
    expect(h.digest()).toBe(first);
    h.begin(1, 2, 'a');
    expect(h.digest()).not.toBe(first);
  });
});

describe('the simulator hashes a run alike in every trace mode', () => {
  const run = (trace: TraceMode): { hash: string; events: readonly TraceEvent[] } => {
    const sim = new Simulator({ seed: 3, windowNs: 100, trace });
    const m = new Mutex('m');
    for (let k = 0; k < 4; k++) {
      sim.spawn(`t${k}`, function* (): Proc {
        for (let i = 0; i < 300; i++) {
          yield* sim.lock(m);
          yield* sim.sleep(10 + k);
          sim.unlock(m);
          sim.emit('tick', { k, i, big: 2 ** 33 + i, frac: i / 7, ok: i % 2 === 0, none: null });
        }
      });
    }
    const r = sim.run();
    return { hash: r.traceHash, events: r.events };
  };

  it('hash (field by field) = full (event objects) = the stored events re-hashed', () => {
    const streamed = run('hash');
    const full = run('full');
    expect(full.events.length).toBeGreaterThan(2400);
    expect(full.hash).toBe(streamed.hash);
    expect(storedDigest(full.events)).toBe(streamed.hash);
  });
});

describe('the hashed emitters of the layers above (emitN, emitNS, emitNSS)', () => {
  const K = { a: new HashedString('hot-a'), b: new HashedString('hot-b'), c: new HashedString('hot-c') };
  const F = { n: new HashedString('n'), s: new HashedString('s'), r: new HashedString('r') };
  const run = (trace: TraceMode, hashed: boolean): { hash: string; events: readonly TraceEvent[] } => {
    const sim = new Simulator({ seed: 5, windowNs: 50, trace });
    for (let k = 0; k < 3; k++) {
      sim.spawn(`t${k}`, function* (): Proc {
        for (let i = 0; i < 200; i++) {
          yield* sim.sleep(7 + k);
          // ints, fractions, numbers past 2^31, negatives; repeated and fresh strings.
          const n = i % 4 === 0 ? i / 3 : i % 4 === 1 ? 2 ** 33 + i : i % 4 === 2 ? -i : i;
          const s = `v${i % 5}`;
          const r = i % 3 === 0 ? `-E${i}` : String(i);
          if (hashed) {
            sim.emitN(K.a, F.n, n);
            sim.emitNS(K.b, F.n, n, F.s, s);
            sim.emitNSS(K.c, F.n, n, F.s, s, F.r, r);
          } else {
            sim.emit('hot-a', { n });
            sim.emit('hot-b', { n, s });
            sim.emit('hot-c', { n, s, r });
          }
        }
      });
    }
    const r = sim.run();
    return { hash: r.traceHash, events: r.events };
  };

  it('give the digest and the events of emit with the same payload, in every trace mode', () => {
    const plain = run('full', false);
    expect(plain.events.length).toBeGreaterThan(1800);
    expect(run('hash', true).hash).toBe(plain.hash);
    const full = run('full', true);
    expect(full.hash).toBe(plain.hash);
    expect(full.events).toEqual(plain.events);
    expect(run('off', true).hash).toBe(run('off', false).hash);
  });
});

describe('the kernel trace sink emits only kernel vocabulary', () => {
  it('keeps kind, field names and values of each emitter; a wrong kind or field does not compile', () => {
    const clock = { now: 7, current: { id: 2 } };
    const trace = new KernelTrace(clock, 'full', undefined);
    const m = new Mutex('bql');
    const H = KERNEL_HASHED;
    // The same events into a hash-only sink: hashed from the precomputed words, never built as objects.
    const hashOnly = new KernelTrace(clock, 'hash', undefined);
    for (const t of [trace, hashOnly]) {
      t.ev2s(H.lockWait, H.kMutex, m.traceName, H.kOwner, new HashedString('main'));
      t.ev2n(H.interrupt, H.kTarget, new HashedString('cpu1'), H.kRemainingNs, 40);
      t.ev2n(H.interrupt, H.kTarget, new HashedString('cpu1'), H.kRemainingNs, 2 ** 40 + 0.5);
      t.ev2n(H.interrupt, H.kTarget, new HashedString('cpu1'), H.kRemainingNs, -3);
      t.evMutex(H.lock, m, -1);
      clock.now = 2 ** 33;
      t.evMutex(H.unlock, m, 2 ** 33 - 7);
      t.ev2s(H.wake, H.kQueue, new HashedString('q'), H.kTarget, new HashedString('main'));
      clock.now = 7;
      t.evMutex(H.unlock, m, 12);
      t.ev1s(H.timeout, H.kQueue, new HashedString('vcpu0.wait'));
      t.ev1n(H.signalHandler, H.kSignal, 10);
      t.kernel('exit');
    }
    expect(hashOnly.digest()).toBe(trace.digest());
    expect(hashOnly.digest()).toBe(storedDigest(trace.events));
    // Compile-time checks only: never called, so they leave the trace alone.
    const typeOnly = (): void => {
      // @ts-expect-error -- not a kernel event
      trace.ev1s(new HashedString('blocked'), H.kQueue, m.traceName);
      // @ts-expect-error -- `queue` is not a field of lock-wait
      trace.ev2s(H.lockWait, H.kQueue, m.traceName, H.kOwner, m.traceName);
      // @ts-expect-error -- timeout needs its queue
      trace.kernel('timeout');
      // @ts-expect-error -- exit has no payload
      trace.kernel('exit', { code: 0 });
    };
    expect(typeof typeOnly).toBe('function');
    expect(trace.events.map((e) => [e.seq, e.t, e.thread, e.kind, e.data])).toEqual([
      [0, 7, 2, 'lock-wait', { mutex: 'bql', owner: 'main' }],
      [1, 7, 2, 'interrupt', { target: 'cpu1', remainingNs: 40 }],
      [2, 7, 2, 'interrupt', { target: 'cpu1', remainingNs: 2 ** 40 + 0.5 }],
      [3, 7, 2, 'interrupt', { target: 'cpu1', remainingNs: -3 }],
      [4, 7, 2, 'lock', { mutex: 'bql' }],
      [5, 2 ** 33, 2, 'unlock', { mutex: 'bql', heldNs: 2 ** 33 - 7 }],
      [6, 2 ** 33, 2, 'wake', { queue: 'q', target: 'main' }],
      [7, 7, 2, 'unlock', { mutex: 'bql', heldNs: 12 }],
      [8, 7, 2, 'timeout', { queue: 'vcpu0.wait' }],
      [9, 7, 2, 'signal-handler', { signal: 10 }],
      [10, 7, 2, 'exit', undefined],
    ]);
  });
});
