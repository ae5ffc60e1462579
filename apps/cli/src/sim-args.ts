// Turning the simulation commands' flags into scenario specs: the one `--param k=v` parser (run,
// explore, compare), with names checked against a suite's own table (never inherited keys such as
// `constructor`), `--strategy` values (a built-in name or a module path) and the QEMU model flags.
import { BUILTIN_STRATEGIES, type IccResetStrategy, type QemuSettingValue, parseQemuRevert, parseQemuSetting } from '@vgicsim/qemu-arm-model';
import { COMMON_PARAMS, type ParamValue, SUITES, type Suite, findSuite, isStrategyPath, loadStrategyModule } from '@vgicsim/scenarios';
import { UsageError } from './errors.js';

export interface ScenarioFlags {
  readonly vcpus?: number | undefined;
  readonly cycles?: number | undefined;
  readonly param: readonly string[];
}

export interface ParamAssignment {
  readonly name: string;
  readonly value: string;
  /** What the user typed, for messages. */
  readonly text: string;
}

/** `k=v` → {name k, value v}; each name at most once. */
export function parseParamAssignments(given: readonly string[]): ParamAssignment[] {
  const out: ParamAssignment[] = [];
  for (const text of given) {
    const eq = text.indexOf('=');
    if (eq <= 0) throw new UsageError({ problem: '--param needs k=v', accepted: 'accepted: name=value, e.g. --param vcpus=8', received: text });
    const name = text.slice(0, eq);
    const earlier = out.find((a) => a.name === name);
    if (earlier !== undefined) {
      throw new UsageError({ problem: `parameter ${name} given twice (first as '${earlier.text}')`, accepted: 'accepted: each parameter at most once', received: text });
    }
    out.push({ name, value: text.slice(eq + 1), text });
  }
  return out;
}

/** The parameter names a suite accepts: its own table plus the common ones, own keys only. */
export function suiteParamNames(suite: Suite): string[] {
  return [...Object.keys(suite.params), ...Object.keys(COMMON_PARAMS)];
}

export function suiteHasParam(suite: Suite, name: string): boolean {
  return Object.hasOwn(suite.params, name) || Object.hasOwn(COMMON_PARAMS, name);
}

/** --param k=v (repeatable) plus the --vcpus/--cycles shorthands, checked against the scenario's table. */
export function scenarioParams(scenario: string, flags: ScenarioFlags): Record<string, ParamValue> {
  const suite = findSuiteOrUsage(scenario);
  const accepted = suiteParamNames(suite);
  const out: Record<string, ParamValue> = {};
  const assignments = parseParamAssignments(flags.param);
  for (const a of assignments) {
    if (!suiteHasParam(suite, a.name)) {
      throw new UsageError({ problem: `scenario ${suite.name} has no parameter ${a.name}`, accepted: `accepted parameters: ${accepted.join(', ')}`, received: a.text, candidates: accepted });
    }
    out[a.name] = a.value;
  }
  for (const [name, value] of [
    ['vcpus', flags.vcpus],
    ['cycles', flags.cycles],
  ] as const) {
    if (value === undefined) continue;
    if (!Object.hasOwn(suite.params, name)) {
      throw new UsageError({ problem: `scenario ${suite.name} has no parameter ${name}`, accepted: `accepted parameters: ${accepted.join(', ')}`, received: `--${name} ${value}` });
    }
    if (assignments.some((a) => a.name === name)) {
      throw new UsageError({ problem: `--${name} and --param ${name}= both given`, accepted: `accepted: one of --${name} N or --param ${name}=N`, received: `--${name} ${value}` });
    }
    out[name] = value;
  }
  return out;
}

/** --qemu k=v and --qemu-revert COMMIT (both repeatable) → the run spec's QEMU fields. */
export function qemuFlags(flags: { readonly qemu: readonly string[]; readonly 'qemu-revert': readonly string[] }): {
  qemuOptions: Record<string, QemuSettingValue>;
  qemuRevert: string[];
} {
  const qemuOptions: Record<string, QemuSettingValue> = {};
  const qemuRevert: string[] = [];
  // A repeated setting or commit is refused rather than silently resolved: with two values for one key,
  // the run would depend on flag order, and a commit reverted twice is a typo for another commit.
  for (const text of flags.qemu) {
    const [k, v] = parseQemuSetting(text);
    if (k in qemuOptions) throw new UsageError({ problem: `--qemu: ${k} is given twice`, accepted: 'accepted: each --qemu key once', received: text });
    qemuOptions[k] = v;
  }
  for (const text of flags['qemu-revert']) {
    const commit = parseQemuRevert(text);
    if (qemuRevert.includes(commit)) throw new UsageError({ problem: `--qemu-revert: ${commit} is given twice`, accepted: 'accepted: each commit once', received: text });
    qemuRevert.push(commit);
  }
  return { qemuOptions, qemuRevert };
}

/** "1-20" or "1,4,9" (or a mix, "1-3,7") → the list of scenario seeds. */
export function parseSeedList(text: string): number[] {
  const accepted = 'accepted: seeds 0..4294967295 as A-B ranges and commas, e.g. 1-20 or 1,4,9';
  const out: number[] = [];
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (m === null) throw new UsageError({ problem: '--scenario-seeds: bad seed list', accepted, received: text });
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a || b > 0xffffffff || b - a >= 100_000) throw new UsageError({ problem: '--scenario-seeds: bad range', accepted: `${accepted} (at most 100000 per range)`, received: part.trim() });
    for (let s = a; s <= b; s++) out.push(s);
  }
  return out;
}

export function findSuiteOrUsage(name: string): ReturnType<typeof findSuite> {
  const found = SUITES.find((s) => s.name === name);
  if (found === undefined) {
    throw new UsageError({
      problem: 'unknown scenario',
      accepted: `accepted: ${SUITES.map((s) => s.name).join(', ')}`,
      received: name,
      candidates: SUITES.map((s) => s.name),
    });
  }
  return found;
}

/** a,b,c → [a, b, c], each checked against `accepted`. */
export function parseList(flag: string, text: string, accepted: readonly string[]): string[] {
  const items = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (items.length === 0) throw new UsageError({ problem: `--${flag} needs at least one name`, accepted: `accepted: ${accepted.join(',')}`, received: text });
  for (const item of items) {
    if (!accepted.includes(item)) {
      throw new UsageError({ problem: `unknown name in --${flag}`, accepted: `accepted: ${accepted.join(', ')}`, received: item, candidates: accepted });
    }
  }
  return items;
}

/** A --strategy value: a built-in name (checked) or a module path (imported and checked, failing as one line). */
export async function resolveStrategyArg(flag: string, text: string): Promise<string | IccResetStrategy> {
  if (isStrategyPath(text)) return loadStrategyModule(text);
  const names = BUILTIN_STRATEGIES.map((s) => s.name);
  if (!names.includes(text)) {
    throw new UsageError({ problem: flag === 'strategy' ? 'unknown strategy' : `unknown strategy in --${flag}`, accepted: `accepted: ${names.join(', ')}, or a module path such as ./design.mjs`, received: text, candidates: names });
  }
  return text;
}
