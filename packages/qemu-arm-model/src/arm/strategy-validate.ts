// Checking a design supplied from outside (a strategy module's export) and guarding its hooks, so that a
// wrong shape or a throwing hook is reported as the design's fault — one line naming the design — and
// never as a broken model. Loading the module is I/O and lives with the caller (scenarios, the CLI).
import { type Op, type Proc, SimAbort } from '@vgicsim/kvm-sim';
import type { CpuState } from '../cpu-state.js';
import type { GicCpuState } from './gic-state.js';
import type { IccResetStrategy, StrategyContext } from './strategy.js';
import { BUILTIN_STRATEGIES } from './strategies/index.js';

/** What a design module exports (`export default { … }`): a strategy whose blocker flag may be omitted. */
export interface StrategyDefinition {
  readonly name: string;
  readonly description: string;
  readonly source: string;
  /** Default true: keep upstream's migration_blocker early return. */
  readonly blockerEarlyReturn?: boolean;
  onRealize?(ctx: StrategyContext): Proc;
  resetIccCtlr(ctx: StrategyContext, c: GicCpuState): Proc;
  beforeCpuOnReset?(cpu: CpuState): void;
}

/** The export does not have the shape of a strategy. `origin` names the module (its path). */
export class StrategyShapeError extends Error {
  override readonly name = 'StrategyShapeError';
  constructor(
    readonly origin: string,
    readonly problem: string,
  ) {
    super(`${origin}: ${problem}`);
  }
}

/** A design's hook threw (or returned something that is not a generator) during a run. */
export class StrategyRuntimeError extends Error {
  override readonly name = 'StrategyRuntimeError';
  constructor(
    readonly origin: string,
    readonly problem: string,
  ) {
    super(`${origin}: ${problem}`);
  }
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const HOOKS = ['onRealize', 'resetIccCtlr', 'beforeCpuOnReset'] as const;

/**
 * Checks `value` against StrategyDefinition and returns a strategy whose hooks report their own failures
 * as StrategyRuntimeError. A name of a built-in is refused: rows and replay files are keyed by name.
 */
export function validateStrategy(value: unknown, origin: string): IccResetStrategy {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StrategyShapeError(origin, `the default export must be a strategy object {name, description, source, resetIccCtlr}; got ${describe(value)}`);
  }
  const v = value as Record<string, unknown>;
  const name = v['name'];
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new StrategyShapeError(origin, `"name" must be a short lowercase name (a-z, 0-9, '.', '_', '-'); got ${describe(name)}`);
  }
  if (BUILTIN_STRATEGIES.some((s) => s.name === name)) {
    throw new StrategyShapeError(origin, `"name" ${JSON.stringify(name)} is a built-in strategy's; choose another`);
  }
  for (const field of ['description', 'source'] as const) {
    if (typeof v[field] !== 'string') throw new StrategyShapeError(origin, `"${field}" must be a string; got ${describe(v[field])}`);
  }
  const blocker = v['blockerEarlyReturn'];
  if (blocker !== undefined && typeof blocker !== 'boolean') {
    throw new StrategyShapeError(origin, `"blockerEarlyReturn" must be true, false or absent; got ${describe(blocker)}`);
  }
  if (typeof v['resetIccCtlr'] !== 'function') {
    throw new StrategyShapeError(origin, `"resetIccCtlr" must be a generator function (function*); got ${describe(v['resetIccCtlr'])}`);
  }
  for (const hook of HOOKS) {
    if (v[hook] !== undefined && typeof v[hook] !== 'function') throw new StrategyShapeError(origin, `"${hook}" must be a function or absent; got ${describe(v[hook])}`);
  }
  const def = value as StrategyDefinition;
  const out: IccResetStrategy = {
    name,
    description: def.description,
    source: def.source,
    blockerEarlyReturn: def.blockerEarlyReturn ?? true,
    resetIccCtlr: (ctx, c) => guarded(origin, 'resetIccCtlr', () => def.resetIccCtlr(ctx, c)),
    ...(def.onRealize === undefined ? {} : { onRealize: (ctx: StrategyContext) => guarded(origin, 'onRealize', () => def.onRealize?.(ctx)) }),
    ...(def.beforeCpuOnReset === undefined
      ? {}
      : {
          beforeCpuOnReset: (cpu: CpuState) => {
            try {
              def.beforeCpuOnReset?.(cpu);
            } catch (e) {
              throw rethrowable(origin, 'beforeCpuOnReset', e);
            }
          },
        }),
  };
  return out;
}

/** Steps a design's generator, turning its exceptions (but not QEMU's abort) into StrategyRuntimeError. */
function* guarded(origin: string, hook: string, start: () => unknown): Proc {
  let it: unknown;
  try {
    it = start();
  } catch (e) {
    throw rethrowable(origin, hook, e);
  }
  if (!isIterator(it)) {
    throw new StrategyRuntimeError(origin, `${hook} must be a generator function (function*) that yields only through ctx.api; it returned ${describe(it)}`);
  }
  let input: unknown = undefined;
  for (;;) {
    let r: IteratorResult<unknown, unknown>;
    try {
      r = it.next(input);
    } catch (e) {
      throw rethrowable(origin, hook, e);
    }
    if (r.done === true) return;
    if (!isOp(r.value)) throw new StrategyRuntimeError(origin, `${hook} yielded ${describe(r.value)}; yield only with yield* ctx.api.…()`);
    input = yield r.value;
  }
}

function rethrowable(origin: string, hook: string, e: unknown): Error {
  if (e instanceof SimAbort || e instanceof StrategyRuntimeError) return e;
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return new StrategyRuntimeError(origin, `${hook} threw during a run: ${msg.replace(/\s+/g, ' ').trim()}`);
}

function isIterator(v: unknown): v is Iterator<unknown, unknown, unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { next?: unknown }).next === 'function';
}

function isOp(v: unknown): v is Op {
  return typeof v === 'object' && v !== null && typeof (v as { kind?: unknown }).kind === 'string';
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing (undefined)';
  if (v === null) return 'null';
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') return `an object with keys ${Object.keys(v).slice(0, 6).join(', ') || '(none)'}`;
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return typeof v;
}
