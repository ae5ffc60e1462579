// Usage errors and the one-line error report every failure is turned into:
//   vgicsim <cmd>: <problem>; <what is accepted> (got '<text>')
import { RegsInputError } from '@vgicsim/gicv3-regs';
import { StrategyRuntimeError } from '@vgicsim/qemu-arm-model';
import { AtomicWriteError, ReplayFileError, ScenarioInputError, StrategyModuleError } from '@vgicsim/scenarios';
import { closest } from './suggest.js';

/** Exit codes (README "Exit codes"). 70 is EX_SOFTWARE from sysexits.h. */
export const EXIT_OK = 0;
export const EXIT_FAILURE_FOUND = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 70;

export interface UsageErrorInit {
  readonly problem: string;
  readonly accepted: string;
  readonly received: string;
  /** Names to suggest the closest of ("did you mean …?"). */
  readonly candidates?: readonly string[];
}

/** Bad command-line input detected by the CLI itself (unknown option, missing argument, …). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly problem: string;
  readonly accepted: string;
  readonly received: string;
  readonly candidates: readonly string[];

  constructor(init: UsageErrorInit) {
    super(`${init.problem}; ${init.accepted} (got '${init.received}')`);
    this.problem = init.problem;
    this.accepted = init.accepted;
    this.received = init.received;
    this.candidates = init.candidates ?? [];
  }
}

/** Keeps a report on one line whatever the user typed. */
function oneLine(text: string): string {
  return text.replace(/\r?\n|\r/g, '\\n');
}

/** The "did you mean" suffix for a problem, if a candidate is close enough. */
function withSuggestion(problem: string, received: string, candidates: readonly string[]): string {
  const best = closest(received, candidates);
  return best === undefined ? problem : `${problem} (did you mean ${best}?)`;
}

/** Formats the single stderr line and picks the exit code for any thrown value. */
export function reportError(command: string | undefined, error: unknown, argv: readonly string[]): { line: string; code: number } {
  const prefix = command === undefined ? 'vgicsim' : `vgicsim ${command}`;
  if (error instanceof UsageError || error instanceof RegsInputError) {
    // "Did you mean" only helps for misspelt names, not for a right name of the wrong kind.
    const suggest = !(error instanceof RegsInputError && error.kind === 'not-sysreg');
    const problem = suggest ? withSuggestion(error.problem, error.received, error.candidates) : error.problem;
    return { line: oneLine(`${prefix}: ${problem}; ${error.accepted} (got '${error.received}')`), code: EXIT_USAGE };
  }
  if (error instanceof ScenarioInputError) {
    const problem = withSuggestion(error.problem, error.received, error.accepted.split(', '));
    return { line: oneLine(`${prefix}: ${problem}; accepted: ${error.accepted} (got '${error.received}')`), code: EXIT_USAGE };
  }
  if (error instanceof ReplayFileError) {
    const where = error.field === '(file)' ? 'malformed replay file' : `malformed replay file: field ${error.field}`;
    return { line: oneLine(`${prefix}: ${where}; accepted: ${error.expected} (got '${error.received}')`), code: EXIT_USAGE };
  }
  if (error instanceof StrategyModuleError) {
    return { line: oneLine(`${prefix}: bad strategy module; accepted: an ES module whose default export is a strategy (README "Your own design") (got '${error.file}': ${error.problem})`), code: EXIT_USAGE };
  }
  if (error instanceof StrategyRuntimeError) {
    return { line: oneLine(`${prefix}: the strategy module failed during the run; accepted: hooks that are generator functions and do not throw (got '${error.origin}': ${error.problem})`), code: EXIT_USAGE };
  }
  if (error instanceof AtomicWriteError) {
    return { line: oneLine(`${prefix}: cannot write output file; accepted: a path in an existing, writable directory (got '${error.path}')`), code: EXIT_USAGE };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    line: oneLine(`${prefix}: internal error: ${message}; this is a bug in vgicsim, please report it (got '${argv.join(' ')}')`),
    code: EXIT_INTERNAL,
  };
}
