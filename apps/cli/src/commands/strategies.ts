// vgicsim strategies: the built-in ICC_CTLR_EL1 reset strategies.
import { BUILTIN_STRATEGIES } from '@vgicsim/qemu-arm-model';
import type { StrategiesArgs } from '../command-specs.js';
import type { CliIo } from '../io.js';
import { printJson } from './shared.js';

export function run(args: StrategiesArgs, io: CliIo): number {
  if (args.flags.json) {
    printJson(io, BUILTIN_STRATEGIES.map((s) => ({ name: s.name, description: s.description, source: s.source })));
    return 0;
  }
  io.stdout(BUILTIN_STRATEGIES.map((s) => `${s.name}\n  ${s.description}\n  source: ${s.source}`).join('\n\n'));
  return 0;
}
