// The process streams' failure modes, turned into the contract's exit codes: a reader that went away
// (EPIPE: `vgicsim replay F | head -1`) ends the process quietly with 141, as a writer killed by SIGPIPE
// would; any other write error on stdout (ENOSPC: `> /dev/full`) is one stderr line and exit 2; an error
// that escaped every handler is one line and exit 70. Never a stack trace.
import { EXIT_INTERNAL, EXIT_SIGPIPE, EXIT_USAGE } from './errors.js';

function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function tryStderr(line: string): void {
  try {
    process.stderr.write(`${line}\n`);
  } catch {
    // stderr is gone too: the exit code is all that is left.
  }
}

/** `prefix` is "vgicsim" or "vgicsim <command>". */
export function installStdioGuards(prefix: string): void {
  process.stdout.on('error', (e: Error) => {
    const code = errnoCode(e);
    if (code === 'EPIPE') process.exit(EXIT_SIGPIPE);
    tryStderr(`${prefix}: cannot write to stdout (${code ?? oneLine(e.message)}); accepted: a stdout with room to write (got 'stdout')`);
    process.exit(EXIT_USAGE);
  });
  // With stderr broken there is nowhere to report; the exit code still says what happened.
  process.stderr.on('error', () => {
    process.exit(EXIT_USAGE);
  });
  const internal = (e: unknown): void => {
    const message = e instanceof Error ? e.message : String(e);
    tryStderr(oneLine(`${prefix}: internal error: ${message}; this is a bug in vgicsim, please report it (got '${process.argv.slice(2).join(' ')}')`));
    process.exit(EXIT_INTERNAL);
  };
  process.on('uncaughtException', internal);
  process.on('unhandledRejection', internal);
}
