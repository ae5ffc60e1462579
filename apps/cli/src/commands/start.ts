// vgicsim start: the default comparison (what `npm start` runs).
import type { StartArgs } from '../command-specs.js';
import type { CliIo } from '../io.js';
import { run as compare } from './compare.js';

export async function run(_args: StartArgs, io: CliIo): Promise<number> {
  io.stdout('vgicsim: every scenario × every ICC_CTLR_EL1 reset design (lock policy all-vcpus, host cortex-a76, 3 seeds)\n');
  return await compare({ positionals: [], flags: { strategies: undefined, 'lock-policies': undefined, seeds: 3, host: 'cortex-a76', param: [], json: false, html: undefined } }, io);
}
