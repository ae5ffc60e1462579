// Issue 17's target rows are computed, not typed in: a ratio or a threshold evaluated the wrong way round
// would print a wrong verdict into the README.
import { describe, expect, it } from 'vitest';
import { type CliResult, evaluateTargets } from './cli-cases.js';

function cli(id: string, medianMs: number, extra: Partial<CliResult> = {}): CliResult {
  return { id, args: [], wallMs: [medianMs], medianMs, peakRssMb: 100, load: 0, exitCode: 0, traceHash: null, schedules: null, exhausted: null, ...extra };
}

describe('evaluateTargets', () => {
  it('holds the CLI to 1.15× the warmed bench median and prints the cold first run beside it', () => {
    const rows = evaluateTargets(
      [cli('cli run boot N=512 realize-once', 1150), cli('cli run boot N=512 rfc-v6', 6000)],
      new Map([['boot N=512 realize-once', 1000], ['boot N=512 rfc-v6', 5000]]),
      new Map([['boot N=512 realize-once', 2300]]),
    );
    const ro = rows.find((r) => r.target === 'run boot N=512 realize-once: CLI ≤ 1.15× bench path');
    expect(ro).toEqual({ target: 'run boot N=512 realize-once: CLI ≤ 1.15× bench path', measured: '1.15× (1.15 s / 1.00 s); 0.50× its cold first run (2.30 s)', met: true });
    const rfc = rows.find((r) => r.target === 'run boot N=512 rfc-v6: CLI ≤ 1.15× bench path');
    expect(rfc?.met).toBe(false);
    expect(rfc?.measured).toBe('1.20× (6.00 s / 5.00 s)');
    expect(rows.find((r) => r.target.startsWith('run boot N=512 rfc-v6 ≤ 5.3 s'))?.met).toBe(false);
    expect(rows.find((r) => r.target === 'run boot N=512 realize-once ≤ 0.6 s')?.met).toBe(false);
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
