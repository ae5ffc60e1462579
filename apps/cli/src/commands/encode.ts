// vgicsim encode <REGISTER> FIELD=VALUE… [--json]
import { RegsInputError, decode, encode, findField, findRegister, formatHex, parseRegisterValue, render } from '@vgicsim/gicv3-regs';
import type { EncodeArgs } from '../command-specs.js';
import { UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { positional, printJson } from './shared.js';

export function run(args: EncodeArgs, io: CliIo): number {
  const reg = findRegister(positional(args.positionals, 0));
  const values: Record<string, bigint> = {};
  const seen = new Map<string, string>();
  for (const assignment of args.positionals.slice(1)) {
    const eq = assignment.indexOf('=');
    if (eq <= 0) {
      throw new UsageError({ problem: 'expected a FIELD=VALUE assignment', accepted: 'accepted: FIELD=VALUE, e.g. PRIbits=4 or EOImode=0x1', received: assignment });
    }
    const field = findField(reg, assignment.slice(0, eq));
    const earlier = seen.get(field.name);
    if (earlier !== undefined) {
      throw new UsageError({ problem: `${field.name} given twice (first as '${earlier}')`, accepted: 'accepted: each field at most once', received: assignment });
    }
    seen.set(field.name, assignment);
    const text = assignment.slice(eq + 1);
    try {
      values[field.name] = parseRegisterValue(text);
      encode(reg, { [field.name]: values[field.name] ?? 0n });
    } catch (e) {
      // Re-issue with the user's own text and the field named, instead of the parsed bigint.
      if (e instanceof RegsInputError) {
        throw new RegsInputError({ kind: e.kind, problem: e.kind === 'value' ? `bad value for ${field.name}: ${e.problem}` : e.problem, accepted: e.accepted, received: text });
      }
      throw e;
    }
  }
  const value = encode(reg, values);
  if (args.flags.json) printJson(io, { register: reg.name, value: formatHex(value), fields: decode(reg, value) });
  else io.stdout(render(reg, value));
  return 0;
}
