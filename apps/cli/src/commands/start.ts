// vgicsim start: the default comparison (what `npm start` runs).
import type { StartArgs } from '../command-specs.js';
import type { CliIo } from '../io.js';
import { run as compare } from './compare.js';

export function run(args: StartArgs, io: CliIo): number {
  io.stdout('vgicsim: every scenario × every ICC_CTLR_EL1 reset design (lock policy all-vcpus, host cortex-a76, 3 seeds)\n');
  return compare({ positionals: [], flags: { strategies: undefined, 'lock-policies': undefined, seeds: 3, host: 'cortex-a76', param: [], json: false, html: undefined, 'fail-on': args.flags['fail-on'] } }, io);
}
