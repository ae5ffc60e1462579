// vgicsim scenarios: the suites with one-line descriptions (and parameters with --json).
import { COMMON_PARAMS, SUITES } from '@vgicsim/scenarios';
import type { ScenariosArgs } from '../command-specs.js';
import { formatTable } from '../format.js';
import type { CliIo } from '../io.js';
import { printJson } from './shared.js';

export function run(args: ScenariosArgs, io: CliIo): number {
  if (args.flags.json) {
    printJson(io, {
      scenarios: SUITES.map((s) => ({ name: s.name, summary: s.summary, description: s.description, params: s.params })),
      commonParams: COMMON_PARAMS,
    });
    return 0;
  }
  const rows = SUITES.map((s) => [s.name, Object.entries(s.params).map(([k, p]) => `${k}=${String(p.default)}`).join(' '), s.summary]);
  io.stdout(formatTable(['scenario', 'parameters (defaults)', 'what it does'], rows));
  return 0;
}
