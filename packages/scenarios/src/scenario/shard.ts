// Deterministic sharding of an exploration's seed space, for spreading it over processes and machines.
// A shard is a contiguous block of the seed range; every shard uses the same PCT k (estimated once from the
// global first seed), so N shards explore exactly the schedules of the unsharded run.
import { ScenarioInputError } from './params.js';

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

const SHARD = /^(\d+)\/(\d+)$/;

/**
 * `K/N` (1 ≤ K ≤ N), or `auto`: K from JOB_COMPLETION_INDEX (0-based, what a Kubernetes Indexed Job
 * sets) and N from VGICSIM_SHARDS.
 */
export function parseShard(text: string, env: Readonly<Record<string, string | undefined>> = {}): Shard {
  if (text === 'auto') {
    const idx = env['JOB_COMPLETION_INDEX'];
    const total = env['VGICSIM_SHARDS'];
    if (idx === undefined || !/^\d+$/.test(idx)) {
      throw new ScenarioInputError('--shard auto needs JOB_COMPLETION_INDEX', 'a 0-based integer in JOB_COMPLETION_INDEX and the shard count in VGICSIM_SHARDS', idx ?? '(unset)');
    }
    if (total === undefined || !/^\d+$/.test(total)) {
      throw new ScenarioInputError('--shard auto needs VGICSIM_SHARDS', 'the number of shards (the Job’s completions) in VGICSIM_SHARDS', total ?? '(unset)');
    }
    return checked(Number(idx) + 1, Number(total), `${idx} of ${total}`);
  }
  const m = SHARD.exec(text);
  if (m === null) throw new ScenarioInputError('--shard must be K/N or auto', 'K/N with 1 ≤ K ≤ N, e.g. 2/8, or auto', text);
  return checked(Number(m[1]), Number(m[2]), text);
}

function checked(index: number, count: number, text: string): Shard {
  if (!Number.isSafeInteger(count) || count < 1 || count > 1_000_000 || !Number.isSafeInteger(index) || index < 1 || index > count) {
    throw new ScenarioInputError('shard out of range', 'K/N with 1 ≤ K ≤ N ≤ 1000000', text);
  }
  return { index, count };
}

/** The seeds of shard K of N over [start, start + budget): contiguous, sizes differing by at most one. */
export function shardSeeds(start: number, budget: number, shard: Shard): { readonly seed: number; readonly budget: number } {
  const base = Math.floor(budget / shard.count);
  const extra = budget % shard.count;
  const k = shard.index - 1;
  const before = k * base + Math.min(k, extra);
  return { seed: start + before, budget: base + (k < extra ? 1 : 0) };
}
