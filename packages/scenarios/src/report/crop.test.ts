import { describe, expect, it } from 'vitest';
import { cropTimeline } from './crop.js';
import type { Timeline } from './model.js';

const timeline: Timeline = {
  startNs: 0,
  endNs: 1000,
  outcome: 'ok',
  markers: [
    { kind: 'kick', t: 100, thread: 0, label: 'kick', args: {} },
    { kind: 'ebusy', t: 700, thread: 0, label: '-EBUSY', args: {} },
  ],
  lanes: [
    {
      thread: 0,
      name: 'main',
      startNs: 0,
      endNs: 1000,
      intervals: [
        { startNs: 0, endNs: 400, state: 'qemu-bql' },
        { startNs: 400, endNs: 1000, state: 'waiting', detail: 'BQL' },
      ],
      slices: [{ kind: 'bql', name: 'BQL held', startNs: 0, endNs: 400, args: {} }],
    },
    { thread: 1, name: 'early', startNs: 0, endNs: 200, intervals: [{ startNs: 0, endNs: 200, state: 'qemu' }], slices: [] },
  ],
};

describe('cropTimeline', () => {
  it('clips intervals and slices to the window and drops what lies outside', () => {
    const c = cropTimeline(timeline, 300, 800);
    expect(c.startNs).toBe(300);
    expect(c.endNs).toBe(800);
    expect(c.lanes.map((l) => l.name)).toEqual(['main']);
    expect(c.lanes[0]?.intervals).toEqual([
      { startNs: 300, endNs: 400, state: 'qemu-bql' },
      { startNs: 400, endNs: 800, state: 'waiting', detail: 'BQL' },
    ]);
    expect(c.lanes[0]?.slices.map((s) => [s.startNs, s.endNs])).toEqual([[300, 400]]);
    expect(c.markers.map((m) => m.kind)).toEqual(['ebusy']);
  });

  it('refuses an empty window', () => {
    expect(() => cropTimeline(timeline, 2000, 3000)).toThrow(/empty window/);
  });
});
