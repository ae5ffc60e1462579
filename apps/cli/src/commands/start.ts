// vgicsim start: the default comparison (what `npm start` runs).
import type { StartArgs } from '../command-specs.js';
import type { CliIo } from '../io.js';
import { parseList } from '../sim-args.js';
import { FAIL_CLASSES, run as compare } from './compare.js';

export async function run(args: StartArgs, io: CliIo): Promise<number> {
  const failOn = args.flags['fail-on'];
  // Bad input must be the only output: check it before the banner.
  if (failOn !== undefined) parseList('fail-on', failOn, FAIL_CLASSES);
  io.stdout('vgicsim: every scenario × every ICC_CTLR_EL1 reset design (lock policy all-vcpus, host cortex-a76, 3 seeds)\n');
  return await compare({ positionals: [], flags: { strategies: undefined, 'lock-policies': undefined, seeds: 3, host: 'cortex-a76', param: [], json: false, html: undefined, 'fail-on': failOn } }, io);
}
