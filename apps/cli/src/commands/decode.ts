// vgicsim decode <REGISTER> <VALUE> [--json]
import { decode, findRegister, formatHex, parseRegisterValue, render, validate } from '@vgicsim/gicv3-regs';
import type { DecodeArgs } from '../command-specs.js';
import type { CliIo } from '../io.js';
import { positional, printJson } from './shared.js';

export function run(args: DecodeArgs, io: CliIo): number {
  const reg = findRegister(positional(args.positionals, 0));
  const value = parseRegisterValue(positional(args.positionals, 1));
  const warnings = validate(reg, value).map((p) => p.message);
  if (args.flags.json) {
    printJson(io, { register: reg.name, value: formatHex(value), fields: decode(reg, value), warnings });
  } else {
    io.stdout(render(reg, value));
    if (warnings.length > 0) io.stdout(['', 'Warnings:', ...warnings.map((w) => `  ${w}`)].join('\n'));
  }
  // Warnings describe the value, not a failure of the command.
  return 0;
}
