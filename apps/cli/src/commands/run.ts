// vgicsim run <scenario>: one run; outcome, metrics and oracle findings.
import { type ScenarioResult, runScenario, toRunJson } from '@vgicsim/scenarios';
import type { RunArgs } from '../command-specs.js';
import type { CliIo } from '../io.js';
import { checkOutputFiles, stdoutAlias, writesStdout } from '../output-paths.js';
import { parseSvgWindow, withPictures } from '../pictures.js';
import { printRunText, runExitCode } from '../run-output.js';
import { findSuiteOrUsage, qemuFlags, resolveStrategyArg, scenarioParams } from '../sim-args.js';
import { positional, printJson } from './shared.js';

export async function run(args: RunArgs, io: CliIo): Promise<number> {
  const scenario = positional(args.positionals, 0);
  findSuiteOrUsage(scenario);
  const f = args.flags;
  const spec = {
    scenario,
    strategy: await resolveStrategyArg('strategy', f.strategy),
    lockPolicy: f['lock-policy'] as 'all-vcpus',
    host: f.host,
    seed: f.seed,
    params: scenarioParams(scenario, f),
    ...qemuFlags(f),
  };
  const svgWindow = parseSvgWindow(f['svg-window']);
  const tracePath = stdoutAlias(f.trace);
  const svgPath = stdoutAlias(f.svg);
  const outputs = [
    { flag: 'trace', path: tracePath },
    { flag: 'svg', path: svgPath },
  ];
  checkOutputFiles(outputs, [], f.json);
  const result: ScenarioResult = withPictures({ tracePath, svgPath, svgWindow }, io, (sink) =>
    // The choice list is only needed for replay files, which `run` never writes: count, do not keep.
    runScenario({ ...spec, recordChoices: false, ...(sink === undefined ? {} : { sink, trace: 'full' as const }) }),
  );
  if (f.json) printJson(io, toRunJson(result));
  // With an output on stdout (`-`), the report goes to stderr.
  else printRunText(writesStdout(outputs) ? { ...io, stdout: io.stderr } : io, result);
  return runExitCode(result);
}
