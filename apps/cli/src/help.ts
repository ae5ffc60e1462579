// Help text, generated from the command table so it cannot drift from what the parser accepts.
import type { CommandSpec } from './flags.js';
import { usageLine } from './flags.js';

function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(0, ...rows.map(([a]) => a.length));
  return rows.map(([a, b]) => `  ${a.padEnd(width)}  ${b}`);
}

export const EXIT_CODES_HELP =
  'Exit codes: 0 nothing failed, 1 a failure, violation or wrong restored value was found, 2 usage, input or I/O error, 3 a replay no longer reproduces, 70 internal error, 130/143 interrupted (SIGINT/SIGTERM), 141 stdout closed.';

export function renderCommandHelp(spec: CommandSpec): string {
  const lines = [`Usage: ${usageLine(spec)}`, '', `${spec.summary}${/[.?!]$/.test(spec.summary) ? '' : '.'} ${spec.description}`];
  if (spec.positionals.length > 0) {
    lines.push('', 'Arguments:', ...table(spec.positionals.map((p) => [p.name, p.description])));
  }
  const flagRows = Object.entries(spec.flags).map(([name, f]): [string, string] => {
    const left = f.type === 'boolean' ? `--${name}` : `--${name} ${f.valueName ?? 'VALUE'}${f.type === 'string[]' ? ' (repeatable)' : ''}`;
    const def = f.default === undefined ? '' : ` (default: ${Array.isArray(f.default) ? f.default.join(', ') : String(f.default)})`;
    return [left, `${f.description}${def}`];
  });
  flagRows.push(['-h, --help', 'show this help']);
  lines.push('', 'Options:', ...table(flagRows));
  if (spec.examples.length > 0) lines.push('', 'Examples:', ...spec.examples.map((e) => `  ${e}`));
  lines.push('', EXIT_CODES_HELP);
  return lines.join('\n');
}

export function renderTopHelp(commands: readonly CommandSpec[], version: string): string {
  return [
    `vgicsim ${version}: GICv3 CPU-interface reset designs of QEMU/KVM in simulation — VM-wide pauses, hangs, aborts and restored values`,
    '',
    'Usage: vgicsim <command> [arguments] [options]',
    '',
    'Commands:',
    ...table(commands.map((c) => [c.name, c.summary])),
    '',
    'Options:',
    ...table([
      ['-h, --help', 'show help (also: vgicsim <command> --help)'],
      ['--version', 'print the version'],
    ]),
    '',
    EXIT_CODES_HELP,
  ].join('\n');
}
