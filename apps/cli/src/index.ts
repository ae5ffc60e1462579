// Public face of vgicsim: the in-process entry point and the pieces later commands build on.
export { main } from './cli.js';
export type { CliIo, LineWriter } from './io.js';
export { processIo } from './io.js';
export { EXIT_FAILURE_FOUND, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, UsageError } from './errors.js';
export type { CommandSpec, FlagSpec, FlagTable, FlagType, FlagValues, ParsedArgs, PositionalSpec } from './flags.js';
export { parseArgs } from './flags.js';
export { closest, editDistance } from './suggest.js';
