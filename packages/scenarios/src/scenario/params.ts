// Scenario parameters: a typed table per suite, validated with messages that name the parameter, what is
// accepted and what was received.
import { InputError } from '@vgicsim/gicv3-regs';

export type ParamValue = number | boolean | string;

export type ParamSpec =
  | { readonly type: 'int'; readonly default: number; readonly min: number; readonly max: number; readonly description: string }
  | { readonly type: 'bool'; readonly default: boolean; readonly description: string }
  | { readonly type: 'enum'; readonly default: string; readonly values: readonly string[]; readonly description: string };

export type ParamTable = Readonly<Record<string, ParamSpec>>;
export type ResolvedParams = Readonly<Record<string, ParamValue>>;

/**
 * Bad scenario input, in the one input-error shape; `accepted` is given as a comma-separated list (or a
 * range), which also serves as the names a "did you mean" suggestion picks from.
 */
export class ScenarioInputError extends InputError {
  override readonly name = 'ScenarioInputError';
  constructor(problem: string, accepted: string, received: string) {
    super({ problem, accepted: `accepted: ${accepted}`, received, candidates: accepted.split(', ') });
  }
}

/** Parameters every suite takes. */
export const COMMON_PARAMS: ParamTable = {
  windowNs: {
    type: 'int',
    default: 2000,
    min: 0,
    max: 1_000_000,
    description: 'scheduling window in ns: steps this close are ordered by the seed (0 = strictly timed)',
  },
  timeLimitMs: { type: 'int', default: 60_000, min: 1, max: 3_600_000, description: 'virtual time limit of the run, in ms' },
  stepBudget: { type: 'int', default: 50_000_000, min: 1000, max: 2_000_000_000, description: 'thread steps before budget-exceeded' },
  resetCallsPerCpuReset: {
    type: 'int',
    default: 2,
    min: 1,
    max: 2,
    description: 'arm_gicv3_icc_reset calls per cpu_reset (2 as upstream: AArch64 + AArch32-NS cpreg; 1 is counterfactual)',
  },
};

function parseOne(name: string, spec: ParamSpec, raw: ParamValue): ParamValue {
  const text = String(raw);
  switch (spec.type) {
    case 'int': {
      const n = typeof raw === 'number' ? raw : /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
      if (!Number.isInteger(n) || n < spec.min || n > spec.max) {
        throw new ScenarioInputError(`parameter ${name} must be an integer in range`, `${spec.min}..${spec.max}`, text);
      }
      return n;
    }
    case 'bool': {
      if (raw === true || raw === false) return raw;
      if (text === 'true' || text === '1') return true;
      if (text === 'false' || text === '0') return false;
      throw new ScenarioInputError(`parameter ${name} must be a boolean`, 'true, false, 1, 0', text);
    }
    case 'enum': {
      if (!spec.values.includes(text)) throw new ScenarioInputError(`parameter ${name} has an unknown value`, spec.values.join(', '), text);
      return text;
    }
  }
}

/** Defaults overlaid with `given`; unknown names and bad values are input errors. */
export function resolveParams(table: ParamTable, given: Readonly<Record<string, ParamValue>>): ResolvedParams {
  const out: Record<string, ParamValue> = {};
  for (const [name, spec] of Object.entries(table)) out[name] = spec.default;
  for (const [name, raw] of Object.entries(given)) {
    // Own keys only: `constructor` or `__proto__` must not find Object.prototype's members.
    const spec = Object.hasOwn(table, name) ? table[name] : undefined;
    if (spec === undefined) throw new ScenarioInputError('unknown parameter', Object.keys(table).join(', '), name);
    out[name] = parseOne(name, spec, raw);
  }
  return out;
}

export function intParam(p: ResolvedParams, name: string): number {
  const v = p[name];
  if (typeof v !== 'number') throw new Error(`internal: parameter ${name} is not resolved to a number`);
  return v;
}

export function stringParam(p: ResolvedParams, name: string): string {
  const v = p[name];
  if (typeof v !== 'string') throw new Error(`internal: parameter ${name} is not resolved to a string`);
  return v;
}
