// Loading designs from files: the worked example runs; every way a module can be wrong is one
// StrategyModuleError naming the file; the content hash pins the design.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { StrategyRuntimeError } from '@vgicsim/qemu-arm-model';
import { describe, expect, it } from 'vitest';
import { runMatrix } from '../matrix.js';
import { runScenario } from './run.js';
import { loadReplayStrategy, makeReplayFile } from './runner.js';
import { StrategyModuleError, hashFile, isStrategyPath, loadStrategyModule } from './strategy-module.js';

const EXAMPLE = resolve(import.meta.dirname, '../../../../docs/examples/reread-on-guest-change.mjs');

function tmpModule(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'vgicsim-strategy-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('strategy modules', () => {
  it('the worked example boots with 0 pauses, carries no guest configuration across reboots, and joins a matrix by name', async () => {
    const s = await loadStrategyModule(EXAMPLE);
    expect(s.name).toBe('reread-on-guest-change');
    expect(s.module.sha256).toBe(hashFile(EXAMPLE));
    const boot = runScenario({ scenario: 'boot', strategy: s, seed: 1 });
    expect(boot.outcome).toBe('ok');
    expect(boot.metrics.vmWidePauses).toBe(0);
    const reboots = runScenario({ scenario: 'reboot-loop', strategy: s, seed: 1 });
    expect(reboots.outcome).toBe('ok');
    expect(reboots.oracle.carriedGuestConfig).toBe(0);
    const m = runMatrix({ scenarios: ['boot'], strategies: ['realize-once', s], seeds: 1, params: { boot: { vcpus: 4 } } });
    expect(m.rows.map((r) => [r.strategy, r.outcomes.ok])).toEqual([
      ['realize-once', 1],
      ['reread-on-guest-change', 1],
    ]);
  });

  it('tells paths from built-in names', () => {
    expect(isStrategyPath('./mine.mjs')).toBe(true);
    expect(isStrategyPath('mine.js')).toBe(true);
    expect(isStrategyPath('mine.ts')).toBe(true);
    expect(isStrategyPath('rfc-v6')).toBe(false);
  });

  it('every bad module is one StrategyModuleError naming the file and the problem', async () => {
    const cases: [string, string, RegExp][] = [
      // Under vitest the import goes through vite's transform, which words it differently from node's SyntaxError.
      ['syntax.mjs', 'export default {', /: (syntax error|threw while loading): .*syntax/i],
      ['throws.mjs', 'throw new Error("no config here");\nexport default {};', /: threw while loading: no config here$/],
      ['shape.mjs', 'export default { name: "x" };', /: wrong export: "description" must be a string; got nothing \(undefined\)$/],
      ['none.mjs', 'export const other = 1;', /: wrong export: the default export must be a strategy object/],
    ];
    for (const [name, text, message] of cases) {
      const path = tmpModule(name, text);
      const err = await loadStrategyModule(path).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StrategyModuleError);
      expect((err as StrategyModuleError).file).toBe(path);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).not.toContain('\n');
    }
    const ts = await loadStrategyModule(tmpModule('design.ts', 'export default {};')).catch((e: unknown) => e);
    expect((ts as Error).message).toMatch(/design\.ts: a TypeScript file: compile it to \.mjs\/\.js first/);
    const missing = await loadStrategyModule('./no/such/design.mjs').catch((e: unknown) => e);
    expect((missing as Error).message).toBe('strategy module ./no/such/design.mjs: no such file');
  });

  it('a hook that throws during a reset surfaces as StrategyRuntimeError, not a model error', async () => {
    const path = tmpModule('bad-reset.mjs', 'export default { name: "bad-reset", description: "", source: "", *resetIccCtlr() { throw new Error("oops"); } };');
    const s = await loadStrategyModule(path);
    expect(() => runScenario({ scenario: 'boot', strategy: s, seed: 1, params: { vcpus: 2 } })).toThrow(StrategyRuntimeError);
    expect(() => runScenario({ scenario: 'boot', strategy: s, seed: 1, params: { vcpus: 2 } })).toThrow(`${path}: resetIccCtlr threw during a run: Error: oops`);
  });

  it('a replay file records path and hash, and refuses the module once it changed', async () => {
    const text = 'export default { name: "pinned", description: "", source: "", *resetIccCtlr({ api }, c) { api.setResetValue(c, 0n); } };';
    const path = tmpModule('pinned.mjs', text);
    const s = await loadStrategyModule(path);
    const file = makeReplayFile({ scenario: 'boot', strategy: s }, { choices: [], traceHash: '00000000', outcome: 'ok' });
    expect(file.strategy).toBe('pinned');
    expect(file.strategyModule).toEqual({ path, sha256: hashFile(path) });
    expect((await loadReplayStrategy(file)) as { name: string }).toMatchObject({ name: 'pinned' });
    writeFileSync(path, `${text}\n// edited\n`);
    await expect(loadReplayStrategy(file)).rejects.toThrow(/changed since it was recorded \(sha256 [0-9a-f]{12}… recorded, [0-9a-f]{12}… now\)/);
  });
});
