// vgicsim compare [scenarios…]: the matrix as a table (and optionally an HTML report).
import { BUILTIN_STRATEGIES } from '@vgicsim/qemu-arm-model';
import { LOCK_POLICIES, type LockPolicy } from '@vgicsim/kvm-sim';
import { DEFAULT_MATRIX, type Matrix, type ParamValue, SUITES, runMatrix } from '@vgicsim/scenarios';
import type { CompareArgs } from '../command-specs.js';
import { UsageError } from '../errors.js';
import { formatNs, formatTable, progressLine } from '../format.js';
import type { CliIo } from '../io.js';
import { writeMatrixHtml } from '../pictures.js';
import { checkOutputPath, findSuiteOrUsage, parseList } from '../sim-args.js';
import { printJson } from './shared.js';

export function run(args: CompareArgs, io: CliIo): number {
  const f = args.flags;
  for (const s of args.positionals) findSuiteOrUsage(s);
  const scenarios = args.positionals.length > 0 ? [...args.positionals] : [...DEFAULT_MATRIX.scenarios];
  const strategies = f.strategies === undefined ? [...DEFAULT_MATRIX.strategies] : parseList('strategies', f.strategies, BUILTIN_STRATEGIES.map((s) => s.name));
  const lockPolicies = (f['lock-policies'] === undefined ? [...DEFAULT_MATRIX.lockPolicies] : parseList('lock-policies', f['lock-policies'], LOCK_POLICIES)) as LockPolicy[];
  const htmlPath = f.html === undefined ? undefined : checkOutputPath('html', f.html);
  const params = paramsPerScenario(scenarios, f.param);
  const showProgress = process.stderr.isTTY && !f.json;
  const matrix = runMatrix({
    scenarios,
    strategies,
    lockPolicies,
    seeds: f.seeds,
    host: f.host,
    params,
    onRun: (_r, done, total) => {
      if (showProgress) process.stderr.write(progressLine('compare', done, total, ''));
    },
  });
  if (showProgress) process.stderr.write('\n');
  if (htmlPath !== undefined) writeMatrixHtml(htmlPath, matrix, { host: f.host, seeds: f.seeds });
  if (f.json) printJson(io, matrix);
  else io.stdout(formatMatrix(matrix));
  return 0;
}

/** `--param k=v` applies to every selected scenario that has a parameter k; unknown everywhere is an error. */
function paramsPerScenario(scenarios: readonly string[], given: readonly string[]): Record<string, Record<string, ParamValue>> {
  const out: Record<string, Record<string, ParamValue>> = {};
  for (const text of given) {
    const eq = text.indexOf('=');
    if (eq <= 0) throw new UsageError({ problem: '--param needs k=v', accepted: 'accepted: name=value, e.g. --param vcpus=8', received: text });
    const name = text.slice(0, eq);
    const value = text.slice(eq + 1);
    const takers = SUITES.filter((s) => scenarios.includes(s.name) && name in s.params);
    if (takers.length === 0) {
      throw new UsageError({ problem: `no selected scenario has parameter ${name}`, accepted: 'accepted: a parameter listed by `vgicsim scenarios --json`', received: text });
    }
    for (const s of takers) (out[s.name] ??= {})[name] = value;
  }
  return out;
}

export function formatMatrix(m: Matrix): string {
  const headers = ['scenario', 'strategy', 'lock policy', 'ok', 'abort', 'hang', 'timeout', 'other', 'VM-wide pauses', 'CPU_ON latency', 'vCPU stopped', 'EBUSY', 'violations'];
  const rows = m.rows.map((r) => [
    r.scenario,
    r.strategy,
    r.lockPolicy,
    String(r.outcomes.ok),
    String(r.outcomes.abort),
    String(r.outcomes['stranded-pauser'] + r.outcomes.deadlock + r.outcomes.hang),
    String(r.outcomes['guest-timeout']),
    String(r.outcomes['budget-exceeded']),
    r.vmWidePauses.median === r.vmWidePauses.max ? String(r.vmWidePauses.median) : `${r.vmWidePauses.median} (max ${r.vmWidePauses.max})`,
    formatNs(r.cpuOnLatencyNs.median),
    formatNs(r.vcpuStoppedNs.median),
    String(r.ebusy.median),
    String(r.violations),
  ]);
  return [
    formatTable(headers, rows),
    '',
    `${m.seeds.length} seed(s) per row (${m.seeds.join(', ')}); medians over the seeds. hang = a thread stuck in pause_all_vcpus, stranded pauser or deadlock;`,
    'timeout = the guest saw a CPU fail to come online; other = a step or time budget ran out.',
  ].join('\n');
}
