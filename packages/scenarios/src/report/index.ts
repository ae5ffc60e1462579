// Public face of the report pictures: timeline model and builder, Chrome trace, SVG timeline, matrix HTML.
export { LANE_STATES, LANE_STATE_LABELS } from './model.js';
export type {
  Lane,
  LaneState,
  Marker,
  MarkerKind,
  Slice,
  SliceArgValue,
  SliceArgs,
  SliceKind,
  StateInterval,
  Timeline,
  TimelineListener,
} from './model.js';
export { CPU_ON_WORK, TimelineBuilder, buildTimeline } from './timeline.js';
export type { TimelineBuilderOptions } from './timeline.js';
export { CHROME_PID, ChromeTraceStream, chromeTraceFromEvents, tidOf } from './chrome-trace.js';
export type { ChromeTrace, ChromeTraceEvent, ChromeTraceOptions } from './chrome-trace.js';
export { STATE_COLORS, laneRects, renderSvgTimeline } from './svg.js';
export type { LaneRect, SvgOptions, SvgTitle } from './svg.js';
export { renderMatrixHtml } from './html.js';
export type { MatrixHtmlMeta } from './html.js';
