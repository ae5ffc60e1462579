// vgicsim history: every modelled upstream fix reverted (its bug must be found) and applied (nothing found).
import { join } from 'node:path';
import { type HistoryRow, formatReplayFile, runHistory, writeFileAtomic } from '@vgicsim/scenarios';
import type { HistoryArgs } from '../command-specs.js';
import { EXIT_FAILURE_FOUND, EXIT_OK } from '../errors.js';
import type { CliIo } from '../io.js';
import { prepareOutputDir } from '../output-paths.js';
import { printJson } from './shared.js';

export function run(args: HistoryArgs, io: CliIo): number {
  // Checked (and created) before the explorations, as explore --out is: a bad path costs nothing.
  const flag = args.flags['replay-dir'];
  const dir = flag === undefined ? undefined : prepareOutputDir('replay-dir', flag);
  const rows = runHistory();
  const files = rows.map((r) => {
    if (dir === undefined || r.found === null) return null;
    const path = join(dir, `${r.fix}.replay.json`);
    writeFileAtomic(path, formatReplayFile(r.found.replay));
    return path;
  });
  if (args.flags.json) {
    printJson(io, {
      rows: rows.map((r, i) => ({
        fix: r.fix,
        commit: r.commit,
        subject: r.subject,
        bug: r.bug,
        reverted: r.found === null ? null : { outcome: r.found.outcome, message: r.found.message, schedulesToFailure: r.found.schedulesToFailure, scenarioSeed: r.found.scenarioSeed, scheduleSeed: r.found.scheduleSeed, traceHash: r.found.replay.traceHash },
        fixed: { schedules: r.fixedSchedules, failure: r.fixedFailure },
        agrees: r.agrees,
        replayFile: files[i] ?? null,
      })),
      agree: rows.every((r) => r.agrees),
    });
  } else io.stdout(formatHistory(rows));
  return rows.every((r) => r.agrees) ? EXIT_OK : EXIT_FAILURE_FOUND;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

export function formatHistory(rows: readonly HistoryRow[]): string {
  const head = ['commit', 'subject', 'reverted → found', 'fixed → clean', ''];
  const body = rows.map((r) => [
    r.fix,
    r.subject,
    r.found === null ? 'NOT FOUND' : `${r.found.outcome} after ${r.found.schedulesToFailure} schedule${r.found.schedulesToFailure === 1 ? '' : 's'}`,
    r.fixedFailure === null ? `${r.fixedSchedules} schedules clean` : `FAILED at ${r.fixedSchedules}: ${r.fixedFailure.outcome}`,
    r.agrees ? 'agrees' : 'DISAGREES',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => pad(c, widths[i] ?? 0)).join('  ').trimEnd();
  const out = [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line), ''];
  for (const r of rows) {
    out.push(`${r.fix}: ${r.found === null ? 'bug not found' : `${r.found.message} (scenario seed ${r.found.scenarioSeed}, schedule seed ${r.found.scheduleSeed})`}`);
    if (r.fixedFailure !== null) out.push(`${r.fix} with the fix: ${r.fixedFailure.outcome}: ${r.fixedFailure.message}`);
  }
  out.push('', rows.every((r) => r.agrees) ? 'every row agrees with QEMU history' : 'some rows DISAGREE with QEMU history');
  return out.join('\n');
}
