// vgicsim explore <scenario> --strategy S: search schedules (optionally one shard, on worker threads) and
// write each distinct failure as a replay file.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import {
  type ExploreReport,
  type ExploreRequest,
  REDUCTIONS,
  type Reduction,
  autoWorkers,
  exploreParallel,
  formatReplayFile,
  makeReplayFile,
  parseShard,
  writeFileAtomic,
} from '@vgicsim/scenarios';
import type { ExploreArgs } from '../command-specs.js';
import { EXIT_FAILURE_FOUND, EXIT_OK, UsageError } from '../errors.js';
import { progressLine } from '../format.js';
import type { CliIo } from '../io.js';
import { prepareOutputDir } from '../output-paths.js';
import { formatReport } from '../report-output.js';
import { onStopSignals } from '../signals.js';
import { findSuiteOrUsage, parseSeedList, qemuFlags, resolveStrategyArg, scenarioParams } from '../sim-args.js';
import { positional, printJson } from './shared.js';

const MODES = ['pct', 'random', 'exhaustive'] as const;
type Mode = (typeof MODES)[number];

function isMode(m: string): m is Mode {
  return (MODES as readonly string[]).includes(m);
}

export async function run(args: ExploreArgs, io: CliIo): Promise<number> {
  const scenario = positional(args.positionals, 0);
  findSuiteOrUsage(scenario);
  const f = args.flags;
  if (f.strategy === undefined) {
    throw new UsageError({ problem: 'missing --strategy', accepted: 'accepted: --strategy S with S from `vgicsim strategies`', received: '' });
  }
  const mode = f.mode;
  if (!isMode(mode)) throw new UsageError({ problem: 'unknown --mode', accepted: `accepted: ${MODES.join(', ')}`, received: mode, candidates: MODES });
  const reduction = f.reduction;
  if (!isReduction(reduction)) {
    throw new UsageError({ problem: 'unknown --reduction', accepted: `accepted: ${REDUCTIONS.join(', ')}`, received: reduction, candidates: REDUCTIONS });
  }
  const shard = f.shard === undefined ? null : parseShard(f.shard, process.env);
  if (f.shard !== undefined && mode === 'exhaustive') {
    throw new UsageError({ problem: '--shard splits seeds; exhaustive search has none', accepted: 'accepted: --mode pct or random with --shard', received: f.shard });
  }
  const scenarioSeeds = f['scenario-seeds'] === undefined ? undefined : parseSeedList(f['scenario-seeds']);
  // Every scenario seed gets the whole budget, so `auto` weighs the schedules of all of them; and it picks
  // one worker for --stop-on-first, which needs a single search to stop.
  const schedulesInAll = f.budget * (scenarioSeeds?.length ?? 1);
  const workers = f['stop-on-first'] && f.workers === 'auto' ? 1 : parseWorkers(f.workers, schedulesInAll, mode);
  if (f['stop-on-first'] && (shard !== null || workers > 1)) {
    throw new UsageError({ problem: '--stop-on-first would make shards depend on each other', accepted: 'accepted: --stop-on-first without --shard and --workers', received: '--stop-on-first' });
  }
  const strategy = await resolveStrategyArg('strategy', f.strategy);
  const spec = { scenario, strategy, lockPolicy: f['lock-policy'] as 'all-vcpus', host: f.host, seed: f.seed, params: scenarioParams(scenario, f), ...qemuFlags(f) };
  // Resolve the spec once up front, so bad names fail before any schedule runs.
  makeReplayFile(spec, { choices: [], traceHash: '', outcome: '' });
  // Last check before exploring: the replay files' directory (created if missing) must take files.
  const outDir = prepareOutputDir('out', f.out);
  const showProgress = process.stderr.isTTY && !f.json;
  const req: ExploreRequest = {
    spec,
    mode,
    budget: f.budget,
    seed: f.seed,
    pctDepth: f.depth,
    reduction,
    shard,
    ...(scenarioSeeds === undefined ? {} : { scenarioSeeds }),
    stopOnFirstFailure: f['stop-on-first'],
    onProgress: (done, failures, distinct, elapsedMs) => {
      if (!showProgress) return;
      const rate = elapsedMs > 0 ? Math.round((done * 1000) / elapsedMs) : 0;
      process.stderr.write(progressLine('explore', done, null, `schedules, failures ${failures} (${distinct} distinct), ${rate}/s`));
    },
  };
  // SIGINT/SIGTERM stop the workers after their current schedule; what was found is still written (the
  // handlers stay until then, so a signal during the writing cannot cut a file short).
  const stop = onStopSignals();
  let report: ExploreReport;
  try {
    report = await exploreParallel({ ...req, stop: stop.flag }, { workers });
    if (showProgress) process.stderr.write('\n');
    const files = writeReplayFiles(outDir, spec, report, shard?.index ?? null);
    if (f.json) printJson(io, { ...report, replayFiles: files });
    else io.stdout(formatReport(report, files));
  } finally {
    stop.release();
  }
  const signal = stop.signal();
  if (signal !== null) {
    const of = shard === null ? `of ${report.budget}` : `of shard ${shard.index}/${shard.count}'s share of ${report.budget}`;
    io.stderr(`vgicsim explore: interrupted by ${signal} after ${report.schedules} ${of} schedules; the report above is partial`);
  }
  return stop.exitCode() ?? (report.failures.length > 0 ? EXIT_FAILURE_FOUND : EXIT_OK);
}

function isReduction(r: string): r is Reduction {
  return (REDUCTIONS as readonly string[]).includes(r);
}

function parseWorkers(text: string, budget: number, mode: Mode): number {
  if (text === 'auto') return autoWorkers(budget, mode, availableParallelism());
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(n) || n > 256) {
    throw new UsageError({ problem: '--workers needs a count or auto', accepted: 'accepted: an integer in 0..256 (0 = one per core) or auto', received: text });
  }
  return n === 0 ? availableParallelism() : n;
}

function writeReplayFiles(dir: string, spec: Parameters<typeof makeReplayFile>[0], report: ExploreReport, shard: number | null): string[] {
  const perOutcome = new Map<string, number>();
  return report.failures.map((failure) => {
    const n = (perOutcome.get(failure.outcome) ?? 0) + 1;
    perOutcome.set(failure.outcome, n);
    const name = shard === null ? `${failure.outcome}-${n}.json` : `${failure.outcome}-s${shard}-${n}.json`;
    const path = join(dir, name);
    const file = makeReplayFile({ ...spec, seed: failure.scenarioSeed }, { choices: failure.choices, traceHash: failure.traceHash, outcome: failure.outcome, seed: failure.seed });
    writeFileAtomic(path, formatReplayFile(file));
    return path;
  });
}
