// Child process of the benchmark: runs one case (given as JSON in argv) and prints its CaseResult as JSON.
// Wall time is read here, in a benchmark, never inside a simulation.
import { explore } from '../explore/index.js';
import { exploreParallel } from '../scenario/explore-parallel.js';
import { scenarioRunner } from '../scenario/runner.js';
import { runScenario } from '../scenario/run.js';
import { stat } from '../scenario/metrics.js';
import type { BenchCase, CaseResult } from './cases.js';

const RUNS = Number(process.env['VGICSIM_BENCH_RUNS'] ?? 5);

function median(xs: readonly number[]): number {
  return stat(xs).median;
}

async function measure(c: BenchCase): Promise<CaseResult> {
  if (c.kind === 'scenario' || c.kind === 'memory') {
    const spec =
      c.kind === 'scenario'
        ? { scenario: c.scenario, strategy: c.strategy, params: c.params }
        : { scenario: 'hotplug-churn', strategy: 'realize-once', params: { vcpus: 64, cycles: c.cycles } };
    const once = (): { ms: number; r: ReturnType<typeof runScenario> } => {
      const t0 = performance.now();
      const r = runScenario({ ...spec, seed: 1, trace: 'off' });
      return { ms: performance.now() - t0, r };
    };
    const warm = once();
    const runs = c.kind === 'memory' ? [warm] : Array.from({ length: RUNS }, once);
    const ms = median(runs.map((x) => x.ms));
    const r = warm.r;
    let liveHeapMb: number | null = null;
    const gc = (globalThis as { gc?: () => void }).gc;
    if (c.kind === 'memory' && gc !== undefined) {
      gc();
      gc();
      liveHeapMb = process.memoryUsage().heapUsed / 1e6;
    }
    return {
      id: c.id,
      wallMs: runs.map((x) => Math.round(x.ms)),
      medianMs: Math.round(ms),
      coldMs: c.kind === 'scenario' ? Math.round(warm.ms) : null,
      events: r.steps,
      eventsPerSec: Math.round((r.steps * 1000) / ms),
      virtualNs: r.virtualTimeNs,
      speedup: r.virtualTimeNs / (ms * 1e6),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      liveHeapMb,
      schedulesPerSec: null,
      outcome: r.outcome,
      note: `${r.metrics.vmWidePauses} VM-wide pauses${c.kind === 'scenario' ? `; first run ${Math.round(warm.ms)} ms` : ''}`,
    };
  }
  if (c.kind === 'por') {
    // Deterministic: one run is the measurement (the schedule count), its wall time only a figure beside it.
    const runner = scenarioRunner({ scenario: 'parallel-cpu-on', strategy: 'realize-once', params: { vcpus: c.vcpus }, seed: 1 });
    const t0 = performance.now();
    const s = explore({ runner, mode: 'exhaustive', budget: 1_000_000, reduction: 'sleep-sets+state-hash', independence: c.independence, shrinkRuns: 0 });
    const ms = performance.now() - t0;
    const cut = s.pruned === null ? '' : `, ${s.pruned.sleepSkipped} alternatives asleep, ${s.pruned.sleepBlocked} runs blocked`;
    return explorationResult(c.id, [ms], s.schedules, JSON.stringify(s.outcomes), `${s.schedules} schedules, ${s.exhausted ? 'exhausted' : 'NOT exhausted'}${cut}`);
  }
  const req = { spec: { scenario: 'parallel-cpu-on', strategy: 'rfc-v6', params: { vcpus: 4 }, seed: 1 }, mode: c.mode, budget: c.budget, seed: 1 };
  const runs: { ms: number; schedules: number; outcomes: string }[] = [];
  for (let i = 0; i <= Math.min(RUNS, 3); i++) {
    const t0 = performance.now();
    const rep = await exploreParallel(req, { workers: c.workers });
    const took = performance.now() - t0;
    if (i > 0) runs.push({ ms: took, schedules: rep.schedules, outcomes: JSON.stringify(rep.outcomes) });
  }
  const first = runs[0];
  return explorationResult(c.id, runs.map((x) => x.ms), first?.schedules ?? 0, first?.outcomes ?? '', `${c.budget} schedules, ${c.workers} worker(s)`);
}

/** The row of an exploration case: schedules per second over the median wall time, no simulation figures. */
function explorationResult(id: string, walls: readonly number[], schedules: number, outcome: string, note: string): CaseResult {
  const ms = median(walls);
  return {
    id,
    wallMs: walls.map((x) => Math.round(x)),
    medianMs: Math.round(ms),
    coldMs: null,
    events: 0,
    eventsPerSec: 0,
    virtualNs: 0,
    speedup: 0,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    liveHeapMb: null,
    schedulesPerSec: Math.round((schedules * 1000) / ms),
    outcome,
    note,
  };
}

const arg = process.argv[2];
if (arg === undefined) throw new Error('usage: case.js <case JSON>');
const result = await measure(JSON.parse(arg) as BenchCase);
process.stdout.write(`${JSON.stringify(result)}\n`);
