// What the overlap suites share: when to inject the event that overlaps a reset. By default the time is
// drawn through the simulator's choice source (a `duration` choice in 1 µs steps over the window where the
// overlap matters), so a seed picks one point and `explore` searches the window like any interleaving;
// `injectAtUs` pins it.
import type { ParamSpec, ResolvedParams } from '../scenario/params.js';
import { COMMON_PARAMS, intParam } from '../scenario/params.js';
import type { Proc } from '@vgicsim/kvm-sim';
import type { GuestMemory } from '../guests/memory.js';
import type { SuiteContext } from '../scenario/types.js';
import { waitFor } from './common.js';
import { emitScenarioEvent } from './trace-vocabulary.js';

export function injectParams(window: string, defaultSpanUs: number): Readonly<Record<'injectAtUs' | 'spanUs' | 'timeLimitMs', ParamSpec>> {
  const limit = COMMON_PARAMS['timeLimitMs'];
  if (limit?.type !== 'int') throw new Error('internal: timeLimitMs is an int parameter');
  return {
    // A few ms of guest suffice; a hang then ends at 100 ms of virtual time instead of 60 s.
    timeLimitMs: { ...limit, default: 100 },
    injectAtUs: {
      type: 'int',
      default: -1,
      min: -1,
      max: 10_000_000,
      description: `when to inject, µs into the window (${window}); -1 = chosen through the choice source over [0, spanUs]`,
    },
    spanUs: { type: 'int', default: defaultSpanUs, min: 1, max: 10_000_000, description: 'width of the injection window (µs)' },
  };
}

/** The injection offset in ns: pinned by injectAtUs, else a choice among spanUs + 1 whole microseconds. */
export function injectionOffsetNs(ctx: SuiteContext, params: ResolvedParams = ctx.params): number {
  const pinned = intParam(params, 'injectAtUs');
  if (pinned >= 0) return pinned * 1000;
  const span = intParam(params, 'spanUs');
  const us = ctx.sim.choose('duration', span + 1, []);
  emitScenarioEvent(ctx.sim, 'overlap-inject', { offsetUs: us });
  return us * 1000;
}

/** How long after the injection the VM has to get where the suite expects; far beyond any healthy run. */
export const OVERLAP_DEADLINE_NS = 20_000_000;

/**
 * Waits (polling every 10 µs) for `cond` until `deadline`; past it, records what the management client
 * would see as a guest failure and returns false. The manager then stops polling, so a hang shows as
 * the deadlock it is rather than as a time limit.
 */
export function* waitOrFail(ctx: SuiteContext, mem: GuestMemory, cond: () => boolean, deadline: number, what: string): Proc<boolean> {
  yield* waitFor(ctx, () => cond() || ctx.sim.now > deadline, 10_000);
  if (cond()) return true;
  mem.failures.push(`${what} within ${OVERLAP_DEADLINE_NS / 1_000_000} ms`);
  return false;
}
