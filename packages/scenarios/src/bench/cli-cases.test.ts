// Issue 17's target rows are computed, not typed in: a ratio or a threshold evaluated the wrong way round
// would print a wrong verdict into the README.
import { describe, expect, it } from 'vitest';
import { CLI_CASES, type CliResult, cliGroups, evaluateTargets } from './cli-cases.js';

function cli(id: string, medianMs: number, extra: Partial<CliResult> = {}): CliResult {
  return { id, args: [], wallMs: [medianMs], medianMs, peakRssMb: 100, load: 0, exitCode: 0, traceHash: null, schedules: null, exhausted: null, ...extra };
}

describe('evaluateTargets', () => {
  it('holds the CLI to 1.15× the bench path run as a whole process, and to the warmed bench median', () => {
    const rows = evaluateTargets(
      [
        cli('cli run boot N=512 realize-once', 1150),
        cli('process bench path boot N=512 realize-once', 1100),
        cli('cli run boot N=512 rfc-v6', 6000),
        cli('process bench path boot N=512 rfc-v6', 5000),
      ],
      new Map([['boot N=512 realize-once', 1000], ['boot N=512 rfc-v6', 5000]]),
      new Map([['boot N=512 realize-once', 2300]]),
    );
    const row = (target: string) => rows.find((r) => r.target === target);
    expect(row('run boot N=512 realize-once: CLI ≤ 1.15× bench path, both whole processes')).toEqual({
      target: 'run boot N=512 realize-once: CLI ≤ 1.15× bench path, both whole processes',
      measured: '1.05× (1.15 s / 1.10 s)',
      met: true,
    });
    expect(row('run boot N=512 realize-once: CLI ≤ 1.15× bench path, warmed in-process median')).toEqual({
      target: 'run boot N=512 realize-once: CLI ≤ 1.15× bench path, warmed in-process median',
      measured: '1.15× (1.15 s / 1.00 s); 0.50× its cold first run (2.30 s)',
      met: true,
    });
    const rfc = row('run boot N=512 rfc-v6: CLI ≤ 1.15× bench path, both whole processes');
    expect(rfc?.met).toBe(false);
    expect(rfc?.measured).toBe('1.20× (6.00 s / 5.00 s)');
    expect(row('run boot N=512 rfc-v6: CLI ≤ 1.15× bench path, warmed in-process median')?.met).toBe(false);
    expect(rows.find((r) => r.target.startsWith('run boot N=512 rfc-v6 ≤ 5.3 s'))?.met).toBe(false);
    expect(rows.find((r) => r.target === 'run boot N=512 realize-once ≤ 0.6 s')?.met).toBe(false);
  });

  it('pairs each CLI run with its bench-path process, and measures every case once', () => {
    const groups = cliGroups(CLI_CASES);
    expect(groups.flat().map((c) => c.id).sort()).toEqual(CLI_CASES.map((c) => c.id).sort());
    const pair = groups.find((g) => g[0]?.id === 'cli run boot N=512 realize-once');
    expect(pair?.map((c) => c.id)).toEqual(['cli run boot N=512 realize-once', 'process bench path boot N=512 realize-once']);
    expect(pair?.[1]?.script).toBe('bench-path');
    expect(pair?.[1]?.args).toEqual(['boot', 'realize-once', '512']);
  });

  it('marks a case that did not run as n/a, never as met', () => {
    const rows = evaluateTargets([], new Map());
    expect(rows.every((r) => r.met === null && r.measured === 'not run')).toBe(true);
  });

  it('workers: 1.4× at budget 8000, never slower at 2000', () => {
    const rows = evaluateTargets(
      [
        cli('cli explore pct rfc-v6 budget=8000 workers=1', 14000),
        cli('cli explore pct rfc-v6 budget=8000 workers=2', 10000),
        cli('cli explore pct rfc-v6 budget=2000 workers=1', 5000),
        cli('cli explore pct rfc-v6 budget=2000 workers=2', 5001),
      ],
      new Map(),
    );
    expect(rows.find((r) => r.target === 'explore pct budget 8000: --workers 2 ≥ 1.4× one worker')?.met).toBe(true);
    expect(rows.find((r) => r.target === 'explore pct budget 2000: --workers 2 ≥ 1.0× one worker')?.met).toBe(false);
  });
});
