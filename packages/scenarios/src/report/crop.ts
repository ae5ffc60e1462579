// A window onto a timeline: a long run's interesting part (a hang after a long boot) gets the whole width.
import type { Lane, Slice, StateInterval, Timeline } from './model.js';

function clip<T extends { readonly startNs: number; readonly endNs: number }>(items: readonly T[], from: number, to: number): T[] {
  const out: T[] = [];
  for (const it of items) {
    if (it.endNs <= from || it.startNs >= to) continue;
    out.push({ ...it, startNs: Math.max(from, it.startNs), endNs: Math.min(to, it.endNs) });
  }
  return out;
}

/** The part of `timeline` within [fromNs, toNs): intervals and slices clipped, markers and lanes outside dropped. */
export function cropTimeline(timeline: Timeline, fromNs: number, toNs: number): Timeline {
  const from = Math.max(timeline.startNs, fromNs);
  const to = Math.min(timeline.endNs, toNs);
  if (!(to > from)) throw new RangeError(`empty window ${fromNs}..${toNs} ns of a timeline spanning ${timeline.startNs}..${timeline.endNs} ns`);
  const lanes: Lane[] = [];
  for (const lane of timeline.lanes) {
    if (lane.endNs <= from || lane.startNs >= to) continue;
    lanes.push({
      ...lane,
      startNs: Math.max(from, lane.startNs),
      endNs: Math.min(to, lane.endNs),
      intervals: clip<StateInterval>(lane.intervals, from, to),
      slices: clip<Slice>(lane.slices, from, to),
    });
  }
  return {
    ...timeline,
    lanes,
    startNs: from,
    endNs: to,
    markers: timeline.markers.filter((m) => m.t >= from && m.t <= to),
  };
}
