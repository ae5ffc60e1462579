// The stable JSON form of a run (`vgicsim run --json`, `vgicsim replay --json`). Changing a key here is a
// breaking change of the CLI's documented schema.
import type { Violation } from '@vgicsim/qemu-arm-model';
import type { ScenarioOutcome, ScenarioResult } from './types.js';

export interface RunJson {
  readonly scenario: string;
  readonly strategy: string;
  readonly lockPolicy: string;
  readonly host: string;
  readonly seed: number;
  readonly outcome: ScenarioOutcome;
  readonly message: string;
  readonly metrics: {
    readonly vmWidePauses: number;
    readonly pauseCalls: number;
    readonly ebusy: number;
    readonly ioctls: Readonly<Record<string, Readonly<Record<string, number>>>>;
    readonly cpuOnLatencyNs: { readonly median: number; readonly max: number };
    readonly vcpuStoppedNs: { readonly total: number; readonly max: number };
    readonly bqlMaxHoldNs: number;
  };
  readonly violations: readonly Violation[];
  /** The reset oracle: resets checked, and those that restored a wrong ICC_CTLR_EL1. */
  readonly oracle: { readonly resets: number; readonly roMismatches: number; readonly carriedGuestConfig: number };
  readonly traceHash: string;
}

export function toRunJson(r: ScenarioResult): RunJson {
  const m = r.metrics;
  return {
    scenario: r.scenario,
    strategy: r.strategy,
    lockPolicy: r.lockPolicy,
    host: r.host,
    seed: r.seed,
    outcome: r.outcome,
    message: r.message,
    metrics: {
      vmWidePauses: m.vmWidePauses,
      pauseCalls: m.pauseCalls,
      ebusy: m.ebusy,
      ioctls: m.ioctls,
      cpuOnLatencyNs: { median: m.cpuOnLatencyNs.median, max: m.cpuOnLatencyNs.max },
      vcpuStoppedNs: { total: m.vcpuStoppedNs.total, max: m.vcpuStoppedNs.max },
      bqlMaxHoldNs: m.bqlMaxHoldNs,
    },
    violations: r.violations.map((v) => ({ ...v })),
    oracle: { resets: r.oracle.records.length, roMismatches: r.oracle.roMismatches, carriedGuestConfig: r.oracle.carriedGuestConfig },
    traceHash: r.traceHash,
  };
}
