// A self-contained SVG timeline: one lane per thread coloured by state, pause_all_vcpus windows, markers
// for -EBUSY, violations, kicks and the failure point, a µs axis and a legend. No scripts, no external
// references: tooltips are SVG <title> elements, which every browser shows on hover.
import type { LaneState, Marker, StateInterval, Timeline } from './model.js';
import { LANE_STATES, LANE_STATE_LABELS } from './model.js';
import { esc, exactUs, fmtUs, niceTicks, px, tickLabel } from './text.js';

export interface SvgTitle {
  readonly scenario?: string;
  readonly strategy?: string;
  readonly lockPolicy?: string;
  readonly seed?: number;
  /** Defaults to the timeline's outcome (the simulator's `end` event). */
  readonly outcome?: string;
}

export interface SvgOptions {
  /** Total width in px (default 1200). */
  readonly width?: number;
  readonly laneHeight?: number;
  /** Width of the lane-label column (default 170). */
  readonly labelWidth?: number;
  /** A title line; a string is used as is. */
  readonly title?: string | SvgTitle;
  /** Draw signal kicks (default true; a long run has many). */
  readonly showKicks?: boolean;
  /** Intervals narrower than this many px are merged (default 1). */
  readonly minWidthPx?: number;
  /** Start with an XML declaration (default true: a standalone .svg file). */
  readonly xmlDeclaration?: boolean;
}

export const STATE_COLORS: Readonly<Record<LaneState, string>> = {
  guest: '#2e7d32',
  'kvm-sleep': '#a5d6a7',
  'qemu-bql': '#1565c0',
  qemu: '#90caf9',
  stopped: '#616161',
  waiting: '#ffb300',
};

const COLOR = { pause: '#8e24aa', ebusy: '#d81b60', violation: '#ef6c00', failure: '#b71c1c', kick: '#37474f' } as const;
const FONT = 'font-family="DejaVu Sans, Arial, sans-serif"';

/** One drawn lane rectangle (px). */
export interface LaneRect {
  x0: number;
  x1: number;
  state: LaneState;
  title: string;
}

/** Renders the timeline; see SvgOptions. Pure: same timeline and options, same text. */
export function renderSvgTimeline(timeline: Timeline, options: SvgOptions = {}): string {
  const width = Math.max(400, options.width ?? 1200);
  const laneH = options.laneHeight ?? 16;
  const labelW = options.labelWidth ?? 170;
  const gap = 4;
  const plotX0 = labelW;
  const plotX1 = width - 16;
  const start = timeline.startNs;
  const end = Math.max(timeline.endNs, start + 1);
  const toX = (t: number): number => plotX0 + ((t - start) / (end - start)) * (plotX1 - plotX0);
  const out: string[] = [];

  let y = 20;
  out.push(`<text x="8" y="${y}" font-size="14" font-weight="bold">${esc(titleText(timeline, options.title))}</text>`);
  y += 16;
  out.push(
    `<text x="8" y="${y}" fill="#555">virtual time ${fmtUs(start)}–${fmtUs(end)} µs · ${timeline.lanes.length} threads · ${timeline.markers.filter((m) => m.kind === 'ebusy').length} EBUSY</text>`,
  );
  y += 10;
  y = legend(out, y, width);

  const axisY = y + 18;
  const lanesY = axisY + 8;
  const lanesBottom = lanesY + timeline.lanes.length * (laneH + gap);
  const laneY = new Map<number, number>();
  timeline.lanes.forEach((lane, i) => laneY.set(lane.thread, lanesY + i * (laneH + gap)));

  // Axis and grid first so everything else draws over them.
  const { step, ticks } = niceTicks(start / 1000, end / 1000, Math.max(2, Math.floor((plotX1 - plotX0) / 110)));
  out.push(`<g stroke="#ccc" stroke-width="1">`);
  for (const v of ticks) out.push(`<line x1="${px(toX(v * 1000))}" y1="${axisY}" x2="${px(toX(v * 1000))}" y2="${lanesBottom}"/>`);
  out.push(`</g><g font-size="10" text-anchor="middle" fill="#333">`);
  for (const v of ticks) out.push(`<text x="${px(toX(v * 1000))}" y="${axisY - 4}">${tickLabel(v, step)}</text>`);
  out.push(`</g><text x="${plotX0 - 8}" y="${axisY - 4}" font-size="10" text-anchor="end" fill="#333">time (µs)</text>`);

  // VM-wide pauses: a band over every lane.
  out.push(`<g fill="${COLOR.pause}" fill-opacity="0.10">`);
  for (const lane of timeline.lanes) {
    for (const s of lane.slices) {
      if (s.kind !== 'pause-all' || s.args['vmWide'] !== true) continue;
      out.push(`<rect x="${px(toX(s.startNs))}" y="${lanesY - 2}" width="${px(Math.max(1, toX(s.endNs) - toX(s.startNs)))}" height="${lanesBottom - lanesY + 2}"/>`);
    }
  }
  out.push(`</g>`);

  for (const lane of timeline.lanes) {
    const ly = laneY.get(lane.thread) ?? 0;
    out.push(`<g>`);
    out.push(`<text x="${plotX0 - 8}" y="${ly + laneH - 4}" text-anchor="end">${esc(clip(lane.name, Math.floor(labelW / 7)))}<title>${esc(lane.name)} (thread ${lane.thread})</title></text>`);
    out.push(`<rect x="${px(toX(lane.startNs))}" y="${ly}" width="${px(Math.max(0, toX(lane.endNs) - toX(lane.startNs)))}" height="${laneH}" fill="#f1f1f1"/>`);
    for (const r of laneRects(lane.intervals, toX, options.minWidthPx ?? 1)) {
      out.push(`<rect x="${px(r.x0)}" y="${ly}" width="${px(r.x1 - r.x0)}" height="${laneH}" fill="${STATE_COLORS[r.state]}"><title>${esc(r.title)}</title></rect>`);
    }
    for (const s of lane.slices) {
      if (s.kind !== 'pause-all') continue;
      const x0 = toX(s.startNs);
      const tip = `pause_all_vcpus ${exactUs(s.startNs)}–${exactUs(s.endNs)} µs${s.args['vmWide'] === true ? ' (VM-wide)' : ''}`;
      out.push(`<rect x="${px(x0)}" y="${ly + laneH - 3}" width="${px(Math.max(2, toX(s.endNs) - x0))}" height="4" fill="${COLOR.pause}"><title>${esc(tip)}</title></rect>`);
    }
    out.push(`</g>`);
  }

  for (const m of timeline.markers) {
    if (m.kind === 'kick' && options.showKicks === false) continue;
    const ly = laneY.get(m.thread);
    out.push(markerSvg(m, toX(m.t), ly, laneH, lanesY, lanesBottom));
  }

  const height = lanesBottom + 12;
  const decl = options.xmlDeclaration === false ? '' : '<?xml version="1.0" encoding="UTF-8"?>\n';
  return (
    `${decl}<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="11">\n` +
    `<rect width="${width}" height="${height}" fill="#fff"/>\n${out.join('\n')}\n</svg>\n`
  );
}

function titleText(timeline: Timeline, title: string | SvgTitle | undefined): string {
  if (typeof title === 'string') return title;
  const parts = [
    title?.scenario ?? 'vgicsim run',
    ...(title?.strategy === undefined ? [] : [`strategy ${title.strategy}`]),
    ...(title?.lockPolicy === undefined ? [] : [`lock policy ${title.lockPolicy}`]),
    ...(title?.seed === undefined ? [] : [`seed ${title.seed}`]),
    `outcome: ${title?.outcome ?? timeline.outcome ?? 'unknown'}`,
  ];
  return parts.join(' · ');
}

function legend(out: string[], y: number, width: number): number {
  const items: { label: string; swatch: string }[] = [
    ...LANE_STATES.map((s) => ({ label: LANE_STATE_LABELS[s], swatch: `<rect width="12" height="10" fill="${STATE_COLORS[s]}"/>` })),
    { label: 'pause_all_vcpus (band: VM-wide)', swatch: `<rect y="6" width="12" height="4" fill="${COLOR.pause}"/>` },
    { label: '-EBUSY', swatch: `<path d="M1 0 L11 0 L6 9 Z" fill="${COLOR.ebusy}"/>` },
    { label: 'violation', swatch: `<path d="M6 0 L11 5 L6 10 L1 5 Z" fill="${COLOR.violation}"/>` },
    { label: 'failure', swatch: `<rect x="5" width="2" height="10" fill="${COLOR.failure}"/>` },
    { label: 'kick (signal)', swatch: `<rect x="5" width="1.5" height="6" fill="${COLOR.kick}"/>` },
  ];
  out.push(`<g>`);
  let x = 8;
  let row = y + 6;
  for (const it of items) {
    const w = 20 + Math.ceil(it.label.length * 6.2) + 14;
    if (x + w > width - 8 && x > 8) {
      x = 8;
      row += 16;
    }
    out.push(`<g transform="translate(${x},${row})">${it.swatch}<text x="16" y="9">${esc(it.label)}</text></g>`);
    x += w;
  }
  out.push(`</g>`);
  return row + 14;
}

/**
 * Lane rectangles. Intervals at least `minPx` wide are drawn as they are; runs of narrower ones are
 * accumulated until they span `minPx` and drawn as one rectangle in the state that took most of that
 * time. Adjacent rectangles of one state are then coalesced, so a lane has at most about one rectangle
 * per pixel however long the run.
 */
export function laneRects(intervals: readonly StateInterval[], toX: (t: number) => number, minPx: number): LaneRect[] {
  const rects: LaneRect[] = [];
  let acc: { x0: number; x1: number; t0: number; t1: number; time: Map<LaneState, number>; n: number } | null = null;
  const push = (r: LaneRect): void => {
    const last = rects.at(-1);
    if (last !== undefined && last.state === r.state && Math.abs(last.x1 - r.x0) < 1e-6) {
      last.x1 = r.x1;
      last.title = `${r.state} (merged)`;
      return;
    }
    rects.push(r);
  };
  const flush = (): void => {
    if (acc === null) return;
    let best: LaneState = 'qemu';
    let bestNs = -1;
    for (const [s, ns] of acc.time) {
      if (ns > bestNs) {
        best = s;
        bestNs = ns;
      }
    }
    push({ x0: acc.x0, x1: acc.x1, state: best, title: `${acc.n} short intervals ${exactUs(acc.t0)}–${exactUs(acc.t1)} µs, mostly ${best}` });
    acc = null;
  };
  for (const iv of intervals) {
    const x0 = toX(iv.startNs);
    const x1 = toX(iv.endNs);
    if (x1 - x0 >= minPx) {
      flush();
      const what = iv.detail === undefined ? iv.state : `${iv.state} on ${iv.detail}`;
      push({ x0, x1, state: iv.state, title: `${what} ${exactUs(iv.startNs)}–${exactUs(iv.endNs)} µs` });
      continue;
    }
    acc ??= { x0, x1, t0: iv.startNs, t1: iv.endNs, time: new Map(), n: 0 };
    acc.x1 = x1;
    acc.t1 = iv.endNs;
    acc.n++;
    acc.time.set(iv.state, (acc.time.get(iv.state) ?? 0) + (iv.endNs - iv.startNs));
    if (acc.x1 - acc.x0 >= minPx) flush();
  }
  flush();
  return rects;
}

function markerSvg(m: Marker, x: number, ly: number | undefined, laneH: number, top: number, bottom: number): string {
  const tip = `<title>${esc(`${m.label} at ${exactUs(m.t)} µs`)}</title>`;
  const X = px(x);
  switch (m.kind) {
    case 'failure':
      return (
        `<g><line x1="${X}" y1="${top - 4}" x2="${X}" y2="${bottom}" stroke="${COLOR.failure}" stroke-width="2"/>` +
        (ly === undefined ? '' : `<path d="M${px(x - 4)} ${ly + 2} l8 ${laneH - 4} m0 ${-(laneH - 4)} l-8 ${laneH - 4}" stroke="${COLOR.failure}" stroke-width="2"/>`) +
        `${tip}</g>`
      );
    case 'ebusy':
      if (ly === undefined) return '';
      return `<path d="M${px(x - 4)} ${ly - 3} h8 l-4 8 Z" fill="${COLOR.ebusy}" stroke="#fff" stroke-width="0.5">${tip}</path>`;
    case 'violation':
      if (ly === undefined) return '';
      return `<path d="M${X} ${ly - 2} l5 5 l-5 5 l-5 -5 Z" fill="${COLOR.violation}" stroke="#fff" stroke-width="0.5">${tip}</path>`;
    case 'kick':
      if (ly === undefined) return '';
      return `<rect x="${px(x - 0.5)}" y="${ly}" width="1" height="${Math.round(laneH / 3)}" fill="${COLOR.kick}">${tip}</rect>`;
  }
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

