// The run loop: pick the next step from the run queue (a choice among the candidates within the window),
// perform the op the thread is waiting on, resume its body, and queue the step its next op asks for.
import type { KernelCore } from './core.js';
import type { Op, PendingOp, SimThread } from './objects.js';
import { type Outcome, SimAbort, SimModelError } from './outcome.js';
import { runHandlers } from './signals.js';
import {
  BLOCKED,
  type Performed,
  RESCHEDULED,
  expireTimeout,
  performBlock,
  performCondWait,
  performJoin,
  performLock,
  performTrylock,
  performWalk,
  wakeJoiners,
} from './sync-semantics.js';
import { idleOutcome } from './wait-state.js';

/** Steps threads until the run has an outcome (set by a thread, a limit, or an empty queue). */
export function runLoop(k: KernelCore): Outcome {
  while (k.outcome === null) {
    const next = nextThread(k);
    if (next === undefined) {
      k.outcome = idleOutcome(k.threads, k.now);
      break;
    }
    const time = next.queuedAt;
    if (time > k.timeLimitNs) {
      k.outcome = { kind: 'time-limit', message: `virtual time limit of ${k.timeLimitNs} ns reached` };
      break;
    }
    if (++k.steps > k.stepBudget) {
      k.outcome = { kind: 'budget-exceeded', message: `step budget of ${k.stepBudget} exhausted at t=${k.now} ns` };
      break;
    }
    if (time > k.now) k.now = time;
    if (k.onStep !== undefined) k.onStep(next, k.now);
    step(k, next);
  }
  k.current = null;
  return k.outcome;
}

function nextThread(k: KernelCore): SimThread | undefined {
  const q = k.queue;
  const n = q.countCandidates(k.windowNs);
  if (n === 0) return undefined;
  return q.takeCandidate(n === 1 ? 0 : k.choose('schedule', n, k.candidateIds));
}

function step(k: KernelCore, t: SimThread): void {
  k.current = t;
  let value: unknown;
  const op = t.pending;
  if (op !== null) {
    t.pending = null;
    value = perform(k, t, op);
    if (value === BLOCKED || value === RESCHEDULED) {
      k.current = null;
      return;
    }
  } else {
    value = t.resumeValue;
    t.resumeValue = undefined;
  }
  advance(k, t, value);
  k.current = null;
}

function perform(k: KernelCore, t: SimThread, op: PendingOp): Performed {
  switch (op.kind) {
    case 'sleep':
      return 0;
    case 'yield':
      return undefined;
    case 'lock':
      return performLock(k, t, op);
    case 'trylock':
      return performTrylock(k, t, op);
    case 'trylock-walk':
      return performWalk(k, t, op);
    case 'cond-wait':
      return performCondWait(k, t, op);
    case 'block':
      return performBlock(k, t, op);
    case 'block-timeout':
      return expireTimeout(k, t, op);
    case 'join':
      return performJoin(t, op);
  }
}

/** Resumes t's body with `value` and queues the step of the op it yields next (or ends the thread). */
function advance(k: KernelCore, t: SimThread, value: unknown): void {
  if (t.signals !== 0 && t.inKernel === 0) runHandlers(k, t);
  let res: IteratorResult<Op, unknown>;
  try {
    res = t.gen.next(value);
  } catch (e) {
    if (e instanceof SimAbort) {
      k.outcome ??= { kind: 'abort', message: e.message, thread: t.name, time: k.now };
      if (k.tracing) k.trace.kernel('abort', { message: e.message });
      return;
    }
    if (e instanceof SimModelError) throw e.at(t.name, k.now);
    const msg = e instanceof Error ? e.message : String(e);
    const err = new SimModelError(`thread body threw: ${msg}`).at(t.name, k.now);
    err.cause = e;
    throw err;
  }
  if (res.done === true) {
    exitThread(k, t, res.value);
    return;
  }
  const next = res.value;
  t.pending = next;
  switch (next.kind) {
    case 'sleep':
      t.sleepStart = k.now;
      t.sleepNs = next.ns;
      k.schedule(t, next.ns);
      return;
    case 'yield':
      k.schedule(t, next.ns);
      return;
    case 'lock':
    case 'trylock':
      k.schedule(t, next.costNs ?? k.resolve(k.costs.mutexFastPathNs));
      return;
    case 'trylock-walk':
      t.walkIndex = 0;
      k.schedule(t, next.costNs);
      return;
    default:
      k.schedule(t, 0);
  }
}

function exitThread(k: KernelCore, t: SimThread, value: unknown): void {
  k.queue.remove(t);
  t.state = 'done';
  t.result = value;
  t.pending = null;
  if (k.tracing) k.trace.kernel('exit');
  if (!t.daemon && --k.liveNonDaemon === 0) k.outcome ??= { kind: 'ok' };
  wakeJoiners(k, t, value);
}
