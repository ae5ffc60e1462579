// vgicsim merge FILE…: combine exploration shard reports.
import { readFileSync } from 'node:fs';
import { type ExploreReport, isComplete, mergeReports, parseExploreReport } from '@vgicsim/scenarios';
import type { MergeArgs } from '../command-specs.js';
import { EXIT_FAILURE_FOUND, EXIT_OK, UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { formatReport } from '../report-output.js';
import { printJson } from './shared.js';

export function run(args: MergeArgs, io: CliIo): number {
  const reports: ExploreReport[] = [];
  for (const path of args.positionals) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw new UsageError({ problem: 'cannot read the report', accepted: 'accepted: readable files written by `vgicsim explore --json`', received: path });
    }
    reports.push(parseExploreReport(text, path));
  }
  const merged = mergeReports(reports, args.positionals);
  if (!isComplete(merged)) {
    io.stderr(`vgicsim merge: warning: shards ${merged.shards.indices.join(',')} of ${merged.shards.count} present; the result covers only those seeds`);
  }
  if (args.flags.json) printJson(io, merged);
  else io.stdout(formatReport(merged));
  return merged.failures.length > 0 ? EXIT_FAILURE_FOUND : EXIT_OK;
}
