// Usage errors and the one-line error report every failure is turned into:
//   vgicsim <cmd>: <problem>; <what is accepted> (got '<text>')
import { InputError, RegsInputError } from '@vgicsim/gicv3-regs';
import { StrategyRuntimeError } from '@vgicsim/qemu-arm-model';
import { AtomicWriteError, ReplayFileError, StrategyModuleError } from '@vgicsim/scenarios';
import { closest } from './suggest.js';

/** Exit codes (README "Exit codes"). 70 is EX_SOFTWARE from sysexits.h; 128 + n is "ended by signal n". */
export const EXIT_OK = 0;
export const EXIT_FAILURE_FOUND = 1;
/** Usage, input or I/O error (including a full disk or an unwritable output). */
export const EXIT_USAGE = 2;
/** `replay`: the run no longer matches its file (the model or the file changed; the failure may be fixed). */
export const EXIT_NOT_REPRODUCED = 3;
export const EXIT_INTERNAL = 70;
export const EXIT_SIGINT = 130;
/** stdout was closed by its reader (EPIPE), as `yes | head -1` reports for a writer killed by SIGPIPE. */
export const EXIT_SIGPIPE = 141;
export const EXIT_SIGTERM = 143;

/** Every exit code the CLI can end with. */
export const EXIT_CODES = [EXIT_OK, EXIT_FAILURE_FOUND, EXIT_USAGE, EXIT_NOT_REPRODUCED, EXIT_INTERNAL, EXIT_SIGINT, EXIT_SIGPIPE, EXIT_SIGTERM] as const;

/** Bad command-line input detected by the CLI itself (unknown option, missing argument, …), in the one input-error shape. */
export class UsageError extends InputError {
  override readonly name = 'UsageError';
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

/** The one shape every input error is reported in: `<problem>; <accepted> (got '<received>')`. */
export interface InputErrorShape {
  readonly problem: string;
  /** A whole clause: "accepted: …", "usage: …". */
  readonly accepted: string;
  readonly received: string;
  /** Names to suggest the closest of; empty for no suggestion. */
  readonly candidates: readonly string[];
}

/** Maps each package's input error onto the one shape; undefined for anything else (a bug). */
export function inputErrorOf(error: unknown): InputErrorShape | undefined {
  if (error instanceof UsageError) return error;
  if (error instanceof RegsInputError) {
    // "Did you mean" only helps for misspelt names, not for a right name of the wrong kind.
    return { ...pick(error), candidates: error.kind === 'not-sysreg' ? [] : error.candidates };
  }
  // Every other layer's input error (scenario parameters, QEMU options) already has the one shape.
  if (error instanceof InputError) return error;
  // The packages below @vgicsim/gicv3-regs give `accepted` without its "accepted: " lead.
  if (error instanceof ReplayFileError || error instanceof AtomicWriteError) return { ...pick(error), accepted: `accepted: ${error.accepted}`, candidates: [] };
  if (error instanceof StrategyModuleError) {
    return { problem: `bad strategy module (${error.problem})`, accepted: 'accepted: an ES module whose default export is a strategy (README "Your own design")', received: error.file, candidates: [] };
  }
  if (error instanceof StrategyRuntimeError) {
    return { problem: `the strategy module failed during the run (${error.problem})`, accepted: 'accepted: hooks that are generator functions and do not throw', received: error.origin, candidates: [] };
  }
  return undefined;
}

function pick(e: { problem: string; accepted: string; received: string }): Omit<InputErrorShape, 'candidates'> {
  return { problem: e.problem, accepted: e.accepted, received: e.received };
}

/** Formats the single stderr line and picks the exit code for any thrown value. */
export function reportError(command: string | undefined, error: unknown, argv: readonly string[]): { line: string; code: number } {
  const prefix = command === undefined ? 'vgicsim' : `vgicsim ${command}`;
  // A reader that went away (an output written in place to a closed pipe) ends quietly, as on stdout.
  if (error instanceof AtomicWriteError && error.code === 'EPIPE') return { line: '', code: EXIT_SIGPIPE };
  const input = inputErrorOf(error);
  if (input !== undefined) {
    const problem = withSuggestion(input.problem, input.received, input.candidates);
    return { line: oneLine(`${prefix}: ${problem}; ${input.accepted} (got '${input.received}')`), code: EXIT_USAGE };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    line: oneLine(`${prefix}: internal error: ${message}; this is a bug in vgicsim, please report it (got '${argv.join(' ')}')`),
    code: EXIT_INTERNAL,
  };
}
