// vgicsim replay FILE: re-run a failing schedule and check it reproduces.
import { readFileSync } from 'node:fs';
import { parseReplayFile, replayScenario, toRunJson } from '@vgicsim/scenarios';
import type { ReplayArgs } from '../command-specs.js';
import { EXIT_FAILURE_FOUND, UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { parseSvgWindow, withPictures } from '../pictures.js';
import { printRunText, runExitCode } from '../run-output.js';
import { checkOutputPath } from '../sim-args.js';
import { positional, printJson } from './shared.js';

export function run(args: ReplayArgs, io: CliIo): number {
  const path = positional(args.positionals, 0);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError({ problem: 'cannot read the replay file', accepted: 'accepted: a readable replay file written by `vgicsim explore`', received: path });
  }
  const file = parseReplayFile(text);
  const f = args.flags;
  const tracePath = f.trace === undefined ? undefined : checkOutputPath('trace', f.trace);
  const svgPath = f.svg === undefined ? undefined : checkOutputPath('svg', f.svg);
  const svgWindow = parseSvgWindow(f['svg-window']);
  const result = withPictures({ tracePath, svgPath, svgWindow }, (sink) =>
    replayScenario(file, sink === undefined ? { recordChoices: false } : { sink, trace: 'full', recordChoices: false }),
  );
  const sameOutcome = result.outcome === file.outcome;
  const sameTrace = result.traceHash === file.traceHash;
  if (f.json) printJson(io, toRunJson(result));
  else {
    printRunText(io, result);
    io.stdout(
      sameOutcome && sameTrace
        ? `reproduced: outcome ${result.outcome} and trace hash ${result.traceHash} match ${path}`
        : `NOT reproduced: file says ${file.outcome} / ${file.traceHash}, this run gives ${result.outcome} / ${result.traceHash}`,
    );
  }
  if (!sameOutcome || !sameTrace) {
    io.stderr(`vgicsim replay: the run does not match the file (outcome ${result.outcome} vs ${file.outcome}, trace ${result.traceHash} vs ${file.traceHash}); the model or the file changed`);
    return EXIT_FAILURE_FOUND;
  }
  return runExitCode(result);
}
