// Pairs each command spec with a lazy loader for its module, behind one type-erased interface so the
// dispatcher can treat every command alike while each module keeps its typed arguments.
import type { CliIo } from './io.js';
import type { CommandSpec, FlagTable, ParsedArgs } from './flags.js';
import { parseArgs } from './flags.js';
import { ATTR, COMPARE, DECODE, ENCODE, EXPLORE, HISTORY, MERGE, REGISTERS_CMD, REPLAY, RUN, SCENARIOS_CMD, START, STRATEGIES_CMD } from './command-specs.js';
import { renderCommandHelp } from './help.js';

/** What a command module exports. */
export interface CommandModule<F extends FlagTable> {
  run(args: ParsedArgs<F>, io: CliIo): number | Promise<number>;
}

export interface Command {
  readonly spec: CommandSpec;
  /** Parses argv (after the command name), handles --help, loads the module and runs it. */
  execute(argv: readonly string[], io: CliIo): Promise<number>;
}

function command<F extends FlagTable>(spec: CommandSpec<F>, load: () => Promise<CommandModule<F>>): Command {
  return {
    spec,
    async execute(argv, io) {
      const parsed = parseArgs(spec, argv);
      if (parsed.help) {
        io.stdout(renderCommandHelp(spec));
        return 0;
      }
      const mod = await load();
      return mod.run(parsed, io);
    },
  };
}

export const COMMANDS: readonly Command[] = [
  command(DECODE, () => import('./commands/decode.js')),
  command(ENCODE, () => import('./commands/encode.js')),
  command(ATTR, () => import('./commands/attr.js')),
  command(REGISTERS_CMD, () => import('./commands/registers.js')),
  command(START, () => import('./commands/start.js')),
  command(RUN, () => import('./commands/run.js')),
  command(COMPARE, () => import('./commands/compare.js')),
  command(EXPLORE, () => import('./commands/explore.js')),
  command(REPLAY, () => import('./commands/replay.js')),
  command(SCENARIOS_CMD, () => import('./commands/scenarios.js')),
  command(STRATEGIES_CMD, () => import('./commands/strategies.js')),
  command(MERGE, () => import('./commands/merge.js')),
  command(HISTORY, () => import('./commands/history.js')),
];
