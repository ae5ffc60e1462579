// Issue 8: N shards merged equal the unsharded exploration; worker threads give the same outcomes per seed.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { InputError } from '@vgicsim/gicv3-regs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScenarioInputError } from './params.js';
import { parseShard, shardSeeds } from './shard.js';
import { autoWorkers, exploreParallel } from './explore-parallel.js';
import { type ExploreReport, exploreScenario } from './explore-report.js';
import { isComplete, mergeReports } from './merge-reports.js';

const spec = { scenario: 'parallel-cpu-on', strategy: 'rfc-v6', params: { vcpus: 4 }, seed: 1 } as const;

/** What must not depend on how the exploration was split. */
function essence(r: ExploreReport): unknown {
  return { schedules: r.schedules, outcomes: r.outcomes, failingRuns: r.failingRuns, firstFailingSeed: r.firstFailingSeed, failures: r.failures, pctSteps: r.pctSteps };
}

describe('parseShard / shardSeeds', () => {
  it('parses K/N and auto (JOB_COMPLETION_INDEX is 0-based) and rejects the rest', () => {
    expect(parseShard('2/8')).toEqual({ index: 2, count: 8 });
    expect(parseShard('auto', { JOB_COMPLETION_INDEX: '0', VGICSIM_SHARDS: '4' })).toEqual({ index: 1, count: 4 });
    expect(() => parseShard('0/8')).toThrow(ScenarioInputError);
    expect(() => parseShard('9/8')).toThrow(/shard out of range; accepted: K\/N with 1 ≤ K ≤ N/);
    expect(() => parseShard('half')).toThrow(/--shard must be K\/N or auto.*\(got 'half'\)/);
    expect(() => parseShard('auto', {})).toThrow(/JOB_COMPLETION_INDEX/);
    expect(() => parseShard('auto', { JOB_COMPLETION_INDEX: '1' })).toThrow(/VGICSIM_SHARDS/);
  });

  it('the N shards of a seed range are disjoint, contiguous and cover it exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 40 }), (start, budget, n) => {
        let next = start;
        for (let k = 1; k <= n; k++) {
          const s = shardSeeds(start, budget, { index: k, count: n });
          expect(s.seed).toBe(next);
          expect(s.budget === Math.floor(budget / n) || s.budget === Math.ceil(budget / n)).toBe(true);
          next += s.budget;
        }
        expect(next).toBe(start + budget);
      }),
    );
  });
});

describe('shards merged = the unsharded exploration', () => {
  for (const [mode, budget] of [
    ['random', 60],
    ['pct', 45],
  ] as const) {
    it(`${mode}: 3 shards of ${budget} schedules merge into exactly the unsharded result`, () => {
      const whole = exploreScenario({ spec, mode, budget, seed: 1 });
      const parts = [1, 2, 3].map((index) => exploreScenario({ spec, mode, budget, seed: 1, shard: { index, count: 3 } }));
      const merged = mergeReports(parts);
      expect(isComplete(merged)).toBe(true);
      expect(essence(merged)).toEqual(essence(whole));
      // PCT finds the nested-pause failures within 45 schedules, so the failure records are compared too.
      if (mode === 'pct') expect(whole.failures.length).toBe(3);
    });
  }

  it('refuses a shard twice and reports of different explorations', () => {
    const a = exploreScenario({ spec, mode: 'random', budget: 4, seed: 1, shard: { index: 1, count: 2 } });
    expect(() => mergeReports([a, a])).toThrow(/shard 1 appears twice/);
    const b = exploreScenario({ spec: { ...spec, strategy: 'realize-once' }, mode: 'random', budget: 4, seed: 1, shard: { index: 2, count: 2 } });
    expect(() => mergeReports([a, b])).toThrow(ScenarioInputError);
  });
});

// Worker threads load the compiled worker through Node, so this needs `npm run build` (which `npm test` runs
// first, setting VGICSIM_REQUIRE_BUILT so that a missing build fails here instead of skipping).
const WORKER = new URL('../../dist/scenario/explore-worker.js', import.meta.url);
describe.skipIf(!existsSync(fileURLToPath(WORKER)) && process.env['VGICSIM_REQUIRE_BUILT'] !== '1')('worker threads', () => {
  it('two workers give the same outcomes per seed, and the same shrunk failures, as one process', async () => {
    const url = WORKER;
    if (!existsSync(fileURLToPath(url))) throw new Error(`${fileURLToPath(url)} does not exist: run \`npm run build\` at the repository root first`);
    for (const mode of ['random', 'pct'] as const) {
      const single = exploreScenario({ spec, mode, budget: 40, seed: 1 });
      const pooled = await exploreParallel({ spec, mode, budget: 40, seed: 1 }, { workers: 2, workerUrl: url });
      expect(essence(pooled)).toEqual(essence(single));
      // Two or more distinct failures: shrunk on both workers, in the merged order.
      if (mode === 'pct') expect(pooled.failures.length).toBe(3);
    }
  });

  it('chunks pulled by 2 or 3 workers in any order give the report of one process, shrunk failures and all', async () => {
    const single = exploreScenario({ spec, mode: 'pct', budget: 40, seed: 1 });
    expect(single.failures.length).toBe(3);
    for (const [workers, chunkSchedules] of [
      [2, 1],
      [3, 3],
    ] as const) {
      const stop = new Int32Array(new SharedArrayBuffer(4));
      const pooled = await exploreParallel({ spec, mode: 'pct', budget: 40, seed: 1, stop }, { workers, workerUrl: WORKER, chunkSchedules });
      expect({ workers, chunkSchedules, report: essence(pooled) }).toEqual({ workers, chunkSchedules, report: essence(single) });
      expect(pooled.failures.every((f) => f.shrunk)).toBe(true);
    }
    // A shard of the process, cut into chunks, is still exactly that shard's seeds, for every scenario seed.
    const shard = { index: 2, count: 3 };
    const alone = exploreScenario({ spec, mode: 'random', budget: 40, seed: 1, shard, scenarioSeeds: [1, 2] });
    const chunked = await exploreParallel({ spec, mode: 'random', budget: 40, seed: 1, shard, scenarioSeeds: [1, 2] }, { workers: 2, workerUrl: WORKER, chunkSchedules: 2 });
    expect(essence(chunked)).toEqual(essence(alone));
    expect(chunked.shards).toEqual({ count: 3, indices: [2] });
  });

  it('--workers auto: one worker per 2000 schedules, at most one per core, never for exhaustive search', () => {
    // Budget 2000 — the bench's "never slower than one worker" case — stays on one worker.
    expect(autoWorkers(2000, 'pct', 2)).toBe(1);
    expect(autoWorkers(3999, 'pct', 2)).toBe(1);
    expect(autoWorkers(4000, 'pct', 2)).toBe(2);
    expect(autoWorkers(1000, 'random', 2)).toBe(1);
    expect(autoWorkers(8000, 'pct', 2)).toBe(2);
    expect(autoWorkers(8000, 'pct', 8)).toBe(4);
    expect(autoWorkers(6000, 'pct', 8)).toBe(3);
    expect(autoWorkers(100_000, 'exhaustive', 8)).toBe(1);
    expect(autoWorkers(10, 'pct', 1)).toBe(1);
  });
});

describe('a stop flag', () => {
  it('runs even one worker off this thread; a raised flag stops the workers and the report says interrupted, failures unshrunk', async () => {
    const url = new URL('../../dist/scenario/explore-worker.js', import.meta.url);
    if (!existsSync(fileURLToPath(url))) throw new Error(`${fileURLToPath(url)} does not exist: run \`npm run build\` at the repository root first`);
    const single = exploreScenario({ spec, mode: 'random', budget: 10, seed: 1 });
    const free = await exploreParallel({ spec, mode: 'random', budget: 10, seed: 1, stop: new Int32Array(new SharedArrayBuffer(4)) }, { workers: 1, workerUrl: url });
    expect(essence(free)).toEqual(essence(single));
    expect(free.interrupted).toBe(false);
    const raised = new Int32Array(new SharedArrayBuffer(4));
    Atomics.store(raised, 0, 1);
    const stopped = await exploreParallel({ spec, mode: 'random', budget: 1000, seed: 1, stop: raised }, { workers: 2, workerUrl: url });
    expect(stopped.interrupted).toBe(true);
    expect(stopped.schedules).toBe(0);
    expect(stopped.failures).toEqual([]);
  });

  it('raised mid-exploration: chunks taken after it run nothing, and the report is the chunks that ran, interrupted', async () => {
    const url = new URL('../../dist/scenario/explore-worker.js', import.meta.url);
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const onProgress = (): void => { Atomics.store(stop, 0, 1); };
    const report = await exploreParallel({ spec, mode: 'pct', budget: 2000, seed: 1, stop, onProgress }, { workers: 2, workerUrl: url, chunkSchedules: 1 });
    expect(report.interrupted).toBe(true);
    expect(report.schedules).toBeGreaterThan(0);
    expect(report.schedules).toBeLessThan(2000);
    expect(report.pctSteps).toBe(exploreScenario({ spec, mode: 'pct', budget: 1, seed: 1 }).pctSteps);
    expect(report.failures.every((f) => !f.shrunk)).toBe(true);
    // Chunks leave failures unhashed; the ones kept are hashed even when the exploration was stopped.
    expect(report.failures.every((f) => /^[0-9a-f]+$/.test(f.traceHash))).toBe(true);
  });
});

describe('merging a scenario-seed sweep', () => {
  it('firstFailingSeed is the first failing run in sweep order, not the lowest schedule seed of any shard', () => {
    // Scenario seeds [1, 2], schedule seeds 1..20 in two shards. Shard 1 (seeds 1..10) fails only under
    // scenario seed 2, at seed 3; shard 2 (seeds 11..20) fails under scenario seed 1, at seed 12. Unsharded,
    // scenario seed 1 runs first: its failure at seed 12 is the first failing run.
    const base = exploreScenario({ spec, mode: 'random', budget: 0, seed: 1, scenarioSeeds: [1, 2], shard: { index: 1, count: 2 } });
    const failure = (scenarioSeed: number, seed: number, messageClass: string): ExploreReport['failures'][number] => ({
      scenarioSeed,
      outcome: 'hang',
      message: messageClass,
      messageClass,
      seed,
      occurrences: 1,
      choices: [],
      traceHash: '0',
      shrunk: true,
    });
    const one: ExploreReport = { ...base, budget: 20, schedules: 20, failingRuns: 1, firstFailingSeed: 3, failures: [failure(2, 3, 'b')] };
    const two: ExploreReport = { ...one, shards: { count: 2, indices: [2] }, firstFailingSeed: 12, failures: [failure(1, 12, 'a')] };
    const merged = mergeReports([one, two]);
    expect(merged.failures.map((f) => [f.scenarioSeed, f.seed])).toEqual([
      [1, 12],
      [2, 3],
    ]);
    expect(merged.firstFailingSeed).toBe(12);
  });
});

describe('a worker that exits without its report', () => {
  it('fails the exploration with a message naming the worker, rather than leaving it waiting', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vgicsim-mute-worker-'));
    const mute = join(dir, 'mute-worker.mjs');
    writeFileSync(mute, '// exits 0 at once, posting nothing\n');
    const run = exploreParallel({ spec, mode: 'random', budget: 10, seed: 1 }, { workers: 2, workerUrl: pathToFileURL(mute) });
    await expect(run).rejects.toThrow(/^exploration worker [12] exited without a report$/);
  });
});

describe('scenario input errors', () => {
  it('are input errors of the one shape, with the accepted list as suggestion candidates', () => {
    let error: unknown = null;
    try {
      parseShard('0/8');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const e = error as ScenarioInputError;
    expect(e.message).toBe(`${e.problem}; ${e.accepted} (got '${e.received}')`);
    expect(e.accepted.startsWith('accepted: ')).toBe(true);
    expect(new ScenarioInputError('unknown scenario', 'boot, migration', 'bot').candidates).toEqual(['boot', 'migration']);
  });
});
