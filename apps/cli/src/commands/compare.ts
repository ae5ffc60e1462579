// vgicsim compare [scenarios…]: the matrix as a table (and optionally an HTML report).
import { BUILTIN_STRATEGIES, type IccResetStrategy } from '@vgicsim/qemu-arm-model';
import { LOCK_POLICIES, type LockPolicy } from '@vgicsim/kvm-sim';
import { DEFAULT_MATRIX, type Matrix, type MatrixRow, type ParamValue, SUITES, runMatrix } from '@vgicsim/scenarios';
import type { CompareArgs } from '../command-specs.js';
import { EXIT_FAILURE_FOUND, EXIT_OK, UsageError } from '../errors.js';
import { formatNs, formatTable, progressLine } from '../format.js';
import type { CliIo } from '../io.js';
import { writeMatrixHtml } from '../pictures.js';
import { checkOutputFiles, stdoutAlias, writesStdout } from '../output-paths.js';
import { findSuiteOrUsage, parseList, parseParamAssignments, resolveStrategyArg, suiteHasParam, suiteParamNames } from '../sim-args.js';
import { printJson } from './shared.js';

export async function run(args: CompareArgs, io: CliIo): Promise<number> {
  const f = args.flags;
  for (const s of args.positionals) findSuiteOrUsage(s);
  const scenarios = args.positionals.length > 0 ? [...args.positionals] : [...DEFAULT_MATRIX.scenarios];
  const strategies = f.strategies === undefined ? [...DEFAULT_MATRIX.strategies] : await strategyList(f.strategies);
  const lockPolicies = (f['lock-policies'] === undefined ? [...DEFAULT_MATRIX.lockPolicies] : parseList('lock-policies', f['lock-policies'], LOCK_POLICIES)) as LockPolicy[];
  const failOn = f['fail-on'] === undefined ? [] : (parseList('fail-on', f['fail-on'], FAIL_CLASSES) as FailClass[]);
  const params = paramsPerScenario(scenarios, f.param);
  const htmlPath = stdoutAlias(f.html);
  checkOutputFiles([{ flag: 'html', path: htmlPath }], [], f.json);
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
  if (htmlPath !== undefined) writeMatrixHtml(htmlPath, io, matrix, { host: f.host, seeds: f.seeds });
  // With --html -, the page is stdout and the table goes to stderr.
  const report = writesStdout([{ flag: 'html', path: htmlPath }]) ? io.stderr : io.stdout;
  if (f.json) printJson(io, matrix);
  else report(formatMatrix(matrix));
  return failOn.length > 0 && matrix.rows.some((r) => failOn.some((c) => rowCount(r, c) > 0)) ? EXIT_FAILURE_FOUND : EXIT_OK;
}

/** What `--fail-on` can gate on; the names of the table's columns. */
export const FAIL_CLASSES = ['abort', 'hang', 'timeout', 'other', 'violations', 'oracle'] as const;
type FailClass = (typeof FAIL_CLASSES)[number];

function rowCount(r: MatrixRow, c: FailClass): number {
  switch (c) {
    case 'abort':
      return r.outcomes.abort;
    case 'hang':
      return r.outcomes['stranded-pauser'] + r.outcomes.deadlock;
    case 'timeout':
      return r.outcomes['guest-timeout'];
    case 'other':
      return r.outcomes['budget-exceeded'];
    case 'violations':
      return r.violations;
    case 'oracle':
      return r.roMismatches + r.carriedGuestConfig;
  }
}

/** The oracle column: resets that restored a wrong value, by kind (0 when every restore was right). */
function oracleCell(r: MatrixRow): string {
  const parts = [r.roMismatches > 0 ? `${r.roMismatches} RO` : '', r.carriedGuestConfig > 0 ? `${r.carriedGuestConfig} carried` : ''].filter((p) => p !== '');
  return parts.length === 0 ? '0' : parts.join(', ');
}

/** --strategies a,./b.mjs: built-in names checked, module paths loaded; two strategies may not share a name. */
async function strategyList(text: string): Promise<(string | IccResetStrategy)[]> {
  const items = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (items.length === 0) {
    throw new UsageError({ problem: '--strategies needs at least one name', accepted: `accepted: ${BUILTIN_STRATEGIES.map((s) => s.name).join(',')} or module paths`, received: text });
  }
  const out: (string | IccResetStrategy)[] = [];
  for (const item of items) {
    const s = await resolveStrategyArg('strategies', item);
    const name = typeof s === 'string' ? s : s.name;
    if (out.some((o) => (typeof o === 'string' ? o : o.name) === name)) {
      throw new UsageError({ problem: 'two strategies in --strategies have the same name', accepted: 'accepted: each strategy once', received: `${item} (${name})` });
    }
    out.push(s);
  }
  return out;
}

/** `--param k=v` applies to every selected scenario that has a parameter k; unknown everywhere is an error. */
function paramsPerScenario(scenarios: readonly string[], given: readonly string[]): Record<string, Record<string, ParamValue>> {
  const out: Record<string, Record<string, ParamValue>> = {};
  const suites = SUITES.filter((s) => scenarios.includes(s.name));
  for (const a of parseParamAssignments(given)) {
    const takers = suites.filter((s) => suiteHasParam(s, a.name));
    if (takers.length === 0) {
      const names = [...new Set(suites.flatMap(suiteParamNames))];
      throw new UsageError({ problem: `no selected scenario has parameter ${a.name}`, accepted: `accepted parameters: ${names.join(', ')}`, received: a.text, candidates: names });
    }
    for (const s of takers) (out[s.name] ??= {})[a.name] = a.value;
  }
  return out;
}

export function formatMatrix(m: Matrix): string {
  const headers = ['scenario', 'strategy', 'lock policy', 'ok', 'abort', 'hang', 'timeout', 'other', 'VM-wide pauses', 'CPU_ON latency', 'vCPU stopped', 'EBUSY', 'violations', 'oracle'];
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
    oracleCell(r),
  ]);
  return [
    formatTable(headers, rows),
    '',
    `${m.seeds.length} seed(s) per row (${m.seeds.join(', ')}); medians over the seeds. hang = a thread stuck in pause_all_vcpus, stranded pauser or deadlock;`,
    'timeout = the guest saw a CPU fail to come online; other = a step or time budget ran out;',
    'oracle = resets that restored a wrong ICC_CTLR_EL1 (RO fields unlike the host, or a previous guest configuration carried).',
  ].join('\n');
}
