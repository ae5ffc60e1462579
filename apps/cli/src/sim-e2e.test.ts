// End-to-end tests of the simulation commands: spawn the built CLI (the root `npm test` builds first).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  if (!existsSync(BIN)) throw new Error(`${BIN} does not exist: run \`npm run build\` at the repository root first`);
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function oneStderrLine(r: { stderr: string }): string {
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0] ?? '';
}

describe('vgicsim run', () => {
  it('boot under rfc-v6 with 8 vCPUs: exactly 7 VM-wide pauses, exit 0, the documented JSON keys', () => {
    const r = cli('run', 'boot', '--strategy', 'rfc-v6', '--vcpus', '8', '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(j)).toEqual(['scenario', 'strategy', 'lockPolicy', 'host', 'seed', 'outcome', 'message', 'metrics', 'violations', 'oracle', 'traceHash']);
    expect(j).toMatchObject({ scenario: 'boot', strategy: 'rfc-v6', lockPolicy: 'all-vcpus', host: 'cortex-a76', seed: 1, outcome: 'ok' });
    const m = j['metrics'] as Record<string, unknown>;
    expect(Object.keys(m)).toEqual(['vmWidePauses', 'pauseCalls', 'ebusy', 'ioctls', 'cpuOnLatencyNs', 'vcpuStoppedNs', 'bqlMaxHoldNs']);
    expect(m['vmWidePauses']).toBe(7);
    expect(j['traceHash']).toMatch(/^[0-9a-f]{16}$/);
  });

  it('boot under upstream-2025: outcome abort naming the failed ioctl, exit 1', () => {
    const r = cli('run', 'boot', '--strategy', 'upstream-2025', '--json');
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout) as { outcome: string; message: string };
    expect(j.outcome).toBe('abort');
    expect(j.message).toContain('KVM_GET_DEVICE_ATTR failed: Group 6 attr 0x000000010000c664: Device or resource busy');
  });
});

describe('vgicsim explore and replay', () => {
  it('parallel-cpu-on under rfc-v6: explore exits 1 and writes a replay file that replay reproduces (same trace hash)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vgicsim-explore-'));
    const e = cli('explore', 'parallel-cpu-on', '--strategy', 'rfc-v6', '--mode', 'pct', '--budget', '2000', '--stop-on-first', '--out', dir, '--json');
    expect(e.status).toBe(1);
    const summary = JSON.parse(e.stdout) as { failures: { outcome: string }[]; replayFiles: string[] };
    expect(summary.failures.length).toBe(1);
    const files = readdirSync(dir);
    expect(files.length).toBe(summary.failures.length);
    const first = summary.failures[0];
    const path = summary.replayFiles[0];
    if (first === undefined || path === undefined) return;
    expect(files).toContain(`${first.outcome}-1.json`);
    const file = JSON.parse(readFileSync(path, 'utf8')) as { traceHash: string; outcome: string };
    const r = cli('replay', path, '--json');
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout) as { traceHash: string; outcome: string };
    expect(j.outcome).toBe(file.outcome);
    expect(j.traceHash).toBe(file.traceHash);
  });

  it('parallel-cpu-on under realize-once: explore finds nothing and exits 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vgicsim-explore-'));
    const e = cli('explore', 'parallel-cpu-on', '--strategy', 'realize-once', '--budget', '100', '--out', dir);
    expect(e.status).toBe(0);
    expect(e.stdout).toContain('no failure found');
    expect(readdirSync(dir)).toEqual([]);
  });
  it('--stop-on-first with --workers auto runs one search (auto never picks a count --stop-on-first refuses)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vgicsim-explore-'));
    // 8000 schedules would make auto pick two workers on a 2-core machine; the first failure stops it.
    const e = cli('explore', 'parallel-cpu-on', '--strategy', 'pause-always', '--mode', 'pct', '--budget', '8000', '--stop-on-first', '--workers', 'auto', '--out', dir);
    expect(e.stderr).toBe('');
    expect(e.status).toBe(1);
    expect(e.stdout).toMatch(/^1 distinct failure\(s\) in \d+ schedule\(s\)$/m);
    expect(readdirSync(dir)).toHaveLength(1);
  });
});

describe('bad input: one line on stderr, exit 2, never a stack trace', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown scenario (with a suggestion)', ['run', 'bot'], /^vgicsim run: unknown scenario \(did you mean boot\?\); accepted: boot, .* \(got 'bot'\)$/],
    ['unknown strategy (with a suggestion)', ['run', 'boot', '--strategy', 'rfc-v5'], /^vgicsim run: unknown strategy \(did you mean rfc-v6\?\); accepted: .*upstream-2025.* \(got 'rfc-v5'\)$/],
    ['non-numeric --vcpus', ['run', 'boot', '--vcpus', 'many'], /^vgicsim run: --vcpus needs a number; accepted: an integer in 1\.\.512 .*\(got 'many'\)$/],
    ['--vcpus out of range', ['run', 'boot', '--vcpus', '513'], /^vgicsim run: --vcpus out of range; accepted: an integer in 1\.\.512 .*\(got '513'\)$/],
    ['--vcpus 0', ['run', 'boot', '--vcpus', '0'], /^vgicsim run: --vcpus out of range; .*\(got '0'\)$/],
    ['unreadable replay file', ['replay', '/nonexistent/replay.json'], /^vgicsim replay: cannot read the replay file; .* \(got '\/nonexistent\/replay.json'\)$/],
    ['unwritable output path', ['run', 'boot', '--svg', '/nonexistent/dir/t.svg'], /^vgicsim run: --svg: the directory does not exist; accepted: a file path in an existing, writable directory, a writable device, or - for stdout \(got '\/nonexistent\/dir\/t.svg'\)$/],
    ['unknown explore mode', ['explore', 'boot', '--strategy', 'rfc-v6', '--mode', 'dfs'], /^vgicsim explore: unknown --mode; accepted: pct, random, exhaustive \(got 'dfs'\)$/],
    ['unknown explore reduction', ['explore', 'boot', '--strategy', 'rfc-v6', '--mode', 'exhaustive', '--reduction', 'dpor'], /^vgicsim explore: unknown --reduction; accepted: sleep-sets\+state-hash, sleep-sets, state-hash, none \(got 'dpor'\)$/],
    ['bad --workers', ['explore', 'boot', '--strategy', 'rfc-v6', '--workers', 'many'], /^vgicsim explore: --workers needs a count or auto; accepted: an integer in 0\.\.256 \(0 = one per core\) or auto \(got 'many'\)$/],
    ['missing explore strategy', ['explore', 'boot'], /^vgicsim explore: missing --strategy; /],
  ];
  for (const [label, args, pattern] of cases) {
    it(label, () => {
      const r = cli(...args);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(oneStderrLine(r)).toMatch(pattern);
    });
  }

  it('malformed replay file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vgicsim-bad-'));
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ version: 3, traceFormat: 2, scenario: 'boot', choices: 'x' }));
    const r = cli('replay', path);
    expect(r.status).toBe(2);
    expect(oneStderrLine(r)).toMatch(/^vgicsim replay: malformed replay file/);
    writeFileSync(path, '{not json');
    expect(oneStderrLine(cli('replay', path))).toMatch(/^vgicsim replay: malformed replay file; accepted: a JSON object/);
  });
});

describe('replay files of trace hash format 1', () => {
  // docs/history/59ad421d66.replay.json as it was before trace format 2: version 2, no traceFormat, and the
  // format 1 hash of the very same run (its choices are unchanged; only the hash format moved).
  const current = JSON.parse(readFileSync(fileURLToPath(new URL('../../../docs/history/59ad421d66.replay.json', import.meta.url)), 'utf8')) as Record<string, unknown>;
  const { traceFormat: _format, ...rest } = current;
  const before: Record<string, unknown> = { ...rest, version: 2, traceHash: '6fc0b86a3d139430' };

  it('are refused: exit 2, nothing on stdout, one line saying what the file has, what is accepted and how to re-record', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vgicsim-format1-'));
    const path = join(dir, 'old.replay.json');
    writeFileSync(path, JSON.stringify(before, null, 2));
    const r = cli('replay', path);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(oneStderrLine(r)).toBe(
      "vgicsim replay: replay file recorded with trace hash format 1, which this build cannot check; re-record it with this build (vgicsim explore boot --strategy upstream-2025 --out DIR, or vgicsim history --replay-dir DIR); accepted: replay files of trace hash format 2 (got 'a version 2 file: written before trace format 2')",
    );
    // A version 1 file (no QEMU options, one seed) is of trace format 1 too.
    writeFileSync(path, JSON.stringify({ version: 1, scenario: 'parallel-cpu-on', params: {}, strategy: 'rfc-v6', lockPolicy: 'all-vcpus', host: 'cortex-a76', seed: 1, choices: [], outcome: 'ok', traceHash: '57626cf4aae5239c' }));
    expect(oneStderrLine(cli('replay', path))).toMatch(/^vgicsim replay: replay file recorded with trace hash format 1, .*vgicsim explore parallel-cpu-on --strategy rfc-v6 --out DIR.* \(got 'a version 1 file: written before trace format 2'\)$/);
  });

  it('re-recorded with the same schedule, the run reproduces with its format 2 hash', () => {
    const r = cli('replay', fileURLToPath(new URL('../../../docs/history/59ad421d66.replay.json', import.meta.url)));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`reproduced: outcome abort and trace hash ${String(current['traceHash'])} match`);
    expect(current['choices']).toEqual(before['choices']);
  });
});

describe('pictures', () => {
  it('--trace writes Chrome Trace Event JSON with one track (thread_name) per thread; --svg a standalone SVG', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vgicsim-pic-'));
    const trace = join(dir, 'run.json');
    const svg = join(dir, 'run.svg');
    const r = cli('run', 'boot', '--vcpus', '4', '--trace', trace, '--svg', svg);
    expect(r.status).toBe(0);
    const doc = JSON.parse(readFileSync(trace, 'utf8')) as { traceEvents: { ph: string; name: string; tid: number; args?: { name?: string } }[] };
    const names = doc.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => e.args?.name);
    expect(names).toEqual(['main', 'CPU 0/KVM', 'CPU 1/KVM', 'CPU 2/KVM', 'CPU 3/KVM']);
    const tids = new Set(doc.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => e.tid));
    expect(tids.size).toBe(5);
    expect(doc.traceEvents.some((e) => e.ph === 'X' && e.name === 'KVM_RUN')).toBe(true);
    expect(doc.traceEvents.some((e) => e.ph === 'X' && e.name === 'pause_all_vcpus')).toBe(true);
    const text = readFileSync(svg, 'utf8');
    expect(text.startsWith('<?xml')).toBe(true);
    for (const lane of ['main', 'CPU 0/KVM', 'CPU 3/KVM']) expect(text).toContain(`>${lane}<`);
    expect(readdirSync(dir).sort()).toEqual(['run.json', 'run.svg']);
  });

  it('compare --html writes one self-contained page with the matrix table', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vgicsim-html-'));
    const html = join(dir, 'm.html');
    const r = cli('compare', 'boot', '--strategies', 'rfc-v6,realize-once', '--seeds', '1', '--param', 'vcpus=4', '--html', html);
    expect(r.status).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<table');
    expect(page).toMatch(/rfc-v6/);
    expect(page).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
  });
});

describe('vgicsim merge', () => {
  it('merging two shard reports equals the unsharded report (outcomes and failures)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vgicsim-merge-'));
    const base = ['explore', 'parallel-cpu-on', '--strategy', 'rfc-v6', '--budget', '30', '--json', '--out', dir];
    const whole = JSON.parse(cli(...base).stdout) as { outcomes: unknown; failures: unknown };
    const paths = ['1/2', '2/2'].map((s, i) => {
      const p = join(dir, `shard-${i + 1}.json`);
      writeFileSync(p, cli(...base, '--shard', s).stdout);
      return p;
    });
    const m = cli('merge', ...paths, '--json');
    expect(m.status).toBe(1);
    const merged = JSON.parse(m.stdout) as { outcomes: unknown; failures: unknown; shards: { indices: number[] } };
    expect(merged.outcomes).toEqual(whole.outcomes);
    expect(merged.failures).toEqual(whole.failures);
    expect(merged.shards.indices).toEqual([1, 2]);
    const bad = cli('merge', paths[0] ?? '', paths[0] ?? '');
    expect(bad.status).toBe(2);
    expect(oneStderrLine(bad)).toMatch(/^vgicsim merge: shard 1 appears twice \(.*shard-1.json and .*shard-1.json\); /);
  });
});
