// What a run is asked to do and what it reports.
import type { HostProfile } from '@vgicsim/gicv3-regs';
import type { ChoiceSource, LockPolicy, RunResult, Simulator, TraceMode, TraceSink } from '@vgicsim/kvm-sim';
import type { ArmVm, IccResetStrategy, OracleRecord, QemuOptions, QemuSettingValue, Violation } from '@vgicsim/qemu-arm-model';
import type { GuestMemory } from '../guests/memory.js';
import type { ParamTable, ParamValue, ResolvedParams } from './params.js';

export type ScenarioOutcome = 'ok' | 'abort' | 'hang' | 'deadlock' | 'stranded-pauser' | 'guest-timeout' | 'budget-exceeded';
export const SCENARIO_OUTCOMES: readonly ScenarioOutcome[] = ['ok', 'abort', 'hang', 'deadlock', 'stranded-pauser', 'guest-timeout', 'budget-exceeded'];

export interface RunSpec {
  readonly scenario: string;
  readonly params?: Readonly<Record<string, ParamValue>>;
  /** A built-in strategy name or a strategy object. */
  readonly strategy: string | IccResetStrategy;
  readonly lockPolicy?: LockPolicy;
  /** Host profile name (default cortex-a76). */
  readonly host?: string;
  readonly seed?: number;
  /** QEMU model options by name (`halt-in-kernel`: false, …; see QEMU_SETTINGS), for every QEMU process. */
  readonly qemuOptions?: Readonly<Record<string, QemuSettingValue>>;
  /** Upstream fixes to revert (QEMU_FIXES ids or commit prefixes). */
  readonly qemuRevert?: readonly string[];
  /** Replaces the seeded choice source (replay, exploration). */
  readonly choice?: ChoiceSource;
  readonly trace?: TraceMode;
  readonly sink?: TraceSink;
  /**
   * Keep the list of choices (needed to replay or shrink the run). Default: on unless `trace` is 'off' —
   * the choices are part of the run's record, and a run without any record keeps constant memory.
   */
  readonly recordChoices?: boolean;
}

/** What a suite gets to build its run. */
export interface SuiteContext {
  readonly params: ResolvedParams;
  readonly strategy: IccResetStrategy;
  readonly lockPolicy: LockPolicy;
  readonly host: HostProfile;
  readonly seed: number;
  readonly sim: Simulator;
  /** QEMU model options every QEMU process of the run gets (the suite may add its own, e.g. a thread prefix). */
  readonly qemu: Partial<QemuOptions>;
}

/** What a suite built: the QEMU processes in order (a migration has two) and the guest's memory. */
export interface SuiteRun {
  readonly vms: readonly ArmVm[];
  readonly mem: GuestMemory;
}

export interface Suite {
  readonly name: string;
  /** One line for lists. */
  readonly summary: string;
  /** What it stresses and why a reviewer cares. */
  readonly description: string;
  readonly params: ParamTable;
  build(ctx: SuiteContext): SuiteRun;
}

export interface Stat {
  readonly median: number;
  readonly max: number;
}

export interface ScenarioMetrics {
  readonly vmWidePauses: number;
  readonly pauseCalls: number;
  readonly pauseLatencyNs: Stat;
  readonly ebusy: number;
  readonly ioctls: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly cpuOnLatencyNs: Stat;
  readonly vcpuStoppedNs: { readonly total: number; readonly max: number };
  readonly bqlMaxHoldNs: number;
  readonly kicks: number;
}

export interface OracleSummary {
  readonly records: readonly OracleRecord[];
  /** Resets whose installed RO fields differ from the host's. */
  readonly roMismatches: number;
  /** Resets that carried a previous guest configuration in CBPR/EOImode. */
  readonly carriedGuestConfig: number;
}

/**
 * A scenario's result. From the simulator's run it keeps `steps`, `choices` (empty unless recorded: see
 * RunSpec.recordChoices), `choiceKinds`, `choiceCount` and `traceHash`.
 */
export interface ScenarioResult extends Pick<RunResult, 'steps' | 'choices' | 'choiceKinds' | 'choiceCount' | 'traceHash'> {
  readonly scenario: string;
  readonly params: ResolvedParams;
  readonly strategy: string;
  readonly lockPolicy: LockPolicy;
  readonly host: string;
  readonly seed: number;
  readonly qemuOptions: Readonly<Record<string, QemuSettingValue>>;
  readonly qemuRevert: readonly string[];
  readonly outcome: ScenarioOutcome;
  readonly message: string;
  readonly metrics: ScenarioMetrics;
  readonly violations: readonly Violation[];
  readonly oracle: OracleSummary;
  readonly guest: {
    readonly failures: readonly string[];
    readonly bootsCompleted: number;
    readonly cyclesDone: number;
    readonly online: readonly boolean[];
  };
  readonly virtualTimeNs: number;
}
