// Entry point logic: global options, command lookup with suggestions, dispatch, and turning every
// failure into one stderr line plus an exit code.
import { COMMANDS } from './command-table.js';
import { EXIT_OK, UsageError, reportError } from './errors.js';
import { renderTopHelp } from './help.js';
import type { CliIo } from './io.js';
import { processIo } from './io.js';
import { cliVersion } from './version.js';

const TOP_ACCEPTED = (): string =>
  `accepted: a command (${COMMANDS.map((c) => c.spec.name).join(', ')}), --help or --version`;

/** Runs the CLI on argv (without node and the script path); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [first, ...rest] = argv;
  let commandName: string | undefined;
  try {
    if (first === undefined) throw new UsageError({ problem: 'missing command', accepted: TOP_ACCEPTED(), received: '' });
    if (first === '--help' || first === '-h' || first === 'help') {
      const target = first === 'help' ? rest[0] : undefined;
      const cmd = target === undefined ? undefined : COMMANDS.find((c) => c.spec.name === target);
      if (target !== undefined && cmd === undefined) {
        throw new UsageError({ problem: 'unknown command', accepted: TOP_ACCEPTED(), received: target, candidates: COMMANDS.map((c) => c.spec.name) });
      }
      if (cmd !== undefined) return await cmd.execute(['--help'], io);
      io.stdout(renderTopHelp(COMMANDS.map((c) => c.spec), cliVersion()));
      return EXIT_OK;
    }
    if (first === '--version') {
      io.stdout(cliVersion());
      return EXIT_OK;
    }
    const cmd = COMMANDS.find((c) => c.spec.name === first);
    if (cmd === undefined) {
      const isOption = first.startsWith('-');
      throw new UsageError({
        problem: isOption ? 'unknown option' : 'unknown command',
        accepted: TOP_ACCEPTED(),
        received: first,
        candidates: isOption ? ['--help', '--version'] : COMMANDS.map((c) => c.spec.name),
      });
    }
    commandName = cmd.spec.name;
    return await cmd.execute(rest, io);
  } catch (error) {
    const { line, code } = reportError(commandName, error, argv);
    if (line !== '') io.stderr(line);
    return code;
  }
}
