import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseReplayFile } from '../explore/index.js';
import { replayScenario } from '../scenario/runner.js';
import { historyCases, runHistory } from './history.js';

const DOCS = join(dirname(fileURLToPath(import.meta.url)), '../../../../docs/history');

describe('history suite', () => {
  it('every fix reverted shows the bug its commit describes; applied, the same exploration is clean', () => {
    const rows = runHistory();
    const byFix = Object.fromEntries(rows.map((r) => [r.fix, r]));
    expect(rows.map((r) => [r.fix, r.agrees])).toEqual([
      ['f962cac4c2', true],
      ['0ec7e6779f', true],
      ['96bce6831b', true],
      ['1bd71dce4b', true],
      ['ddad81bd28', true],
      ['59ad421d66', true],
    ]);
    expect(byFix['f962cac4c2']?.found?.outcome).toBe('hang');
    expect(byFix['f962cac4c2']?.found?.message).toMatch(/^src:migration can never leave pause_all_vcpus: .* resume_all_vcpus on src:main withdrew the stop requests/);
    expect(byFix['0ec7e6779f']?.found?.outcome).toBe('violation vcpu-stopped-while-running');
    expect(byFix['96bce6831b']?.found?.message).toMatch(/sleeps on qemu_pause_cond with every vCPU already stopped \(lost wake-up\)$/);
    expect(byFix['1bd71dce4b']?.found?.message).toBe("invalid runstate transition: 'prelaunch' -> 'postmigrate'");
    expect(byFix['ddad81bd28']?.found?.message).toBe("invalid runstate transition: 'prelaunch' -> 'postmigrate'");
    expect(byFix['59ad421d66']?.found?.message).toMatch(/KVM_GET_DEVICE_ATTR failed: .*Device or resource busy/);
    // Every fixed exploration runs its whole budget clean.
    for (const r of rows) expect(r.fixedFailure).toBeNull();
  }, 180_000);

  it('keeps the CI budget: at most 2,000 schedules in all (about 14 s on one core, measured in the README)', () => {
    const total = historyCases().reduce((s, c) => s + 2 * c.scenarioSeeds.length * c.schedules, 0);
    expect(total).toBeLessThanOrEqual(2000);
  });

  it('the replay file of each reverted fix in docs/history reproduces its run, trace hash included', () => {
    const files = readdirSync(DOCS).filter((f) => f.endsWith('.replay.json')).sort();
    expect(files).toEqual(historyCases().map((c) => `${c.fix}.replay.json`).sort());
    for (const name of files) {
      const file = parseReplayFile(readFileSync(join(DOCS, name), 'utf8'));
      const r = replayScenario(file);
      expect([name, r.outcome, r.traceHash]).toEqual([name, file.outcome, file.traceHash]);
    }
  }, 60_000);
});
