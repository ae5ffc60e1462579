// File output for --trace, --svg and --html. The trace streams into a temporary file beside the target
// and is renamed into place at the end, so a failed run never leaves half a file and long runs do not
// accumulate events in memory; the SVG timeline is built incrementally from the same event stream.
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { TraceEvent, TraceSink } from '@vgicsim/kvm-sim';
import {
  ChromeTraceStream,
  cropTimeline,
  type Matrix,
  type ScenarioResult,
  TimelineBuilder,
  renderMatrixHtml,
  renderSvgTimeline,
  writeFileAtomic,
} from '@vgicsim/scenarios';
import { UsageError } from './errors.js';
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

/** Runs `fn` with a sink feeding the requested pictures (none: no sink, no tracing cost). */
export function withPictures(paths: PicturePaths, fn: (sink: TraceSink | undefined) => ScenarioResult): ScenarioResult {
  if (paths.tracePath === undefined && paths.svgPath === undefined) return fn(undefined);
  const trace = paths.tracePath === undefined ? null : openTempStream(paths.tracePath);
  const timeline = paths.svgPath === undefined ? null : new TimelineBuilder();
  let stream: ChromeTraceStream | null = null;
  if (trace !== null) stream = new ChromeTraceStream((chunk) => writeSync(trace.fd, chunk));
  const sink: TraceSink = {
    write(event: TraceEvent): void {
      stream?.write(event);
      timeline?.push(event);
    },
  };
  let result: ScenarioResult;
  try {
    result = fn(sink);
    stream?.close();
  } catch (e) {
    if (trace !== null) trace.abandon();
    throw e;
  }
  trace?.commit();
  if (timeline !== null && paths.svgPath !== undefined) {
    const title = `${result.scenario} · ${result.strategy} · ${result.lockPolicy} · seed ${result.seed} · ${result.outcome}`;
    const whole = timeline.finish(result.virtualTimeNs);
    const w = paths.svgWindow;
    let drawn = whole;
    if (w !== undefined) {
      if (!(w.toNs > whole.startNs && w.fromNs < whole.endNs)) {
        throw new UsageError({ problem: '--svg-window lies outside the run', accepted: `accepted: a window within 0-${(whole.endNs / 1000).toFixed(1)} µs`, received: `${w.fromNs / 1000}-${w.toNs / 1000}` });
      }
      drawn = cropTimeline(whole, w.fromNs, w.toNs);
    }
    writeFileAtomic(paths.svgPath, renderSvgTimeline(drawn, { title }));
  }
  return result;
}

export function writeMatrixHtml(path: string, matrix: Matrix, meta: { host: string; seeds: number }): void {
  writeFileAtomic(
    path,
    renderMatrixHtml(matrix, {
      title: 'vgicsim: ICC_CTLR_EL1 reset designs compared',
      subtitle: `host ${meta.host}, ${meta.seeds} seed(s) per row`,
      generated: `vgicsim ${cliVersion()}`,
    }),
  );
}

interface TempStream {
  readonly fd: number;
  commit(): void;
  abandon(): void;
}

function openTempStream(target: string): TempStream {
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  const fd = openSync(temp, 'w');
  return {
    fd,
    commit(): void {
      closeSync(fd);
      renameSync(temp, target);
    },
    abandon(): void {
      closeSync(fd);
      rmSync(temp, { force: true });
    },
  };
}
