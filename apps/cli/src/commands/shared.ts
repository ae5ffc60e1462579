// Small helpers shared by command modules.
import type { CliIo } from '../io.js';

/** A positional the parser has already guaranteed (required arguments are checked before run()). */
export function positional(positionals: readonly string[], index: number): string {
  const value = positionals[index];
  if (value === undefined) throw new Error(`positional ${index} missing after argument parsing`);
  return value;
}

/** Prints a JSON document with two-space indentation. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout(JSON.stringify(value, null, 2));
}
