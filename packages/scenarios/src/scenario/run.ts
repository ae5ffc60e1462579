// Runs one scenario: resolve its inputs, let the suite build the VM(s), run the simulation, classify.
import { SimModelError, Simulator } from '@vgicsim/kvm-sim';
import { StrategyRuntimeError, parseQemuRevert, qemuOptionsFromSettings } from '@vgicsim/qemu-arm-model';
import { findSuite } from '../suites/index.js';
import { classify } from './classify.js';
import { collectMetrics, summarizeOracle } from './metrics.js';
import { COMMON_PARAMS, intParam, resolveParams } from './params.js';
import { resolveHost, resolveLockPolicy, resolveStrategy } from './resolve.js';
import type { RunSpec, ScenarioResult } from './types.js';

/** A finished simulation and its classified outcome, before the result's summaries are built. */
export interface Simulated {
  readonly suite: ReturnType<typeof findSuite>;
  readonly params: ScenarioResult['params'];
  readonly strategy: ReturnType<typeof resolveStrategy>;
  readonly lockPolicy: ReturnType<typeof resolveLockPolicy>;
  readonly host: ReturnType<typeof resolveHost>;
  readonly seed: number;
  readonly qemuOptions: ScenarioResult['qemuOptions'];
  readonly qemuRevert: ScenarioResult['qemuRevert'];
  readonly built: ReturnType<ReturnType<typeof findSuite>['build']>;
  readonly result: ReturnType<Simulator['run']>;
  readonly violations: ScenarioResult['violations'];
  readonly outcome: ScenarioResult['outcome'];
  readonly message: string;
}

/**
 * Runs one scenario up to its classified outcome. An explorer's runner needs only that and the choices, so
 * it stops here; runScenario goes on to the metrics, the oracle summary and the guest's state.
 */
export function simulateScenario(spec: RunSpec): Simulated {
  const suite = findSuite(spec.scenario);
  const params = resolveParams({ ...COMMON_PARAMS, ...suite.params }, spec.params ?? {});
  const strategy = resolveStrategy(spec.strategy);
  const lockPolicy = resolveLockPolicy(spec.lockPolicy);
  const host = resolveHost(spec.host);
  const seed = spec.seed ?? 1;
  const sim = new Simulator({
    seed,
    ...(spec.choice === undefined ? {} : { choice: spec.choice }),
    windowNs: intParam(params, 'windowNs'),
    trace: spec.trace ?? 'hash',
    recordChoices: spec.recordChoices ?? spec.trace !== 'off',
    ...(spec.sink === undefined ? {} : { sink: spec.sink }),
    stepBudget: intParam(params, 'stepBudget'),
    timeLimitNs: intParam(params, 'timeLimitMs') * 1_000_000,
  });
  const qemuOptions = { ...(spec.qemuOptions ?? {}) };
  const qemuRevert = (spec.qemuRevert ?? []).map(parseQemuRevert);
  const qemu = qemuOptionsFromSettings(qemuOptions, qemuRevert);
  const built = suite.build({ params, strategy, lockPolicy, host, seed, sim, qemu });
  let result: ReturnType<typeof sim.run>;
  try {
    result = sim.run();
  } catch (e) {
    // A strategy module's hook threw: report the module, not a broken model.
    if (e instanceof SimModelError && e.cause instanceof StrategyRuntimeError) throw e.cause;
    throw e;
  }
  const violations = built.vms.flatMap((vm) => vm.q.hazards.violations);
  const pausers = built.vms.flatMap((vm) => [...vm.q.inPauseWait].map((t) => t.name));
  const { outcome, message } = classify(result.outcome, violations, built.mem, pausers);
  return { suite, params, strategy, lockPolicy, host, seed, qemuOptions, qemuRevert, built, result, violations, outcome, message };
}

export function runScenario(spec: RunSpec): ScenarioResult {
  const { suite, params, strategy, lockPolicy, host, seed, qemuOptions, qemuRevert, built, result, violations, outcome, message } = simulateScenario(spec);
  return {
    scenario: suite.name,
    params,
    strategy: strategy.name,
    lockPolicy,
    host: host.name,
    seed,
    qemuOptions,
    qemuRevert,
    outcome,
    message,
    metrics: collectMetrics(built.vms, built.mem),
    violations,
    oracle: summarizeOracle(built.vms),
    guest: {
      failures: [...built.mem.failures],
      bootsCompleted: built.mem.bootsCompleted,
      cyclesDone: built.mem.cyclesDone,
      online: [...built.mem.online],
    },
    virtualTimeNs: result.now,
    steps: result.steps,
    choices: result.choices,
    choiceKinds: result.choiceKinds,
    choiceCount: result.choiceCount,
    traceHash: result.traceHash,
  };
}
