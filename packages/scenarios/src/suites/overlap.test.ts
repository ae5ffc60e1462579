// The overlap suites: the injection time is a choice explore can steer, and the failures they exist for.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../scenario/run.js';

const OVERLAP = ['reset-during-cpu-on', 'reset-during-hotplug', 'device-set-during-reboot', 'reset-during-migration', 'stop-during-pause'];

describe('injection time', () => {
  it('by default is one duration choice of the choice source; injectAtUs pins it and removes that choice', () => {
    for (const scenario of OVERLAP) {
      const drawn = runScenario({ scenario, strategy: 'realize-once', seed: 1 });
      const pinned = runScenario({ scenario, strategy: 'realize-once', seed: 1, params: { injectAtUs: 100 } });
      const durations = (kinds: readonly string[]): number => kinds.filter((k) => k === 'duration').length;
      expect(drawn.outcome).toBe('ok');
      expect(pinned.outcome).toBe('ok');
      expect(durations(drawn.choiceKinds) - durations(pinned.choiceKinds)).toBe(1);
      expect(runScenario({ scenario, strategy: 'realize-once', seed: 1 }).traceHash).toBe(drawn.traceHash);
    }
  });

  it('is validated like every parameter', () => {
    expect(() => runScenario({ scenario: 'stop-during-pause', strategy: 'rfc-v6', params: { injectAtUs: -2 } })).toThrow(
      /parameter injectAtUs must be an integer in range; accepted: -1..10000000 \(got '-2'\)/,
    );
  });
});

describe('what the overlaps do', () => {
  it('reset-during-cpu-on, rfc-v6, reset 21 µs into the bring-up: a vCPU pauser resumes inside the main loop’s reset and the main loop hangs', () => {
    // With two ICC reset calls per cpu_reset the schedule moved: 60 µs no longer overlaps; 21 µs does.
    const r = runScenario({ scenario: 'reset-during-cpu-on', strategy: 'rfc-v6', seed: 1, params: { injectAtUs: 21 } });
    expect(r.outcome).toBe('hang');
    expect(r.message).toBe(
      'main can never leave pause_all_vcpus: it waits on qemu_pause_cond for CPU 0/KVM, CPU 1/KVM, CPU 2/KVM to stop, ' +
        'but resume_all_vcpus on CPU 1/KVM withdrew the stop requests and the wait loop never re-asserts them',
    );
    expect(r.violations.map((v) => [v.kind, v.thread])).toEqual([
      ['resume-during-pause', 'CPU 1/KVM'],
      ['hang', 'CPU 1/KVM'],
    ]);
    // The hang verdict ends the run the moment it is certain, before the guest's reboot deadline.
    expect(r.guest.failures).toEqual([]);
  });

  it('reset-during-cpu-on, the same instant: rfc-v6-simplified and realize-once reboot with the one pause of the reset itself', () => {
    for (const strategy of ['rfc-v6-simplified', 'realize-once']) {
      const r = runScenario({ scenario: 'reset-during-cpu-on', strategy, seed: 1, params: { injectAtUs: 21 } });
      expect(r.outcome).toBe('ok');
      expect(r.metrics.vmWidePauses).toBe(1);
      expect(r.violations).toEqual([]);
    }
  });

  it('reset-during-hotplug, pause-always, seed 4: the guest reset strands the plugged vCPU’s pauser', () => {
    const r = runScenario({ scenario: 'reset-during-hotplug', strategy: 'pause-always', seed: 4 });
    expect(r.outcome).toBe('stranded-pauser');
    expect(r.message).toMatch(/^cpu_resume\(CPU 2\/KVM\) while its thread waits in pause_all_vcpus: it can never mark itself stopped again \(t=\d+ ns, main\)$/);
    const last = r.violations.at(-1);
    expect([last?.kind, last?.thread]).toEqual(['stranded-pauser', 'main']);
  });

  it('device-set-during-reboot: rfc-v6-simplified pays exactly the reset’s pause and one main-thread pause for the realized vCPU', () => {
    for (const seed of [1, 2, 3]) {
      const r = runScenario({ scenario: 'device-set-during-reboot', strategy: 'rfc-v6-simplified', seed });
      expect(r.outcome).toBe('ok');
      expect(r.metrics.vmWidePauses).toBe(2);
      expect(r.guest.online).toEqual([true, true, true]);
    }
  });

  it('stop-during-pause, rfc-v6, seed 33, cont 2 µs after stop: the cont resumes everyone while CPU 1’s pauser waits and strands it', () => {
    const r = runScenario({ scenario: 'stop-during-pause', strategy: 'rfc-v6', seed: 33, params: { stoppedUs: 2 } });
    expect(r.outcome).toBe('stranded-pauser');
    expect(r.violations.map((v) => [v.kind, v.thread])).toEqual([
      ['resume-during-pause', 'main'],
      ['stranded-pauser', 'main'],
    ]);
    expect(r.message).toMatch(/^cpu_resume\(CPU 1\/KVM\) while its thread waits in pause_all_vcpus: it can never mark itself stopped again \(t=\d+ ns, main\)/);
    expect(r.guest.failures).toEqual(['the guest did not finish booting after stop/cont within 20 ms']);
  });
});

describe('designs that never read at run time', () => {
  it('reboot through a QMP system_reset anywhere in the CPU_ON window with no pause but the reset’s own (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.constantFrom('realize-once', 'rfc-v6-simplified'), fc.integer({ min: 1, max: 1000 }), (at, strategy, seed) => {
        const r = runScenario({ scenario: 'reset-during-cpu-on', strategy, seed, params: { injectAtUs: at } });
        expect(r.outcome).toBe('ok');
        // The reset's own pause, or none when it lands before any vCPU has left its initial stop.
        expect(r.metrics.vmWidePauses).toBeLessThanOrEqual(1);
        expect(r.metrics.ebusy).toBe(0);
        expect(r.violations).toEqual([]);
      }),
      { numRuns: 25, seed: 14 },
    );
  });
});
