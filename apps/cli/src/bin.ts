#!/usr/bin/env node
// The vgicsim executable: hand argv to main() and exit with its code (set, not forced, so output flushes).
import { main } from './cli.js';

process.exitCode = await main(process.argv.slice(2));
