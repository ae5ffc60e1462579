// Kernel micro-benchmark (not a test): thread switches and mutex lock/unlock pairs per wall-clock second
// for 2, 64 and 512 simulated threads, trace mode 'off'. Wall time comes from performance.now(), which is
// allowed here only: the simulation kernel itself never reads a clock.
import { performance } from 'node:perf_hooks';
import { Mutex, Simulator } from '../kernel/sim.js';

const THREAD_COUNTS = [2, 64, 512] as const;
const RUNS = 5;
/** Thread steps per measured run (approximately; each workload divides it among its threads). */
const TARGET_STEPS = 400_000;

interface Sample {
  /** Operations counted by the workload (switches or lock+unlock pairs). */
  readonly ops: number;
  readonly ms: number;
}

type Workload = (threads: number, seed: number) => Sample;

/**
 * Thread switches: every thread sleeps a slightly different number of ns in a loop, so each step of the
 * run resumes a different generator (few exact ties: the window is 0). One step = one switch.
 */
const switches: Workload = (threads, seed) => {
  const sim = new Simulator({ seed, trace: 'off' });
  const iters = Math.max(1, Math.floor(TARGET_STEPS / threads));
  for (let i = 0; i < threads; i++) {
    const period = 1000 + 2 * i + 1;
    sim.spawn(`t${i}`, function* () {
      for (let k = 0; k < iters; k++) yield* sim.sleep(period);
    }, { delayNs: i });
  }
  return timed(sim, threads * iters);
};

/**
 * The worst case for the scheduler: every thread sleeps the same period, so each step is an N-way exact
 * tie that goes to the choice source (all N candidates are enumerated, ordered and offered every step).
 */
const LOCKSTEP_STEPS = 30_000;
const lockstep: Workload = (threads, seed) => {
  const sim = new Simulator({ seed, trace: 'off' });
  const iters = Math.max(1, Math.floor(LOCKSTEP_STEPS / threads));
  for (let i = 0; i < threads; i++) {
    sim.spawn(`t${i}`, function* () {
      for (let k = 0; k < iters; k++) yield* sim.sleep(1000);
    });
  }
  return timed(sim, threads * iters);
};

/** Uncontended lock+unlock pairs: every thread has its own mutex (the fast path), then sleeps. */
const uncontended: Workload = (threads, seed) => {
  const sim = new Simulator({ seed, trace: 'off' });
  const iters = Math.max(1, Math.floor(TARGET_STEPS / (2 * threads)));
  for (let i = 0; i < threads; i++) {
    const m = new Mutex(`m${i}`);
    const period = 1000 + 2 * i + 1;
    sim.spawn(`t${i}`, function* () {
      for (let k = 0; k < iters; k++) {
        yield* sim.lock(m);
        sim.unlock(m);
        yield* sim.sleep(period);
      }
    }, { delayNs: i });
  }
  return timed(sim, threads * iters);
};

/**
 * Contended lock+unlock pairs: all threads share one barging mutex, hold it 100 ns and sleep a little
 * longer than the whole group needs, so most attempts find it held, queue, and are woken on release.
 */
const contended: Workload = (threads, seed) => {
  const sim = new Simulator({ seed, trace: 'off' });
  const m = new Mutex('shared', 'barging');
  const iters = Math.max(1, Math.floor(TARGET_STEPS / (4 * threads)));
  for (let i = 0; i < threads; i++) {
    const period = 50 * threads + 2 * i + 1;
    sim.spawn(`t${i}`, function* () {
      for (let k = 0; k < iters; k++) {
        yield* sim.lock(m);
        yield* sim.sleep(100);
        sim.unlock(m);
        yield* sim.sleep(period);
      }
    }, { delayNs: i });
  }
  const s = timed(sim, threads * iters);
  if (m.contentions === 0) throw new Error('contended workload saw no contention');
  return s;
};

function timed(sim: Simulator, ops: number): Sample {
  const t0 = performance.now();
  const r = sim.run();
  const ms = performance.now() - t0;
  if (r.outcome.kind !== 'ok') throw new Error(`bench run ended ${r.outcome.kind}`);
  return { ops, ms };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** Median ops/s over RUNS measured runs after one warm-up run. */
function measure(w: Workload, threads: number): { opsPerSec: number } {
  w(threads, 0);
  const ops: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const s = w(threads, r + 1);
    ops.push((s.ops / s.ms) * 1000);
  }
  return { opsPerSec: median(ops) };
}

function fmt(n: number, width: number): string {
  return Math.round(n).toLocaleString('en-US').padStart(width);
}

const results: Record<string, Record<string, number>> = {};
const rows: string[] = [];
for (const n of THREAD_COUNTS) {
  const sw = measure(switches, n);
  const un = measure(uncontended, n);
  const co = measure(contended, n);
  const ls = measure(lockstep, n);
  results[`threads_${n}`] = {
    switchesPerSec: Math.round(sw.opsPerSec),
    lockstepSwitchesPerSec: Math.round(ls.opsPerSec),
    uncontendedPairsPerSec: Math.round(un.opsPerSec),
    contendedPairsPerSec: Math.round(co.opsPerSec),
  };
  rows.push(`${String(n).padStart(7)} ${fmt(sw.opsPerSec, 12)} ${fmt(un.opsPerSec, 16)} ${fmt(co.opsPerSec, 18)} ${fmt(ls.opsPerSec, 22)}`);
}

console.log(`kvm-sim kernel bench: trace 'off', window 0, median of ${RUNS} runs after a warm-up, ~${TARGET_STEPS} steps per run (${LOCKSTEP_STEPS} all-tied)`);
console.log('threads   switches/s  uncont. pairs/s  contended pairs/s  switches/s (all tied)');
for (const r of rows) console.log(r);
const minSwitches = Math.min(...THREAD_COUNTS.map((n) => results[`threads_${n}`]?.['switchesPerSec'] ?? 0));
console.log(
  `target >= 1,000,000 thread switches/s (staggered column): ${minSwitches >= 1_000_000 ? 'met' : 'MISSED'} (lowest ${minSwitches.toLocaleString('en-US')})`,
);
console.log(JSON.stringify({ bench: 'kvm-sim-kernel', runs: RUNS, results }));
