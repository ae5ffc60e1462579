// File output for --trace, --svg and --html, through the one output writer of @vgicsim/scenarios (atomic
// for regular files, in place for devices) or to stdout for `-`. The trace streams while the run goes, so a
// long run does not accumulate events in memory; the SVG timeline is built incrementally from the same
// event stream.
import type { TraceEvent, TraceSink } from '@vgicsim/kvm-sim';
import {
  ChromeTraceStream,
  cropTimeline,
  type Matrix,
  type OpenOutputOptions,
  type OutputFile,
  type ScenarioResult,
  TimelineBuilder,
  openOutputFile,
  renderMatrixHtml,
  renderSvgTimeline,
  writeOutput,
} from '@vgicsim/scenarios';
import { UsageError } from './errors.js';
import type { CliIo } from './io.js';
import { STDOUT_PATH } from './output-paths.js';
import { guardTempFile } from './signals.js';
import { cliVersion } from './version.js';

export interface PicturePaths {
  readonly tracePath: string | undefined;
  readonly svgPath: string | undefined;
  /** Virtual-time window of the SVG, in ns. */
  readonly svgWindow?: { readonly fromNs: number; readonly toNs: number } | undefined;
}

/** `--svg-window FROM-TO` in µs (decimals allowed). */
export function parseSvgWindow(text: string | undefined): { fromNs: number; toNs: number } | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(text);
  const from = m === null ? NaN : Number(m[1]);
  const to = m === null ? NaN : Number(m[2]);
  if (!(to > from)) throw new UsageError({ problem: '--svg-window needs FROM-TO in µs with FROM < TO', accepted: 'accepted: e.g. 280-340', received: text });
  return { fromNs: Math.round(from * 1000), toNs: Math.round(to * 1000) };
}

/**
 * Runs `fn` with a sink feeding the requested pictures (none: no sink, no tracing cost). A run is one
 * synchronous computation that a signal handler could not interrupt, so SIGINT/SIGTERM keep their default
 * action (the process ends at once); a guard process removes the streaming trace's temporary file then.
 */
export function withPictures(paths: PicturePaths, io: CliIo, fn: (sink: TraceSink | undefined) => ScenarioResult): ScenarioResult {
  if (paths.tracePath === undefined && paths.svgPath === undefined) return fn(undefined);
  // Streamed for the whole run: guarded against a default-action signal from before its file exists.
  const trace = paths.tracePath === undefined ? null : openOutput(paths.tracePath, io, { beforeCreate: guardTempFile });
  const timeline = paths.svgPath === undefined ? null : new TimelineBuilder();
  let stream: ChromeTraceStream | null = null;
  if (trace !== null) stream = new ChromeTraceStream((chunk) => { trace.write(chunk); });
  const sink: TraceSink = {
    write(event: TraceEvent): void {
      stream?.write(event);
      timeline?.push(event);
    },
  };
  let result: ScenarioResult;
  let svg: string | null = null;
  try {
    result = fn(sink);
    stream?.close();
    if (timeline !== null) svg = drawSvg(result, timeline, paths.svgWindow);
  } catch (e) {
    // A failed run or a window outside it leaves no file behind (a device keeps what it was sent).
    trace?.abandon();
    throw e;
  }
  trace?.commit();
  if (svg !== null && paths.svgPath !== undefined) writeWhole(paths.svgPath, io, svg);
  return result;
}

function drawSvg(result: ScenarioResult, timeline: TimelineBuilder, w: PicturePaths['svgWindow']): string {
  const title = `${result.scenario} · ${result.strategy} · ${result.lockPolicy} · seed ${result.seed} · ${result.outcome}`;
  const whole = timeline.finish(result.virtualTimeNs);
  let drawn = whole;
  if (w !== undefined) {
    if (!(w.toNs > whole.startNs && w.fromNs < whole.endNs)) {
      throw new UsageError({ problem: '--svg-window lies outside the run', accepted: `accepted: a window within 0-${(whole.endNs / 1000).toFixed(1)} µs`, received: `${w.fromNs / 1000}-${w.toNs / 1000}` });
    }
    drawn = cropTimeline(whole, w.fromNs, w.toNs);
  }
  return renderSvgTimeline(drawn, { title });
}

export function writeMatrixHtml(path: string, io: CliIo, matrix: Matrix, meta: { host: string; seeds: number }): void {
  writeWhole(
    path,
    io,
    renderMatrixHtml(matrix, {
      title: 'vgicsim: ICC_CTLR_EL1 reset designs compared',
      subtitle: `host ${meta.host}, ${meta.seeds} seed(s) per row`,
      generated: `vgicsim ${cliVersion()}`,
    }),
  );
}

/** An output file, or stdout for `-` (nothing to commit or remove there). */
export function openOutput(path: string, io: CliIo, options: OpenOutputOptions = {}): OutputFile {
  if (path !== STDOUT_PATH) return openOutputFile(path, options);
  return { tempPath: null, write: (chunk) => { io.stdoutRaw(chunk); }, commit: () => undefined, abandon: () => undefined };
}

function writeWhole(path: string, io: CliIo, text: string): void {
  writeOutput(openOutput(path, io), text);
}
