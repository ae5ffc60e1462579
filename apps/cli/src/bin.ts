#!/usr/bin/env node
// The vgicsim executable: hand argv to main() and exit with its code (set, not forced, so output flushes).
import { main } from './cli.js';
import { installStdioGuards } from './stdio.js';

const argv = process.argv.slice(2);
const command = argv[0];
installStdioGuards(command !== undefined && /^[a-z]+$/.test(command) ? `vgicsim ${command}` : 'vgicsim');
process.exitCode = await main(argv);
