// The oracle column counts resets that restored a wrong value; a migration load is not a reset value.
import { describe, expect, it } from 'vitest';
import { runScenario } from './run.js';

describe('oracle summary', () => {
  it('a migration load carrying the guest EOImode is not counted; resets carrying it are', () => {
    // realize-once on reset-during-migration seed 3: the destination loads the guest's EOImode 1 from the
    // stream (two CPUs' records with trigger 'migration'), every reset installs the host's value.
    const r = runScenario({ scenario: 'reset-during-migration', strategy: 'realize-once', seed: 3 });
    const loads = r.oracle.records.filter((x) => x.trigger === 'migration');
    expect(loads.filter((x) => x.carriesGuestConfig)).toHaveLength(2);
    expect(r.oracle.carriedGuestConfig).toBe(0);
    // rfc-v6 on reboot-loop hands the next guest the previous one's configuration at system resets.
    const carried = runScenario({ scenario: 'reboot-loop', strategy: 'rfc-v6', seed: 1 });
    expect(carried.oracle.carriedGuestConfig).toBe(10);
  });
});
