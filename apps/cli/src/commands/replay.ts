// vgicsim replay FILE: re-run a failing schedule and check it reproduces.
import { readFileSync } from 'node:fs';
import { loadReplayStrategy, parseReplayFile, replayScenario, toRunJson } from '@vgicsim/scenarios';
import type { ReplayArgs } from '../command-specs.js';
import { EXIT_NOT_REPRODUCED, UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { checkOutputFiles, stdoutAlias, writesStdout } from '../output-paths.js';
import { parseSvgWindow, withPictures } from '../pictures.js';
import { printRunText, runExitCode } from '../run-output.js';
import { positional, printJson } from './shared.js';

export async function run(args: ReplayArgs, io: CliIo): Promise<number> {
  const path = positional(args.positionals, 0);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError({ problem: 'cannot read the replay file', accepted: 'accepted: a readable replay file written by `vgicsim explore`', received: path });
  }
  const file = parseReplayFile(text);
  const f = args.flags;
  if (f.strategy !== undefined && file.strategyModule === undefined) {
    throw new UsageError({ problem: `--strategy relocates a strategy module, but ${path} uses the built-in ${file.strategy}`, accepted: 'accepted: --strategy only with a replay file of a module strategy', received: f.strategy });
  }
  const strategy = await loadReplayStrategy(file, f.strategy);
  const tracePath = stdoutAlias(f.trace);
  const svgPath = stdoutAlias(f.svg);
  const outputs = [
    { flag: 'trace', path: tracePath },
    { flag: 'svg', path: svgPath },
  ];
  checkOutputFiles(outputs, [{ label: 'the replay file', path }], f.json);
  const svgWindow = parseSvgWindow(f['svg-window']);
  const result = withPictures({ tracePath, svgPath, svgWindow }, io, (sink) =>
    replayScenario(file, sink === undefined ? { recordChoices: false } : { sink, trace: 'full', recordChoices: false }, strategy),
  );
  const sameOutcome = result.outcome === file.outcome;
  const sameTrace = result.traceHash === file.traceHash;
  const out = writesStdout(outputs) ? { ...io, stdout: io.stderr } : io;
  if (f.json) printJson(io, toRunJson(result));
  else {
    printRunText(out, result);
    out.stdout(
      sameOutcome && sameTrace
        ? `reproduced: outcome ${result.outcome} and trace hash ${result.traceHash} match ${path}`
        : `NOT reproduced: file says ${file.outcome} / ${file.traceHash}, this run gives ${result.outcome} / ${result.traceHash}`,
    );
  }
  if (!sameOutcome || !sameTrace) {
    io.stderr(`vgicsim replay: the run does not match the file (outcome ${result.outcome} vs ${file.outcome}, trace ${result.traceHash} vs ${file.traceHash}); the model or the file changed`);
    return EXIT_NOT_REPRODUCED;
  }
  // Reproduced: 1 when what it reproduces is a failure (as a file from `explore` is), 0 for an ok run.
  return runExitCode(result);
}
