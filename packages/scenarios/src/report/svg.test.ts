import { describe, expect, it } from 'vitest';
import { LANE_STATE_LABELS, LANE_STATES, type StateInterval, type Timeline } from './model.js';
import { laneRects, renderSvgTimeline } from './svg.js';
import { checkWellFormedXml, recordRun } from './test-support.js';
import { buildTimeline } from './timeline.js';
import { esc, exactUs, niceTicks } from './text.js';

describe('SVG timeline', () => {
  const run = recordRun('boot', 'rfc-v6', { vcpus: 2 });
  const tl = buildTimeline(run.events);
  const svg = renderSvgTimeline(tl, { title: { scenario: 'boot', strategy: 'rfc-v6', seed: 1, outcome: run.result.outcome } });

  it('is well-formed, standalone XML with no scripts or external references', () => {
    checkWellFormedXml(svg);
    expect(svg.startsWith('<?xml')).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).not.toMatch(/<script|href=|url\(/);
  });

  it('has a title line, a lane label per thread, the legend and a µs time axis', () => {
    expect(svg).toContain('boot · strategy rfc-v6 · seed 1 · outcome: ok');
    for (const lane of tl.lanes) expect(svg).toContain(`>${esc(lane.name)}<title>`);
    for (const s of LANE_STATES) expect(svg).toContain(esc(LANE_STATE_LABELS[s]));
    expect(svg).toContain('pause_all_vcpus');
    expect(svg).toContain('time (µs)');
    const { ticks } = niceTicks(0, tl.endNs / 1000, 9);
    expect(ticks.length).toBeGreaterThan(3);
    expect(svg).toContain('>50</text>');
  });

  it('marks the pause, the -EBUSY and every state that occurs', () => {
    // One band per pause_all_vcpus call, on the caller's lane, spanning exactly its begin/end trace events.
    const begins = run.events.filter((e) => e.kind === 'pause-all-begin');
    const ends = run.events.filter((e) => e.kind === 'pause-all-end');
    expect(begins.length).toBe(run.result.metrics.pauseCalls);
    expect(ends.length).toBe(begins.length);
    const bands = [...svg.matchAll(/<title>pause_all_vcpus ([\d.]+)–([\d.]+) µs( \(VM-wide\))?<\/title>/g)];
    expect(bands.map((m) => [m[1], m[2], m[3] !== undefined])).toEqual(
      begins.map((b) => {
        const end = ends.find((e) => e.thread === b.thread && e.t >= b.t);
        return [exactUs(b.t), exactUs(end?.t ?? Number.NaN), b.data?.['vmWide'] === true];
      }),
    );
    expect(bands.filter((m) => m[3] !== undefined)).toHaveLength(run.result.metrics.vmWidePauses);
    expect(run.result.metrics.vmWidePauses).toBe(1);
    const pauserLanes = tl.lanes.filter((l) => l.slices.some((x) => x.kind === 'pause-all')).map((l) => l.name);
    expect(pauserLanes).toEqual(['CPU 1/KVM']);
    expect(svg).toContain('KVM_GET_DEVICE_ATTR -EBUSY at');
    expect(svg).toMatch(/<title>kvm-sleep on vcpu1\.wait /);
    expect(svg).toMatch(/<title>stopped /);
  });

  it('draws the failure point of an aborting run across the lanes', () => {
    const bad = recordRun('parallel-cpu-on', 'upstream-2025');
    const out = renderSvgTimeline(buildTimeline(bad.events));
    checkWellFormedXml(out);
    expect(out).toContain('outcome: abort');
    expect(out).toMatch(/<title>qemu-abort: Unexpected error in kvm_device_access\(\)/);
    expect(out).toContain('<title>violation: device-ioctl-while-vcpu-runs');
  });

  it('escapes names and titles', () => {
    const weird: Timeline = {
      startNs: 0,
      endNs: 1000,
      outcome: 'ok',
      markers: [{ kind: 'violation', t: 500, thread: 0, label: 'x < y & "z"', args: {} }],
      lanes: [{ thread: 0, name: 'a<b>&c', startNs: 0, endNs: 1000, intervals: [{ startNs: 0, endNs: 1000, state: 'qemu' }], slices: [] }],
    };
    const out = renderSvgTimeline(weird, { title: '<script>alert(1)</script>', xmlDeclaration: false });
    checkWellFormedXml(out);
    expect(out).toContain('a&lt;b&gt;&amp;c');
    expect(out).not.toContain('<script>');
    expect(out.startsWith('<svg')).toBe(true);
  });

  it('keeps long runs small: sub-pixel intervals merge by dominant state', () => {
    const ivs: StateInterval[] = [];
    // 100 000 intervals over 1 ms: 9 ns of guest then 1 ns of qemu, repeatedly.
    for (let t = 0; t < 1_000_000; t += 10) {
      ivs.push({ startNs: t, endNs: t + 9, state: 'guest' }, { startNs: t + 9, endNs: t + 10, state: 'qemu' });
    }
    ivs.push({ startNs: 1_000_000, endNs: 2_000_000, state: 'stopped' });
    const rects = laneRects(ivs, (t) => t / 2000, 1);
    expect(rects.length).toBeLessThanOrEqual(3);
    expect(rects.map((r) => r.state)).toEqual(['guest', 'stopped']);
    expect(rects[1]?.x0).toBe(500);
    const lane = { thread: 0, name: 'CPU 0/KVM', startNs: 0, endNs: 2_000_000, intervals: ivs, slices: [] };
    const out = renderSvgTimeline({ startNs: 0, endNs: 2_000_000, outcome: 'ok', markers: [], lanes: [lane] });
    expect(out.length).toBeLessThan(20_000);
  });

  it('the XML check itself rejects broken markup', () => {
    expect(() => {
      checkWellFormedXml('<svg><g></svg>');
    }).toThrow(/unexpected/);
    expect(() => {
      checkWellFormedXml('<svg><text>a < b</text></svg>');
    }).toThrow(/bad start tag/);
    expect(() => {
      checkWellFormedXml('<svg><text>a & b</text></svg>');
    }).toThrow(/bad entity/);
    expect(() => {
      checkWellFormedXml('<svg a="1" a="2"/>');
    }).toThrow(/duplicate/);
  });
});
