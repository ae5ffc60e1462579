// A scenario as an exploration Runner: the explorer supplies the choice source, the scenario its seed and
// parameters (fixed for the whole exploration, so a replay file needs only them plus the choices).
import { ReplayChoice } from '@vgicsim/kvm-sim';
import type { ReplayFile, Runner } from '../explore/index.js';
import { COMMON_PARAMS, resolveParams } from './params.js';
import { resolveHost, resolveLockPolicy, resolveStrategy } from './resolve.js';
import { runScenario } from './run.js';
import { findSuite } from '../suites/index.js';
import type { RunSpec, ScenarioResult } from './types.js';

export type ExplorableSpec = Omit<RunSpec, 'choice' | 'sink'>;

/**
 * Runs schedules with tracing off (hashing every event is a third of a run's cost) but the choices kept;
 * a run's trace hash — which explorers read only for the failures they record — is computed on first
 * access by replaying its choices with hashing on. Tracing observes and never steers, so the replay is the
 * same run.
 */
export function scenarioRunner(spec: ExplorableSpec): Runner {
  return (choice) => {
    const r = runScenario({ ...spec, choice, trace: 'off', recordChoices: true });
    let hash: string | null = null;
    return {
      outcome: r.outcome,
      failed: r.outcome !== 'ok',
      message: r.message,
      choices: r.choices,
      choiceKinds: r.choiceKinds,
      get traceHash(): string {
        hash ??= runScenario({ ...spec, choice: new ReplayChoice(r.choices), trace: 'hash' }).traceHash;
        return hash;
      },
    };
  };
}

/** The replay file for a failing schedule: the resolved spec plus the choices and what they produced. */
export function makeReplayFile(spec: ExplorableSpec, failure: { choices: readonly number[]; traceHash: string; outcome: string }): ReplayFile {
  const suite = findSuite(spec.scenario);
  const params = resolveParams({ ...COMMON_PARAMS, ...suite.params }, spec.params ?? {});
  return {
    version: 1,
    scenario: suite.name,
    params: { ...params },
    strategy: resolveStrategy(spec.strategy).name,
    lockPolicy: resolveLockPolicy(spec.lockPolicy),
    host: resolveHost(spec.host).name,
    seed: spec.seed ?? 1,
    choices: [...failure.choices],
    outcome: failure.outcome,
    traceHash: failure.traceHash,
  };
}

/** What a replay file asks to run. */
export function specFromReplayFile(file: ReplayFile): ExplorableSpec {
  return {
    scenario: file.scenario,
    params: file.params,
    strategy: file.strategy,
    lockPolicy: resolveLockPolicy(file.lockPolicy),
    host: file.host,
    seed: file.seed ?? 1,
  };
}

/** Re-runs a replay file's schedule; the result's traceHash equals the file's when the model is unchanged. */
export function replayScenario(file: ReplayFile, extra: Pick<RunSpec, 'trace' | 'sink' | 'recordChoices'> = {}): ScenarioResult {
  return runScenario({ ...specFromReplayFile(file), choice: new ReplayChoice(file.choices), ...extra });
}
