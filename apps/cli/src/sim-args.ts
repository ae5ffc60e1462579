// Turning the simulation commands' flags into scenario specs, and checking output paths before any long
// run starts (a failure must never leave half a file, nor waste an exploration).
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { QemuSettingError, type QemuSettingValue, parseQemuRevert, parseQemuSetting } from '@vgicsim/qemu-arm-model';
import { type ParamValue, SUITES, findSuite } from '@vgicsim/scenarios';
import { UsageError } from './errors.js';

export interface ScenarioFlags {
  readonly vcpus?: number | undefined;
  readonly cycles?: number | undefined;
  readonly param: readonly string[];
}

/** --param k=v (repeatable) plus the --vcpus/--cycles shorthands, checked against the scenario's table. */
export function scenarioParams(scenario: string, flags: ScenarioFlags): Record<string, ParamValue> {
  const suite = findSuiteOrUsage(scenario);
  const accepted = Object.keys(suite.params);
  const out: Record<string, ParamValue> = {};
  for (const text of flags.param) {
    const eq = text.indexOf('=');
    if (eq <= 0) throw new UsageError({ problem: '--param needs k=v', accepted: 'accepted: name=value, e.g. --param vcpus=8', received: text });
    out[text.slice(0, eq)] = text.slice(eq + 1);
  }
  for (const [name, value] of [
    ['vcpus', flags.vcpus],
    ['cycles', flags.cycles],
  ] as const) {
    if (value === undefined) continue;
    if (!accepted.includes(name)) {
      throw new UsageError({
        problem: `scenario ${suite.name} has no parameter ${name}`,
        accepted: `accepted parameters: ${accepted.join(', ')} (and windowNs, timeLimitMs, stepBudget, resetCallsPerCpuReset)`,
        received: `--${name} ${value}`,
      });
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
  try {
    for (const text of flags.qemu) {
      const [k, v] = parseQemuSetting(text);
      qemuOptions[k] = v;
    }
    for (const text of flags['qemu-revert']) qemuRevert.push(parseQemuRevert(text));
  } catch (e) {
    if (e instanceof QemuSettingError) throw new UsageError({ problem: e.problem, accepted: e.accepted, received: e.received });
    throw e;
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

/** An output file must go to an existing, writable directory and must not be a directory itself. */
export function checkOutputPath(flag: string, path: string): string {
  const abs = resolve(path);
  const dir = dirname(abs);
  const accepted = 'accepted: a file path in an existing, writable directory';
  if (existsSync(abs) && statSync(abs).isDirectory()) throw new UsageError({ problem: `--${flag} names a directory`, accepted, received: path });
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UsageError({ problem: `--${flag}: cannot write there`, accepted, received: path });
  }
  return abs;
}
