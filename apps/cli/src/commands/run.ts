// vgicsim run <scenario>: one run; outcome, metrics and oracle findings.
import { type ScenarioResult, runScenario, toRunJson } from '@vgicsim/scenarios';
import type { RunArgs } from '../command-specs.js';
import type { CliIo } from '../io.js';
import { checkOutputPath, findSuiteOrUsage, scenarioParams } from '../sim-args.js';
import { printRunText, runExitCode } from '../run-output.js';
import { positional, printJson } from './shared.js';
import { parseSvgWindow, withPictures } from '../pictures.js';

export function run(args: RunArgs, io: CliIo): number {
  const scenario = positional(args.positionals, 0);
  findSuiteOrUsage(scenario);
  const f = args.flags;
  const tracePath = f.trace === undefined ? undefined : checkOutputPath('trace', f.trace);
  const svgPath = f.svg === undefined ? undefined : checkOutputPath('svg', f.svg);
  const spec = {
    scenario,
    strategy: f.strategy,
    lockPolicy: f['lock-policy'] as 'all-vcpus',
    host: f.host,
    seed: f.seed,
    params: scenarioParams(scenario, f),
  };
  const svgWindow = parseSvgWindow(f['svg-window']);
  const result: ScenarioResult = withPictures({ tracePath, svgPath, svgWindow }, (sink) =>
    // The choice list is only needed for replay files, which `run` never writes: count, do not keep.
    runScenario({ ...spec, recordChoices: false, ...(sink === undefined ? {} : { sink, trace: 'full' as const }) }),
  );
  if (f.json) printJson(io, toRunJson(result));
  else printRunText(io, result);
  return runExitCode(result);
}
