// The suite matrix: scenarios × strategies × lock policies, K seeds each, summarised per row. Its default
// configuration is what `npm start` prints.
import type { LockPolicy, TraceMode } from '@vgicsim/kvm-sim';
import { BUILTIN_STRATEGIES, type IccResetStrategy } from '@vgicsim/qemu-arm-model';
import type { ParamValue } from './scenario/params.js';
import { runScenario } from './scenario/run.js';
import { stat } from './scenario/metrics.js';
import { SCENARIO_OUTCOMES, type ScenarioOutcome, type ScenarioResult, type Stat } from './scenario/types.js';
import { SUITES } from './suites/index.js';

export interface MatrixOptions {
  readonly scenarios?: readonly string[];
  /** Built-in names or strategy objects (a loaded module); rows carry the strategy's name. */
  readonly strategies?: readonly (string | IccResetStrategy)[];
  readonly lockPolicies?: readonly LockPolicy[];
  /** Seeds 1..seeds (or firstSeed..firstSeed+seeds-1). */
  readonly seeds?: number;
  readonly firstSeed?: number;
  readonly host?: string;
  /** Parameters per scenario name. */
  readonly params?: Readonly<Record<string, Readonly<Record<string, ParamValue>>>>;
  /** Trace mode of each run (default 'off': rows use neither trace hashes nor choices). */
  readonly trace?: TraceMode;
  /** Called after every run (progress). */
  readonly onRun?: (result: ScenarioResult, done: number, total: number) => void;
}

export interface MatrixRow {
  readonly scenario: string;
  readonly strategy: string;
  readonly lockPolicy: LockPolicy;
  readonly runs: number;
  readonly outcomes: Readonly<Record<ScenarioOutcome, number>>;
  /** Over the runs: VM-wide pauses per run. */
  readonly vmWidePauses: Stat;
  /** Over the runs' median CPU_ON latencies (ns). */
  readonly cpuOnLatencyNs: Stat;
  /** Over the runs: total vCPU time stopped while runnable (ns). */
  readonly vcpuStoppedNs: Stat;
  readonly ebusy: Stat;
  readonly violations: number;
  readonly roMismatches: number;
  readonly carriedGuestConfig: number;
}

export interface Matrix {
  readonly rows: readonly MatrixRow[];
  readonly seeds: readonly number[];
}

export const DEFAULT_MATRIX: Required<Pick<MatrixOptions, 'scenarios' | 'strategies' | 'lockPolicies' | 'seeds'>> = {
  scenarios: SUITES.map((s) => s.name),
  strategies: BUILTIN_STRATEGIES.map((s) => s.name),
  lockPolicies: ['all-vcpus'],
  seeds: 3,
};

export function runMatrix(options: MatrixOptions = {}): Matrix {
  const scenarios = options.scenarios ?? DEFAULT_MATRIX.scenarios;
  const strategies = options.strategies ?? DEFAULT_MATRIX.strategies;
  const policies = options.lockPolicies ?? DEFAULT_MATRIX.lockPolicies;
  const first = options.firstSeed ?? 1;
  const seeds = Array.from({ length: options.seeds ?? DEFAULT_MATRIX.seeds }, (_, i) => first + i);
  const total = scenarios.length * strategies.length * policies.length * seeds.length;
  const rows: MatrixRow[] = [];
  let done = 0;
  for (const scenario of scenarios) {
    for (const strategy of strategies) {
      for (const lockPolicy of policies) {
        const results: ScenarioResult[] = [];
        for (const seed of seeds) {
          // Summaries read neither the trace hash nor the choices: run untraced (about a third faster).
          const r = runScenario({
            trace: options.trace ?? 'off',
            scenario,
            strategy,
            lockPolicy,
            seed,
            ...(options.host === undefined ? {} : { host: options.host }),
            ...(options.params?.[scenario] === undefined ? {} : { params: options.params[scenario] }),
          });
          results.push(r);
          options.onRun?.(r, ++done, total);
        }
        rows.push(summarizeRow(scenario, typeof strategy === 'string' ? strategy : strategy.name, lockPolicy, results));
      }
    }
  }
  return { rows, seeds };
}

export function summarizeRow(scenario: string, strategy: string, lockPolicy: LockPolicy, results: readonly ScenarioResult[]): MatrixRow {
  const outcomes = Object.fromEntries(SCENARIO_OUTCOMES.map((o) => [o, 0])) as Record<ScenarioOutcome, number>;
  for (const r of results) outcomes[r.outcome]++;
  return {
    scenario,
    strategy,
    lockPolicy,
    runs: results.length,
    outcomes,
    vmWidePauses: stat(results.map((r) => r.metrics.vmWidePauses)),
    cpuOnLatencyNs: stat(results.map((r) => r.metrics.cpuOnLatencyNs.median)),
    vcpuStoppedNs: stat(results.map((r) => r.metrics.vcpuStoppedNs.total)),
    ebusy: stat(results.map((r) => r.metrics.ebusy)),
    violations: results.reduce((s, r) => s + r.violations.length, 0),
    roMismatches: results.reduce((s, r) => s + r.oracle.roMismatches, 0),
    carriedGuestConfig: results.reduce((s, r) => s + r.oracle.carriedGuestConfig, 0),
  };
}
