// A scenario as an exploration Runner: the explorer supplies the choice source, the scenario its seed and
// parameters (fixed for the whole exploration, so a replay file needs only them plus the choices).
import { ReplayChoice, TRACE_FORMAT_VERSION } from '@vgicsim/kvm-sim';
import { type IccResetStrategy, parseQemuRevert, qemuOptionsFromSettings } from '@vgicsim/qemu-arm-model';
import { StrategyModuleError, loadStrategyModule, moduleOf } from './strategy-module.js';
import type { ReplayFile, Runner } from '../explore/index.js';
import { COMMON_PARAMS, resolveParams } from './params.js';
import { resolveHost, resolveLockPolicy, resolveStrategy } from './resolve.js';
import { runScenario, simulateScenario } from './run.js';
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
    // The outcome and the choices are all a schedule run reports: no metrics or summaries are built.
    const { outcome, message, result } = simulateScenario({ ...spec, choice, trace: 'off', recordChoices: true });
    const choices = result.choices;
    let hash: string | null = null;
    return {
      outcome,
      failed: outcome !== 'ok',
      message,
      choices,
      choiceKinds: result.choiceKinds,
      get traceHash(): string {
        hash ??= replayTraceHash(spec, choices);
        return hash;
      },
    };
  };
}

/** The trace hash of a replay of `choices` (what a replay file records for them). */
export function replayTraceHash(spec: ExplorableSpec, choices: readonly number[]): string {
  return runScenario({ ...spec, choice: new ReplayChoice(choices), trace: 'hash' }).traceHash;
}

/** The replay file for a failing schedule: the resolved spec plus the choices and what they produced. */
export function makeReplayFile(
  spec: ExplorableSpec,
  failure: { choices: readonly number[]; traceHash: string; outcome: string; seed?: number | null },
): ReplayFile {
  const suite = findSuite(spec.scenario);
  const params = resolveParams({ ...COMMON_PARAMS, ...suite.params }, spec.params ?? {});
  const mod = moduleOf(spec.strategy);
  const qemuRevert = (spec.qemuRevert ?? []).map(parseQemuRevert);
  // Resolved now, so that a bad name fails before any schedule runs.
  qemuOptionsFromSettings(spec.qemuOptions ?? {}, qemuRevert);
  return {
    version: 3,
    scenario: suite.name,
    params: { ...params },
    strategy: resolveStrategy(spec.strategy).name,
    ...(mod === null ? {} : { strategyModule: { path: mod.path, sha256: mod.sha256 } }),
    lockPolicy: resolveLockPolicy(spec.lockPolicy),
    host: resolveHost(spec.host).name,
    scenarioSeed: spec.seed ?? 1,
    scheduleSeed: failure.seed ?? null,
    qemuOptions: { ...(spec.qemuOptions ?? {}) },
    qemuRevert,
    choices: [...failure.choices],
    outcome: failure.outcome,
    traceFormat: TRACE_FORMAT_VERSION,
    traceHash: failure.traceHash,
  };
}

/**
 * The strategy a replay file names: the built-in, or its module re-loaded (from `overridePath` if the file
 * moved) and refused if its content hash differs from the recorded one or it now has another name.
 */
export async function loadReplayStrategy(file: ReplayFile, overridePath?: string): Promise<string | IccResetStrategy> {
  const mod = file.strategyModule;
  if (mod === undefined) return file.strategy;
  const path = overridePath ?? mod.path;
  const loaded = await loadStrategyModule(path, mod.sha256);
  if (loaded.name !== file.strategy) {
    throw new StrategyModuleError(path, `its strategy is named '${loaded.name}' but the replay file recorded '${file.strategy}'`);
  }
  return loaded;
}

/** What a replay file asks to run (`strategy`: what loadReplayStrategy returned, for a module strategy). */
export function specFromReplayFile(file: ReplayFile, strategy: string | IccResetStrategy = file.strategy): ExplorableSpec {
  return {
    scenario: file.scenario,
    params: file.params,
    strategy,
    lockPolicy: resolveLockPolicy(file.lockPolicy),
    host: file.host,
    seed: file.scenarioSeed,
    qemuOptions: file.qemuOptions,
    qemuRevert: file.qemuRevert,
  };
}

/** Re-runs a replay file's schedule; the result's traceHash equals the file's when the model is unchanged. */
export function replayScenario(file: ReplayFile, extra: Pick<RunSpec, 'trace' | 'sink' | 'recordChoices'> = {}, strategy?: string | IccResetStrategy): ScenarioResult {
  return runScenario({ ...specFromReplayFile(file, strategy), choice: new ReplayChoice(file.choices), ...extra });
}
