// Issue 6's exact results for the suites, and input validation.
import { describe, expect, it } from 'vitest';
import { ScenarioInputError } from '../scenario/params.js';
import { runScenario } from '../scenario/run.js';
import { runMatrix } from '../matrix.js';

describe('boot', () => {
  it('N = 8: rfc-v6 has exactly 7 VM-wide pauses, realize-once 0', () => {
    for (const seed of [1, 2, 3]) {
      const rfc = runScenario({ scenario: 'boot', strategy: 'rfc-v6', seed });
      expect(rfc.outcome).toBe('ok');
      expect(rfc.metrics.vmWidePauses).toBe(7);
      expect(rfc.guest.online).toEqual(Array<boolean>(8).fill(true));
      const once = runScenario({ scenario: 'boot', strategy: 'realize-once', seed });
      expect(once.outcome).toBe('ok');
      expect(once.metrics.vmWidePauses).toBe(0);
      expect(once.metrics.ebusy).toBe(0);
    }
  });

  it('upstream-2025 aborts at the first CPU_ON; under target-vcpu it boots with no pause', () => {
    const up = runScenario({ scenario: 'boot', strategy: 'upstream-2025', seed: 1 });
    expect(up.outcome).toBe('abort');
    expect(up.message).toContain('Device or resource busy');
    const tv = runScenario({ scenario: 'boot', strategy: 'upstream-2025', lockPolicy: 'target-vcpu', seed: 1 });
    expect(tv.outcome).toBe('ok');
    expect(tv.metrics.pauseCalls).toBe(0);
  });
});

describe('reboot-loop', () => {
  it('rfc-v6 keeps the first boot’s EOImode = 1 in vCPU 0’s reset value at every later reset, linux boots too; realize-once never', () => {
    const rfc = runScenario({ scenario: 'reboot-loop', strategy: 'rfc-v6', seed: 1 });
    expect(rfc.outcome).toBe('ok');
    expect(rfc.guest.bootsCompleted).toBe(6);
    const cpu0 = rfc.oracle.records.filter((r) => r.cpu === 0 && r.trigger === 'system-reset');
    // 5 system resets × 2 arm_gicv3_icc_reset calls per cpu_reset (AArch64 + AArch32-NS cpreg entries).
    expect(cpu0).toHaveLength(10);
    // Its configured cache is filled from the live value (EOImode 1) at the first system reset, then reused.
    expect(cpu0.map((r) => r.installed)).toEqual(Array<bigint>(10).fill(0x8402n));
    expect(cpu0.every((r) => r.carriesGuestConfig && !r.roMismatch)).toBe(true);
    expect(rfc.oracle.roMismatches).toBe(0);

    const once = runScenario({ scenario: 'reboot-loop', strategy: 'realize-once', seed: 1 });
    expect(once.outcome).toBe('ok');
    expect(once.oracle.records.every((r) => r.installed === 0x8400n)).toBe(true);
    expect(once.oracle.carriedGuestConfig).toBe(0);
  });
});

describe('rfc-v6-simplified', () => {
  it('boot pays nothing (caches filled in the initial reset); device_set pays one main-thread pause per lazily realized vCPU', () => {
    const boot = runScenario({ scenario: 'boot', strategy: 'rfc-v6-simplified', seed: 1 });
    expect(boot.outcome).toBe('ok');
    expect(boot.metrics.vmWidePauses).toBe(0);
    expect(boot.metrics.ebusy).toBe(0);
    const ds = runScenario({ scenario: 'device-set', strategy: 'rfc-v6-simplified', seed: 1 });
    expect(ds.outcome).toBe('ok');
    expect(ds.metrics.vmWidePauses).toBe(2);
    expect(ds.metrics.ebusy).toBe(2);
    const rl = runScenario({ scenario: 'reboot-loop', strategy: 'rfc-v6-simplified', seed: 1 });
    expect(rl.outcome).toBe('ok');
    expect(rl.oracle.carriedGuestConfig).toBe(0);
  });
});

describe('inputs', () => {
  it('rejects unknown scenarios, strategies, parameters and out-of-range values with what is accepted', () => {
    expect(() => runScenario({ scenario: 'bot', strategy: 'rfc-v6' })).toThrow(ScenarioInputError);
    expect(() => runScenario({ scenario: 'bot', strategy: 'rfc-v6' })).toThrow(/unknown scenario; accepted: boot, hotplug-churn.*\(got 'bot'\)/);
    expect(() => runScenario({ scenario: 'boot', strategy: 'rfc-v7' })).toThrow(/unknown strategy; accepted: upstream-2025, rfc-v6, rfc-v6-simplified, realize-once, pause-always \(got 'rfc-v7'\)/);
    expect(() => runScenario({ scenario: 'boot', strategy: 'rfc-v6', params: { vcpus: 0 } })).toThrow(/parameter vcpus must be an integer in range; accepted: 1..512 \(got '0'\)/);
    expect(() => runScenario({ scenario: 'boot', strategy: 'rfc-v6', params: { cpus: 4 } })).toThrow(/unknown parameter; accepted: windowNs.*\(got 'cpus'\)/);
    expect(() => runScenario({ scenario: 'boot', strategy: 'rfc-v6', lockPolicy: 'none' as 'all-vcpus' })).toThrow(/unknown lock policy/);
  });

  it('knows parameters by the table’s own keys only: inherited names are unknown parameters', () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
      const params = JSON.parse(`{${JSON.stringify(name)}: 1}`) as Record<string, number>;
      expect(() => runScenario({ scenario: 'boot', strategy: 'rfc-v6', params })).toThrow(new RegExp(`unknown parameter; accepted: windowNs.*\\(got '${name}'\\)`));
    }
  });
});

describe('determinism', () => {
  it('the same spec twice gives the same trace hash; window 0 vs 2000 differ', () => {
    const a = runScenario({ scenario: 'hotplug-churn', strategy: 'rfc-v6', seed: 9, params: { cycles: 10 } });
    const b = runScenario({ scenario: 'hotplug-churn', strategy: 'rfc-v6', seed: 9, params: { cycles: 10 } });
    expect(a.traceHash).toBe(b.traceHash);
    expect(a.metrics).toEqual(b.metrics);
    const c = runScenario({ scenario: 'hotplug-churn', strategy: 'rfc-v6', seed: 9, params: { cycles: 10, windowNs: 0 } });
    expect(c.traceHash).not.toBe(a.traceHash);
  });
});

describe('matrix', () => {
  it('summarises outcomes and pauses per scenario × strategy row', () => {
    const m = runMatrix({ scenarios: ['boot'], strategies: ['rfc-v6', 'realize-once', 'upstream-2025'], seeds: 2, params: { boot: { vcpus: 4 } } });
    expect(m.rows.map((r) => [r.strategy, r.outcomes.ok, r.outcomes.abort, r.vmWidePauses.median])).toEqual([
      ['rfc-v6', 2, 0, 3],
      ['realize-once', 2, 0, 0],
      ['upstream-2025', 0, 2, 0],
    ]);
  });
});
