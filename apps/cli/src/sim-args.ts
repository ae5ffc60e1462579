// Turning the simulation commands' flags into scenario specs, and checking output paths before any long
// run starts (a failure must never leave half a file, nor waste an exploration).
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { BUILTIN_STRATEGIES, type IccResetStrategy } from '@vgicsim/qemu-arm-model';
import { type ParamValue, SUITES, findSuite, isStrategyPath, loadStrategyModule } from '@vgicsim/scenarios';
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

/** A --strategy value: a built-in name (checked) or a module path (imported and checked, failing as one line). */
export async function resolveStrategyArg(flag: string, text: string): Promise<string | IccResetStrategy> {
  if (isStrategyPath(text)) return loadStrategyModule(text);
  const names = BUILTIN_STRATEGIES.map((s) => s.name);
  if (!names.includes(text)) {
    throw new UsageError({ problem: flag === 'strategy' ? 'unknown strategy' : `unknown strategy in --${flag}`, accepted: `accepted: ${names.join(', ')}, or a module path such as ./design.mjs`, received: text, candidates: names });
  }
  return text;
}
