// A hand-made matrix for the HTML tests: fast, and with the awkward text a real one never has.
import type { Matrix, MatrixRow } from '../matrix.js';
import type { ScenarioOutcome } from '../scenario/types.js';

function row(scenario: string, strategy: string, outcomes: Partial<Record<ScenarioOutcome, number>>, pauses: number, cpuOnNs: number): MatrixRow {
  const all: Record<ScenarioOutcome, number> = { ok: 0, abort: 0, hang: 0, deadlock: 0, 'stranded-pauser': 0, 'guest-timeout': 0, 'budget-exceeded': 0, ...outcomes };
  return {
    scenario,
    strategy,
    lockPolicy: 'all-vcpus',
    runs: Object.values(all).reduce((a, b) => a + b, 0),
    outcomes: all,
    vmWidePauses: { median: pauses, max: pauses + 1 },
    cpuOnLatencyNs: { median: cpuOnNs, max: cpuOnNs * 2 },
    vcpuStoppedNs: { median: 12_345, max: 23_456 },
    ebusy: { median: pauses, max: pauses },
    violations: outcomes.abort ?? 0,
    roMismatches: 0,
    carriedGuestConfig: 0,
  };
}

export const TEST_MATRIX: Matrix = {
  seeds: [1, 2, 3],
  rows: [
    row('boot', 'rfc-v6', { ok: 3 }, 7, 21_000),
    row('boot', 'upstream-2025', { abort: 3 }, 0, 0),
    row('<img src=x onerror=alert(1)> & "quotes"', 'rfc-v6', { ok: 2, 'stranded-pauser': 1 }, 4, 35_500),
    row('<img src=x onerror=alert(1)> & "quotes"', 'upstream-2025', { abort: 3 }, 0, 0),
  ],
};
