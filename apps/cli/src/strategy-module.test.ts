// --strategy ./design.mjs end to end on the built CLI: the worked example through run, compare --html,
// explore (on worker threads) and replay; every bad module is exit 2 and one stderr line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../../../docs/examples/reread-on-guest-change.mjs', import.meta.url));

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  if (!existsSync(BIN)) throw new Error(`${BIN} does not exist: run \`npm run build\` at the repository root first`);
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'vgicsim-cli-strategy-'));
}

describe('the worked example module', () => {
  it('runs through run, compare --html and explore --workers 2', () => {
    const run = cli('run', 'reboot-loop', '--strategy', EXAMPLE, '--json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ strategy: 'reread-on-guest-change', outcome: 'ok' });

    const dir = tmp();
    const html = join(dir, 'report.html');
    const cmp = cli('compare', 'boot', 'device-set', '--strategies', `rfc-v6,${EXAMPLE}`, '--seeds', '1', '--html', html, '--json');
    expect(cmp.stderr).toBe('');
    expect(cmp.status).toBe(0);
    const rows = (JSON.parse(cmp.stdout) as { rows: { scenario: string; strategy: string; outcomes: { ok: number; 'guest-timeout': number } }[] }).rows;
    // device_set realizes the enabled CPU lazily and, as posted, resumes it only if hotplugged (issue 12): a
    // design that does not pause at that reset (like realize-once) leaves it stopped, and the guest times out.
    expect(rows.map((r) => `${r.scenario}/${r.strategy}/ok ${r.outcomes.ok}/timeout ${r.outcomes['guest-timeout']}`)).toEqual([
      'boot/rfc-v6/ok 1/timeout 0',
      'boot/reread-on-guest-change/ok 1/timeout 0',
      'device-set/rfc-v6/ok 1/timeout 0',
      'device-set/reread-on-guest-change/ok 0/timeout 1',
    ]);
    expect(readFileSync(html, 'utf8')).toContain('reread-on-guest-change');

    const exp = cli('explore', 'parallel-cpu-on', '--strategy', EXAMPLE, '--budget', '40', '--workers', '2', '--out', join(dir, 'f'), '--json');
    expect(exp.stderr).toBe('');
    expect(exp.status).toBe(0);
    expect(JSON.parse(exp.stdout)).toMatchObject({ strategy: 'reread-on-guest-change', schedules: 40, failures: [] });
  });

  it('a replay file of a module strategy records path and hash, replays, and refuses the module once edited', () => {
    const dir = tmp();
    const design = join(dir, 'aborts.mjs');
    // Aborts QEMU on the first CPU_ON: a failure explore finds at once, so it writes a replay file.
    const text =
      'export default { name: "aborts", description: "", source: "", *resetIccCtlr({ api }, c) {\n' +
      '  const r = yield* api.readIccCtlr(c, null); if (r.ret !== 0) api.abort("busy"); api.setResetValue(c, r.value); } };\n';
    writeFileSync(design, text);
    const out = join(dir, 'f');
    const exp = cli('explore', 'boot', '--strategy', design, '--vcpus', '2', '--budget', '3', '--out', out);
    expect(exp.status).toBe(1);
    const files = readdirSync(out);
    expect(files).toEqual(['abort-1.json']);
    const file = join(out, 'abort-1.json');
    const recorded = JSON.parse(readFileSync(file, 'utf8')) as { strategy: string; strategyModule: { path: string; sha256: string } };
    expect(recorded.strategy).toBe('aborts');
    expect(recorded.strategyModule.path).toBe(design);
    expect(recorded.strategyModule.sha256).toMatch(/^[0-9a-f]{64}$/);
    const ok = cli('replay', file);
    expect(ok.stdout).toContain('reproduced: outcome abort');
    writeFileSync(design, `${text}// edited\n`);
    const refused = cli('replay', file);
    expect(refused.status).toBe(2);
    expect(refused.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/^vgicsim replay: bad strategy module \(changed since it was recorded \(sha256 [0-9a-f]{12}… recorded, [0-9a-f]{12}… now\); refusing to run a different design\); .* \(got '.*aborts\.mjs'\)\n$/);
  });
});

describe('bad strategy modules', () => {
  const dir = tmp();
  const write = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const cases: [string, () => string, RegExp][] = [
    ['missing file', () => join(dir, 'absent.mjs'), /bad strategy module \(no such file\); .*absent\.mjs'\)$/],
    ['syntax error', () => write('syntax.mjs', 'export default {\n'), /bad strategy module \(syntax error: Unexpected end of input\); .*syntax\.mjs'\)$/],
    ['wrong export', () => write('shape.mjs', 'export default function strategy() {}\n'), /bad strategy module \(wrong export: the default export must be a strategy object .*got a function\); .*shape\.mjs'\)$/],
    ['throws at load', () => write('load.mjs', 'throw new Error("config missing");\n'), /bad strategy module \(threw while loading: config missing\); .*load\.mjs'\)$/],
    [
      'throws during a reset',
      () => write('reset.mjs', 'export default { name: "r", description: "", source: "", *resetIccCtlr() { throw new Error("bad cache"); } };\n'),
      /the strategy module failed during the run \(resetIccCtlr threw during a run: Error: bad cache\); .*reset\.mjs'\)$/,
    ],
  ];
  for (const [what, make, message] of cases) {
    it(`${what}: exit 2 and one line naming the file, in run, compare and explore`, () => {
      const path = make();
      for (const args of [
        ['run', 'boot', '--vcpus', '2', '--strategy', path],
        ['compare', 'boot', '--seeds', '1', '--strategies', `realize-once,${path}`],
        ['explore', 'boot', '--vcpus', '2', '--budget', '2', '--workers', '2', '--out', join(dir, 'out'), '--strategy', path],
      ]) {
        const r = cli(...args);
        expect(r.status).toBe(2);
        const lines = r.stderr.trimEnd().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(new RegExp(`^vgicsim ${args[0]}: `));
        expect(lines[0]).toMatch(message);
      }
    });
  }
});
