import type { TraceEvent } from '@vgicsim/kvm-sim';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../scenario/run.js';
import { SUITES } from '../suites/index.js';
import { type ChromeTrace, type ChromeTraceEvent, ChromeTraceStream, chromeTraceFromEvents, tidOf } from './chrome-trace.js';
import { recordRun } from './test-support.js';

/** Per track, sorted by start: every slice must end before or at the end of the slice it starts in. */
function nestingErrors(events: readonly ChromeTraceEvent[]): string[] {
  const errors: string[] = [];
  const byTid = new Map<number, { s: number; e: number; name: string }[]>();
  for (const ev of events) {
    if (ev.ph !== 'X') continue;
    // Back to integer ns so float µs rounding cannot fake an overlap.
    const s = Math.round((ev.ts ?? 0) * 1000);
    const list = byTid.get(ev.tid) ?? [];
    list.push({ s, e: s + Math.round((ev.dur ?? 0) * 1000), name: ev.name });
    byTid.set(ev.tid, list);
  }
  for (const [tid, list] of byTid) {
    list.sort((a, b) => a.s - b.s || b.e - a.e);
    const stack: { e: number; name: string }[] = [];
    for (const x of list) {
      while (stack.length > 0 && (stack.at(-1)?.e ?? 0) <= x.s && !((stack.at(-1)?.e ?? 0) === x.s && x.e === x.s)) stack.pop();
      const top = stack.at(-1);
      if (top !== undefined && x.e > top.e) errors.push(`tid ${tid}: ${x.name} [${x.s}, ${x.e}] crosses the end of ${top.name} (${top.e})`);
      stack.push(x);
    }
  }
  return errors;
}

function streamText(events: readonly TraceEvent[], chunkChars: number): { text: string; chunks: number } {
  let text = '';
  let chunks = 0;
  const stream = new ChromeTraceStream(
    (c) => {
      text += c;
      chunks++;
    },
    { chunkChars, otherData: { scenario: 'boot' } },
  );
  for (const e of events) stream.write(e);
  stream.close();
  stream.close();
  return { text, chunks };
}

describe('Chrome trace of boot (2 vCPUs, rfc-v6)', () => {
  const run = recordRun('boot', 'rfc-v6', { vcpus: 2 });
  const trace = chromeTraceFromEvents(run.events, undefined, { otherData: { scenario: 'boot' } });
  const evs = trace.traceEvents;
  const names = run.events.filter((e) => e.kind === 'spawn').map((e) => String(e.data?.['name']));

  it('is the JSON object format with ns display unit and survives a JSON round trip', () => {
    expect(trace.displayTimeUnit).toBe('ns');
    expect(JSON.parse(JSON.stringify(trace))).toEqual(trace);
    expect(trace.otherData).toEqual({ scenario: 'boot' });
  });

  it('has exactly one thread_name metadata event per thread, one tid per thread', () => {
    const meta = evs.filter((e) => e.ph === 'M' && e.name === 'thread_name');
    expect(meta.map((m) => m.args?.['name'])).toEqual(names);
    expect(new Set(meta.map((m) => m.tid)).size).toBe(names.length);
    expect(meta.map((m) => m.tid)).toEqual(names.map((_, i) => tidOf(i)));
    const tids = new Set(evs.filter((e) => e.ph !== 'M').map((e) => e.tid));
    for (const tid of tids) expect(meta.some((m) => m.tid === tid)).toBe(true);
    expect(new Set(evs.map((e) => e.pid))).toEqual(new Set([1]));
  });

  it('has complete slices with non-negative ts/dur that nest on every track', () => {
    const xs = evs.filter((e) => e.ph === 'X');
    expect(xs.length).toBeGreaterThan(50);
    for (const x of xs) {
      expect(x.dur, x.name).toBeGreaterThanOrEqual(0);
      expect(x.ts, x.name).toBeGreaterThanOrEqual(0);
    }
    expect(nestingErrors(evs)).toEqual([]);
  });

  it('shows KVM_RUN, ioctls with their result, BQL held, pause_all_vcpus, CPU_ON work and cpu_reset', () => {
    const x = (name: string): ChromeTraceEvent[] => evs.filter((e) => e.ph === 'X' && e.name === name);
    expect(x('KVM_RUN').length).toBeGreaterThan(3);
    expect(x('KVM_RUN').every((e) => e.cat === 'kvm')).toBe(true);
    expect(x('KVM_GET_DEVICE_ATTR').some((e) => e.args?.['result'] === '-EBUSY')).toBe(true);
    expect(x('BQL held').length).toBeGreaterThan(10);
    const pause = x('pause_all_vcpus');
    expect(pause).toHaveLength(1);
    expect(pause[0]?.tid).toBe(tidOf(names.indexOf('CPU 1/KVM')));
    expect(x('CPU_ON work')).toHaveLength(1);
    expect(x('cpu_reset').length).toBeGreaterThanOrEqual(5);
    // The structural slices are never cut into pieces; only the BQL is, where it does not nest.
    for (const name of ['pause_all_vcpus', 'CPU_ON work', 'cpu_reset', 'KVM_RUN']) expect(x(name).some((e) => e.args?.['piece'] !== undefined), name).toBe(false);
  });

  it('has thread-scoped instants for kicks and -EBUSY', () => {
    const inst = evs.filter((e) => e.ph === 'i');
    expect(inst.every((e) => e.s === 't')).toBe(true);
    expect(inst.filter((e) => e.cat === 'ebusy')).toHaveLength(1);
    expect(inst.filter((e) => e.cat === 'kick').length).toBe(run.events.filter((e) => e.kind === 'signal').length);
    expect(inst.some((e) => e.cat === 'failure')).toBe(false);
  });

  it('streams text that parses to exactly the whole-trace object, in small chunks', () => {
    const { text, chunks } = streamText(run.events, 512);
    expect(chunks).toBeGreaterThan(10);
    expect(JSON.parse(text)).toEqual(trace);
  });
});

describe('Chrome trace of an aborting run', () => {
  it('has the failure and the violations as instants, and nests after the abort cut everything short', () => {
    const run = recordRun('parallel-cpu-on', 'upstream-2025');
    const evs = chromeTraceFromEvents(run.events).traceEvents;
    const failure = evs.filter((e) => e.ph === 'i' && e.cat === 'failure');
    expect(failure).toHaveLength(1);
    expect(failure[0]?.args?.['message']).toContain('KVM_GET_DEVICE_ATTR failed');
    expect(evs.filter((e) => e.ph === 'i' && e.cat === 'violation')).toHaveLength(run.result.violations.length);
    expect(nestingErrors(evs)).toEqual([]);
  });
});

describe('Chrome trace of every suite', () => {
  for (const suite of SUITES) {
    it(`${suite.name}: nests on every track, names every track once, only the BQL is ever split`, () => {
      for (const strategy of ['rfc-v6', 'pause-always']) {
        const run = recordRun(suite.name, strategy);
        const evs = chromeTraceFromEvents(run.events).traceEvents;
        expect(nestingErrors(evs), strategy).toEqual([]);
        const spawned = run.events.filter((e) => e.kind === 'spawn').length;
        expect(evs.filter((e) => e.name === 'thread_name')).toHaveLength(spawned);
        expect(new Set(evs.filter((e) => e.args?.['piece'] !== undefined).map((e) => e.name))).toEqual(new Set(['BQL held']));
      }
    });
  }
});

describe('ChromeTraceStream as the run’s sink', () => {
  it('plugged into runScenario, gives the same document as the whole-trace function over the same run', () => {
    let text = '';
    const stream = new ChromeTraceStream((c) => (text += c));
    const events: TraceEvent[] = [];
    const tee = {
      write: (e: TraceEvent): void => {
        events.push(e);
        stream.write(e);
      },
    };
    runScenario({ scenario: 'reboot-loop', strategy: 'rfc-v6', seed: 2, trace: 'hash', sink: tee });
    stream.close();
    const parsed = JSON.parse(text) as ChromeTrace;
    expect(parsed).toEqual(chromeTraceFromEvents(events));
    expect(nestingErrors(parsed.traceEvents)).toEqual([]);
    expect(() => {
      stream.write(events[0] as TraceEvent);
    }).toThrow(/after close/);
  });

  it('writes a valid empty document for an empty trace', () => {
    let text = '';
    new ChromeTraceStream((c) => (text += c)).close();
    expect(JSON.parse(text)).toEqual(chromeTraceFromEvents([]));
  });
});
