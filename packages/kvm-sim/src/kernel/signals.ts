// Signals and kicks: pthread_kill's pending bit, the interruption of an interruptible wait, and handlers
// that run on return to user mode (or at once for a thread blocked in user space).
import type { KernelCore } from './core.js';
import type { BlockResult, SimThread } from './objects.js';
import { SimModelError } from './outcome.js';
import { makeRunnable, removeWaiter } from './runnable.js';
import { KERNEL_HASHED as H } from './trace-sink.js';

export const SIGKILL = 9;

/**
 * kvm_vcpu_kick's IPI: it makes an interruptible sleep or wait end early as a signal would, but it is no
 * signal: nothing is left pending, no handler runs, and a killable or interruptible mutex wait ignores it.
 * A symbol rather than a number, so it can never be taken for a signal bit.
 */
export const KICK: unique symbol = Symbol('kick');

/** What cuts a wait short: a signal number (0–31), or a kick. */
export type InterruptCause = number | typeof KICK;

/** Sends `signal` to `target` (pthread_kill). Interrupts an interruptible wait at once. */
export function kill(k: KernelCore, target: SimThread, signal: number): void {
  if (target.state === 'done') return;
  target.signals |= 1 << signal;
  if (k.tracing) k.trace.ev2n(H.signal, H.kTarget, target.traceName, H.kSignal, signal);
  interrupt(k, target, signal);
}

/** An in-kernel kick (see KICK); returns whether the target's wait was cut short. */
export function kick(k: KernelCore, target: SimThread): boolean {
  if (target.state === 'done') return false;
  return interrupt(k, target, KICK);
}

/** Ends t's interruptible sleep or wait early; returns whether it did. */
export function interrupt(k: KernelCore, t: SimThread, cause: InterruptCause): boolean {
  const pend = t.pending;
  if (t.state === 'runnable' && pend !== null && pend.kind === 'sleep' && pend.interruptible) {
    const remaining = Math.max(0, t.sleepStart + t.sleepNs - k.now);
    if (k.tracing) k.trace.ev2n(H.interrupt, H.kTarget, t.traceName, H.kRemainingNs, remaining);
    makeRunnable(k, t, null, remaining, pend.interruptWakeNs ?? k.costs.signalWakeNs);
    return true;
  }
  if (t.state !== 'blocked') return false;
  const on = t.blockedOn;
  if (on?.kind === 'queue') {
    const op = pend?.kind === 'block-timeout' ? pend.block : pend;
    if (op?.kind === 'block' && op.interruptible) {
      removeWaiter(on.queue.waiters, t);
      if (k.tracing) k.trace.ev2s(H.interrupt, H.kTarget, t.traceName, H.kQueue, on.queue.traceName);
      makeRunnable(k, t, null, 'interrupted' satisfies BlockResult, op.interruptWakeNs ?? k.costs.signalWakeNs);
      return true;
    }
  } else if (on?.kind === 'mutex' && pend?.kind === 'lock' && cause !== KICK) {
    const mode = pend.mode;
    if (mode === 'interruptible' || (mode === 'killable' && cause === SIGKILL)) {
      on.mutex.waiters.remove(t);
      if (k.tracing) k.trace.ev2s(H.interrupt, H.kTarget, t.traceName, H.kMutex, on.mutex.traceName);
      makeRunnable(k, t, null, false, k.costs.signalWakeNs);
      return true;
    }
  }
  // A thread blocked in user space runs its handler asynchronously and keeps waiting.
  if (cause !== KICK && t.inKernel === 0) runHandlers(k, t);
  return false;
}

/** Runs the handlers of t's pending signals, lowest number first, as if t were running them. */
export function runHandlers(k: KernelCore, t: SimThread): void {
  const prev = k.current;
  k.current = t;
  // Jumps from one pending bit to the next (count trailing zeros) instead of testing all 32 numbers: this
  // runs on every step of a thread with a signal pending. A handler raising a lower number than the one it
  // handles leaves it for the next return to user mode, as a scan upwards does.
  for (let from = 0; from < 32; ) {
    const above = t.signals & (-1 << from);
    if (above === 0) break;
    const sig = 31 - Math.clz32(above & -above);
    from = sig + 1;
    const bit = 1 << sig;
    t.signals &= ~bit;
    const h = t.handlers.get(sig);
    if (h !== undefined) {
      if (k.tracing) k.trace.ev1n(H.signalHandler, H.kSignal, sig);
      h(t, sig);
    }
  }
  k.current = prev;
}

/** Return to user mode: pending signal handlers run here, as Linux runs them on syscall exit. */
export function leaveKernel(k: KernelCore, t: SimThread): void {
  if (t.inKernel <= 0) throw new SimModelError(`leaveKernel without enterKernel in ${t.name}`);
  t.inKernel--;
  if (t.inKernel === 0 && t.signals !== 0) runHandlers(k, t);
}
