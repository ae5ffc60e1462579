// vgicsim explore <scenario> --strategy S: search schedules (optionally one shard, on worker threads) and
// write each distinct failure as a replay file.
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import {
  type ExploreReport,
  type ExploreRequest,
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
import { formatReport } from '../report-output.js';
import { findSuiteOrUsage, scenarioParams } from '../sim-args.js';
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
  const shard = f.shard === undefined ? null : parseShard(f.shard, process.env);
  if (f.shard !== undefined && mode === 'exhaustive') {
    throw new UsageError({ problem: '--shard splits seeds; exhaustive search has none', accepted: 'accepted: --mode pct or random with --shard', received: f.shard });
  }
  const workers = parseWorkers(f.workers, f.budget, mode);
  if (f['stop-on-first'] && (shard !== null || workers > 1)) {
    throw new UsageError({ problem: '--stop-on-first would make shards depend on each other', accepted: 'accepted: --stop-on-first without --shard and --workers', received: '--stop-on-first' });
  }
  const outDir = resolve(f.out);
  try {
    mkdirSync(outDir, { recursive: true });
  } catch {
    throw new UsageError({ problem: '--out: cannot create the directory', accepted: 'accepted: a creatable, writable directory path', received: f.out });
  }
  const spec = { scenario, strategy: f.strategy, lockPolicy: f['lock-policy'] as 'all-vcpus', host: f.host, seed: f.seed, params: scenarioParams(scenario, f) };
  // Resolve the spec once up front, so bad names fail before any schedule runs.
  makeReplayFile(spec, { choices: [], traceHash: '', outcome: '' });
  const showProgress = process.stderr.isTTY && !f.json;
  const req: ExploreRequest = {
    spec,
    mode,
    budget: f.budget,
    seed: f.seed,
    pctDepth: f.depth,
    shard,
    stopOnFirstFailure: f['stop-on-first'],
    onProgress: (done, failures, distinct, elapsedMs) => {
      if (!showProgress) return;
      const rate = elapsedMs > 0 ? Math.round((done * 1000) / elapsedMs) : 0;
      process.stderr.write(progressLine('explore', done, null, `schedules, failures ${failures} (${distinct} distinct), ${rate}/s`));
    },
  };
  const report: ExploreReport = await exploreParallel(req, { workers });
  if (showProgress) process.stderr.write('\n');
  const files = writeReplayFiles(outDir, spec, report, shard?.index ?? null);
  if (f.json) printJson(io, { ...report, replayFiles: files });
  else io.stdout(formatReport(report, files));
  return report.failures.length > 0 ? EXIT_FAILURE_FOUND : EXIT_OK;
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
    writeFileAtomic(path, formatReplayFile(makeReplayFile(spec, { choices: failure.choices, traceHash: failure.traceHash, outcome: failure.outcome })));
    return path;
  });
}
