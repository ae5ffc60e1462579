// The history suite: each modelled upstream fix, reverted and applied, under the same exploration. With the
// fix reverted the exploration must find the bug its commit message describes; with the fix it must find
// nothing. Rows are independent and deterministic (scenario seeds × schedule seeds, SeededChoice).
import { type ChoicePoint, type ChoiceSource, KERNEL_EVENT, Prng, ReplayChoice, SeededChoice, type TraceEvent, type TraceSink, isKernelEvent } from '@vgicsim/kvm-sim';
import { QEMU_FIXES, type Violation } from '@vgicsim/qemu-arm-model';
import type { ReplayFile } from '../explore/index.js';
import type { ParamValue } from '../scenario/params.js';
import { runScenario } from '../scenario/run.js';
import { type ExplorableSpec, makeReplayFile } from '../scenario/runner.js';
import type { ScenarioResult } from '../scenario/types.js';

/** What the reverted exploration must find: an outcome and its message, or a violation of an invariant. */
export type HistoryExpectation =
  | { readonly outcome: string; readonly message: RegExp }
  | { readonly violation: Violation['kind']; readonly message: RegExp };

export interface HistoryCase {
  /** The fix's id (QEMU_FIXES) or, for a fix expressed as a strategy, its commit. */
  readonly fix: string;
  readonly commit: string;
  readonly subject: string;
  /** The run with the fix reverted, and the same run with it. */
  readonly reverted: ExplorableSpec;
  readonly fixed: ExplorableSpec;
  readonly scenarioSeeds: readonly number[];
  /** Schedule seeds per scenario seed (1 .. schedules). */
  readonly schedules: number;
  readonly expect: HistoryExpectation;
  /** One line: the bug as the commit message describes it. */
  readonly bug: string;
  /**
   * A directed search: when a mutex wakes one of its waiters, or the scheduler picks among threads runnable
   * at the same instant, this thread is passed over (with probability 15/16) — the "woken but waiting for
   * the BQL" thread of a commit's race diagram. Unset: uniform choices.
   */
  readonly starve?: string;
}

/**
 * SeededChoice, except that a starved thread rarely wins a choice it shares with others: a mutex rarely
 * wakes it while others wait too, and the scheduler rarely runs it first among threads runnable at the same
 * instant (a woken thread retries its lock only when it runs, so losing that race is losing the lock too).
 * Still one seeded source: the same seed gives the same run, and the recorded choices replay it exactly
 * without this class.
 */
export class StarvingChoice implements ChoiceSource {
  private readonly prng: Prng;
  constructor(
    seed: number,
    private readonly starved: ReadonlySet<number>,
  ) {
    this.prng = new Prng(seed);
  }
  choose(point: ChoicePoint): number {
    if (point.kind === 'duration' || this.starved.size === 0) return this.prng.nextInt(point.n);
    const others = point.ids.map((id, i) => [id, i] as const).filter(([id]) => !this.starved.has(id));
    const roll = this.prng.nextInt(16);
    if (others.length === 0 || others.length === point.n || roll === 0) return this.prng.nextInt(point.n);
    const pick = others[this.prng.nextInt(others.length)];
    return pick === undefined ? 0 : pick[1];
  }
}

/** The id of the thread called `name` in a run of `spec` (threads are numbered in spawn order). */
function threadId(spec: ExplorableSpec, name: string): number | null {
  const names: string[] = [];
  const sink: TraceSink = {
    write(e: TraceEvent): void {
      if (isKernelEvent(e) && e.kind === KERNEL_EVENT.spawn) names.push(e.data.name);
    },
  };
  runScenario({ ...spec, trace: 'full', sink });
  const i = names.indexOf(name);
  return i < 0 ? null : i;
}

export interface HistoryFinding {
  readonly scenarioSeed: number;
  readonly scheduleSeed: number;
  readonly outcome: string;
  readonly message: string;
  /** Schedules run up to and including the first failing one. */
  readonly schedulesToFailure: number;
  readonly replay: ReplayFile;
}

export interface HistoryRow {
  readonly fix: string;
  readonly commit: string;
  readonly subject: string;
  readonly bug: string;
  /** The reverted exploration's first run showing the expected bug, or null when none did. */
  readonly found: HistoryFinding | null;
  /** Schedules the fixed exploration ran, and the first failure it met (null: all clean). */
  readonly fixedSchedules: number;
  readonly fixedFailure: { readonly scenarioSeed: number; readonly scheduleSeed: number; readonly outcome: string; readonly message: string } | null;
  /** Reverted found the bug and fixed found nothing. */
  readonly agrees: boolean;
}

/** Invariant violations that count as a failure of a run even when it ends ok. */
const FAILING_VIOLATIONS: ReadonlySet<string> = new Set(['hang', 'lost-wakeup', 'vcpu-stopped-while-running', 'vcpu-runs-while-stopped', 'stranded-pauser']);

function failure(r: ScenarioResult): { outcome: string; message: string } | null {
  if (r.outcome !== 'ok') return { outcome: r.outcome, message: r.message };
  const v = r.violations.find((x) => FAILING_VIOLATIONS.has(x.kind));
  return v === undefined ? null : { outcome: `violation ${v.kind}`, message: v.message };
}

function matches(r: ScenarioResult, e: HistoryExpectation): { outcome: string; message: string } | null {
  if ('outcome' in e) return r.outcome === e.outcome && e.message.test(r.message) ? { outcome: r.outcome, message: r.message } : null;
  const v = r.violations.find((x) => x.kind === e.violation && e.message.test(x.message));
  return v === undefined ? null : { outcome: `violation ${v.kind}`, message: v.message };
}

function run(spec: ExplorableSpec, scenarioSeed: number, scheduleSeed: number, starved: ReadonlySet<number>): ScenarioResult {
  const choice = starved.size === 0 ? new SeededChoice(scheduleSeed) : new StarvingChoice(scheduleSeed, starved);
  return runScenario({ ...spec, seed: scenarioSeed, choice, trace: 'off', recordChoices: true });
}

function starvedIds(spec: ExplorableSpec, scenarioSeed: number, name: string | undefined): ReadonlySet<number> {
  if (name === undefined) return new Set();
  const id = threadId({ ...spec, seed: scenarioSeed }, name);
  return new Set(id === null ? [] : [id]);
}

/** Runs one row: the reverted exploration until the expected bug shows, then the whole fixed one. */
export function runHistoryCase(c: HistoryCase): HistoryRow {
  let found: HistoryFinding | null = null;
  let count = 0;
  search: for (const scenarioSeed of c.scenarioSeeds) {
    const starved = starvedIds(c.reverted, scenarioSeed, c.starve);
    for (let scheduleSeed = 1; scheduleSeed <= c.schedules; scheduleSeed++) {
      count++;
      const r = run(c.reverted, scenarioSeed, scheduleSeed, starved);
      const m = matches(r, c.expect);
      if (m === null) continue;
      const spec = { ...c.reverted, seed: scenarioSeed };
      // The replay file holds the run's own choices and the hash of their traced replay.
      const traced = runScenario({ ...spec, choice: new ReplayChoice(r.choices), trace: 'hash' });
      const replay = makeReplayFile(spec, { choices: r.choices, traceHash: traced.traceHash, outcome: r.outcome, seed: scheduleSeed });
      found = { scenarioSeed, scheduleSeed, outcome: m.outcome, message: m.message, schedulesToFailure: count, replay };
      break search;
    }
  }
  let fixedSchedules = 0;
  let fixedFailure: HistoryRow['fixedFailure'] = null;
  clean: for (const scenarioSeed of c.scenarioSeeds) {
    const starved = starvedIds(c.fixed, scenarioSeed, c.starve);
    for (let scheduleSeed = 1; scheduleSeed <= c.schedules; scheduleSeed++) {
      fixedSchedules++;
      const f = failure(run(c.fixed, scenarioSeed, scheduleSeed, starved));
      if (f !== null) {
        fixedFailure = { scenarioSeed, scheduleSeed, ...f };
        break clean;
      }
    }
  }
  return {
    fix: c.fix,
    commit: c.commit,
    subject: c.subject,
    bug: c.bug,
    found,
    fixedSchedules,
    fixedFailure,
    agrees: found !== null && fixedFailure === null,
  };
}

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

const RESETS_DURING_MIGRATION: Readonly<Record<string, ParamValue>> = {
  vcpus: 2,
  cycles: 0,
  iterationMaxUs: 100,
  qmpDuringMigration: 'system-reset',
  qmpCount: 6,
  systemResetAfter: false,
};

function fix(id: string): { commit: string; subject: string; bug: string } {
  const f = QEMU_FIXES.find((x) => x.id === id);
  if (f === undefined) throw new RangeError(`no such fix ${id}`);
  return { commit: f.commit, subject: f.subject, bug: f.bug };
}

function migrationCase(id: string, expect: HistoryExpectation, scenarioSeeds: readonly number[], schedules: number, starve?: string): HistoryCase {
  const base: ExplorableSpec = { scenario: 'migration', strategy: 'realize-once', params: RESETS_DURING_MIGRATION };
  return { fix: id, ...fix(id), reverted: { ...base, qemuRevert: [id] }, fixed: base, scenarioSeeds, schedules, expect, ...(starve === undefined ? {} : { starve }) };
}

/** Every modelled fix, with the exploration that shows it (budgets sized to run in CI within a minute). */
export function historyCases(scale = 1): HistoryCase[] {
  const n = (k: number): number => Math.max(1, Math.round(k * scale));
  return [
    // The race needs the migration thread, woken in pause_all_vcpus, to lose the BQL to the main loop and the
    // vCPUs through the whole system reset (0 in 4000 uniform schedules): this row starves it. Since the reset
    // got longer (two ICC reset calls per cpu_reset, the ITS reset), starving it at lock wakes alone found
    // nothing in 8 x 200 schedules; starving it at same-instant scheduling too finds it within this budget.
    migrationCase('f962cac4c2', { outcome: 'hang', message: /^src:migration can never leave pause_all_vcpus/ }, range(1, 8), n(40), 'src:migration'),
    {
      fix: '0ec7e6779f',
      ...fix('0ec7e6779f'),
      reverted: { scenario: 'stop-cont', strategy: 'realize-once', params: { vcpus: 2, reboots: 3, pairs: 6, spanUs: 2000, maxStoppedUs: 50 }, qemuRevert: ['0ec7e6779f'] },
      fixed: { scenario: 'stop-cont', strategy: 'realize-once', params: { vcpus: 2, reboots: 3, pairs: 6, spanUs: 2000, maxStoppedUs: 50 } },
      scenarioSeeds: range(1, 8),
      schedules: n(20),
      expect: { violation: 'vcpu-stopped-while-running', message: /is marked stopped while still inside kvm_cpu_exec/ },
    },
    migrationCase('96bce6831b', { outcome: 'hang', message: /sleeps on qemu_pause_cond with every vCPU already stopped/ }, range(1, 8), n(20)),
    migrationCase('1bd71dce4b', { outcome: 'abort', message: /^invalid runstate transition: 'prelaunch' -> 'postmigrate'$/ }, range(1, 8), n(20)),
    migrationCase('ddad81bd28', { outcome: 'abort', message: /^invalid runstate transition: 'prelaunch' -> 'postmigrate'$/ }, range(1, 8), n(20)),
    {
      fix: '59ad421d66',
      commit: '59ad421d66df9e53b944475378b6fe389a61612d',
      subject: 'hw/intc/arm_gicv3_kvm: Avoid reading ICC_CTLR_EL1 from kernel in cpuif reset',
      bug: 'a vCPU reset while other vCPUs run reads ICC_CTLR_EL1 from KVM, which returns EBUSY (error_abort)',
      reverted: { scenario: 'boot', strategy: 'upstream-2025', params: { vcpus: 4 } },
      fixed: { scenario: 'boot', strategy: 'realize-once', params: { vcpus: 4 } },
      scenarioSeeds: range(1, 2),
      schedules: n(10),
      expect: { outcome: 'abort', message: /Device or resource busy|EBUSY/ },
    },
  ];
}

export function runHistory(cases: readonly HistoryCase[] = historyCases()): HistoryRow[] {
  return cases.map(runHistoryCase);
}
