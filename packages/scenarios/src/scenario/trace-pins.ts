// The fixed set of runs whose trace hashes `trace-pins.test.ts` pins (issue 17): performance work must
// not move a single event. Each row is a suite × strategy × seed at a small size, plus exploration runs
// (PCT, random and plain exhaustive choices) and replays of their failures. When a deliberate model
// change moves a hash: run the test, it prints the new tables on a mismatch.
import { ReplayChoice } from '@vgicsim/kvm-sim';
import { explore } from '../explore/explore.js';
import type { Runner } from '../explore/types.js';
import { runScenario } from './run.js';
import { scenarioRunner } from './runner.js';
import type { RunSpec } from './types.js';

const STRATEGIES = ['upstream-2025', 'rfc-v6', 'realize-once', 'pause-always'] as const;

/** Small sizes: every suite at a few hundred to a few tens of thousands of events. */
const SUITE_PARAMS: Readonly<Record<string, Readonly<Record<string, number | string | boolean>>>> = {
  boot: { vcpus: 6 },
  'hotplug-churn': { vcpus: 4, cycles: 12 },
  'parallel-cpu-on': { vcpus: 4 },
  'reboot-loop': { vcpus: 3, reboots: 2 },
  migration: { vcpus: 3, cycles: 4 },
  'device-set': { vcpus: 4, disabled: 2 },
  'stop-cont': { vcpus: 4, pairs: 2 },
  'foreign-holder': { vcpus: 4, holders: 2 },
};

export interface PinnedRun {
  readonly id: string;
  readonly spec: RunSpec;
}

export function pinnedRuns(): PinnedRun[] {
  const runs: PinnedRun[] = [];
  for (const [scenario, params] of Object.entries(SUITE_PARAMS)) {
    for (const strategy of STRATEGIES) {
      for (const seed of [1, 5]) runs.push({ id: `${scenario} ${strategy} seed=${seed}`, spec: { scenario, strategy, seed, params } });
    }
  }
  // Other lock policies, a strict window, a wide window and a second reset call per cpu_reset.
  runs.push({ id: 'boot rfc-v6 target-vcpu', spec: { scenario: 'boot', strategy: 'rfc-v6', lockPolicy: 'target-vcpu', seed: 2, params: { vcpus: 5 } } });
  runs.push({ id: 'boot upstream-2025 lockless-shadow', spec: { scenario: 'boot', strategy: 'upstream-2025', lockPolicy: 'lockless-shadow-idealised', seed: 2, params: { vcpus: 5 } } });
  runs.push({ id: 'parallel-cpu-on rfc-v6 window=0', spec: { scenario: 'parallel-cpu-on', strategy: 'rfc-v6', seed: 3, params: { vcpus: 4, windowNs: 0 } } });
  runs.push({ id: 'parallel-cpu-on rfc-v6 window=20000', spec: { scenario: 'parallel-cpu-on', strategy: 'rfc-v6', seed: 3, params: { vcpus: 5, windowNs: 20_000 } } });
  runs.push({ id: 'hotplug-churn pause-always resets=2', spec: { scenario: 'hotplug-churn', strategy: 'pause-always', seed: 4, params: { vcpus: 4, cycles: 6, resetCallsPerCpuReset: 2 } } });
  runs.push({ id: 'boot rfc-v6 N=24', spec: { scenario: 'boot', strategy: 'rfc-v6', seed: 1, params: { vcpus: 24 } } });
  return runs;
}

/** FNV-1a over the recorded choices and their kinds: pins the choice stream replay files hold. */
function choiceDigest(choices: readonly number[], kinds: readonly string[]): string {
  let h = 0x811c9dc5;
  const mix = (c: number): void => {
    h = Math.imul(h ^ c, 0x01000193);
  };
  for (let i = 0; i < choices.length; i++) {
    mix((choices[i] ?? 0) >>> 0);
    const k = kinds[i] ?? '';
    mix(k.length === 0 ? 0 : k.charCodeAt(0));
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** "<trace hash> steps=<n> choices=<n>/<digest> t=<virtual ns> <outcome>" of one run. */
export function pinRow(spec: RunSpec): string {
  const r = runScenario(spec);
  return `${r.traceHash} steps=${r.steps} choices=${r.choices.length}/${choiceDigest(r.choices, r.choiceKinds)} t=${r.virtualTimeNs} ${r.outcome}`;
}

/** Exploration pins: outcomes of a few short explorations and the trace hash of each failure's replay. */
export function explorationPins(): Record<string, string> {
  const out: Record<string, string> = {};
  const spec = { scenario: 'parallel-cpu-on', strategy: 'rfc-v6', seed: 1, params: { vcpus: 4 } };
  const inner = scenarioRunner(spec);
  // Every schedule's choices go into one digest: pins the order in which each explorer walks schedules.
  let seen: number[] = [];
  let kinds: string[] = [];
  const runner: Runner = (choice) => {
    const r = inner(choice);
    seen.push(...r.choices, -1);
    kinds.push(...r.choiceKinds, r.outcome);
    return r;
  };
  const cases = [
    { id: 'explore pct 60', mode: 'pct' as const, budget: 60 },
    { id: 'explore random 40', mode: 'random' as const, budget: 40 },
    { id: 'explore exhaustive unpruned 120', mode: 'exhaustive' as const, budget: 120 },
  ];
  for (const c of cases) {
    seen = [];
    kinds = [];
    const s = explore({ runner, mode: c.mode, budget: c.budget, seed: 11, shrinkRuns: 0, prune: false, exhaustiveBound: 12 });
    const outcomes = Object.entries(s.outcomes)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}:${v}`)
      .join(',');
    const fails = s.failures.map((f) => `${f.outcome}@${f.traceHash}/${f.choices.length}`).join(',');
    out[c.id] = `${outcomes} schedules=${choiceDigest(seen, kinds)} ${fails}`;
  }
  // A replay of a recorded choice list under full tracing: same hash as the hash-only run, and its events.
  const first = runScenario({ ...spec, seed: 9 });
  const full = runScenario({ ...spec, seed: 9, choice: new ReplayChoice(first.choices), trace: 'full' });
  out['replay full parallel-cpu-on seed=9'] = `${full.traceHash} same=${String(full.traceHash === first.traceHash)}`;
  return out;
}
