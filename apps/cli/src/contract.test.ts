// The CLI contract of apps/cli/README.md ("The contract"), case by case against the built executable:
// each case runs in a fresh temporary directory (the cwd) and asserts the exit code, the one stderr line
// of an error, and exactly the files left behind. The root `npm test` builds before vitest runs.
import { type SpawnSyncReturns, execFileSync, spawn, spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const HANG_REPLAY = fileURLToPath(new URL('../../../docs/rfc-v6-nested-pause-hang.replay.json', import.meta.url));

function freshDir(): string {
  if (!existsSync(BIN)) throw new Error(`${BIN} does not exist: run \`npm run build\` at the repository root first`);
  return mkdtempSync(join(tmpdir(), 'vgicsim-contract-'));
}

interface Ran {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cliIn(cwd: string, args: readonly string[], stdio?: 'full' | number): Ran {
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    ...(typeof stdio === 'number' ? { stdio: ['ignore', stdio, 'pipe'] } : {}),
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file under dir, recursively, relative, sorted (hidden temporary files included). */
function filesIn(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel))) {
      const path = rel === '' ? name : `${rel}/${name}`;
      if (lstatSync(join(dir, path)).isDirectory()) {
        out.push(`${path}/`);
        walk(path);
      } else out.push(path);
    }
  };
  walk('');
  return out.sort();
}

const ERROR_LINE = /^vgicsim [a-z]+: [^\n]+; [^\n]+ \(got '[^\n]*'\)$/;

interface Case {
  readonly label: string;
  /** Prepares the directory; returns extra values for args (by name) if needed. */
  readonly setup?: (dir: string) => void;
  readonly args: readonly string[];
  readonly code: number;
  /** For exit 2: the one stderr line must match. */
  readonly error?: RegExp;
  /** Files left in the cwd afterwards, exactly. */
  readonly files: readonly string[];
  readonly check?: (dir: string, r: Ran) => void;
}

const shard = (patch: (d: Record<string, unknown>) => void) => (dir: string): void => {
  const doc: Record<string, unknown> = {
    version: 1, scenario: 'parallel-cpu-on', strategy: 'rfc-v6', lockPolicy: 'all-vcpus', host: 'cortex-a76', params: { vcpus: 4 },
    mode: 'pct', scenarioSeeds: [1], seedStart: 1, budget: 4, pctDepth: 3, pctSteps: 228, shards: { count: 2, indices: [1] }, schedules: 2,
    outcomes: { ok: 1, 'stranded-pauser': 1 }, failingRuns: 1, firstFailingSeed: 1,
    failures: [{ scenarioSeed: 1, outcome: 'stranded-pauser', message: 'm', messageClass: 'm', seed: 1, occurrences: 1, choices: [1], traceHash: '0123456789abcdef', shrunk: true }],
    interrupted: false, exhausted: null, exhaustiveBound: null, wallMs: 10,
  };
  writeFileSync(join(dir, 'a.json'), JSON.stringify(doc));
  patch(doc);
  writeFileSync(join(dir, 'b.json'), JSON.stringify(doc));
};

const CASES: readonly Case[] = [
  // ---- output files
  {
    label: '--trace on a device writes it in place (the node stays a device)',
    setup: (dir) => {
      try {
        execFileSync('mknod', [join(dir, 'null'), 'c', '1', '3'], { stdio: 'ignore' });
      } catch {
        writeFileSync(join(dir, 'null'), ''); // not root: the case degenerates to a regular file
      }
    },
    args: ['run', 'boot', '--vcpus', '2', '--strategy', 'realize-once', '--trace', 'null'],
    code: 0,
    files: ['null'],
    check: (dir) => {
      const st = statSync(join(dir, 'null'));
      if (st.isCharacterDevice()) expect(st.rdev).toBeGreaterThan(0);
    },
  },
  {
    label: '--svg /dev/stdout is stdout: the SVG on stdout, the report on stderr',
    args: ['run', 'boot', '--vcpus', '2', '--strategy', 'realize-once', '--svg', '/dev/stdout'],
    code: 0,
    files: [],
    check: (_dir, r) => {
      expect(r.stdout.startsWith('<?xml')).toBe(true);
      expect(r.stderr).toMatch(/^boot under realize-once .*: OK$/m);
    },
  },
  {
    label: '--svg - is stdout',
    args: ['run', 'boot', '--vcpus', '2', '--strategy', 'realize-once', '--svg', '-'],
    code: 0,
    files: [],
    check: (_dir, r) => {
      expect(r.stdout.startsWith('<?xml')).toBe(true);
      expect(r.stdout.trimEnd().endsWith('</svg>')).toBe(true);
    },
  },
  {
    label: 'a symlink to a regular file: the target is replaced, the link stays',
    setup: (dir) => {
      writeFileSync(join(dir, 'real.svg'), 'old');
      symlinkSync('real.svg', join(dir, 'link.svg'));
    },
    args: ['run', 'boot', '--vcpus', '2', '--strategy', 'realize-once', '--svg', 'link.svg'],
    code: 0,
    files: ['link.svg', 'real.svg'],
    check: (dir) => {
      expect(lstatSync(join(dir, 'link.svg')).isSymbolicLink()).toBe(true);
      expect(readFileSync(join(dir, 'real.svg'), 'utf8').startsWith('<?xml')).toBe(true);
    },
  },
  {
    label: '--trace - streams the trace to stdout, the report to stderr',
    args: ['run', 'boot', '--vcpus', '2', '--strategy', 'realize-once', '--trace', '-'],
    code: 0,
    files: [],
    check: (_dir, r) => {
      expect((JSON.parse(r.stdout) as { traceEvents: unknown[] }).traceEvents.length).toBe(214);
      expect(r.stderr).toMatch(/^boot under realize-once/);
    },
  },
  {
    label: 'compare --html - prints the page, the table to stderr',
    args: ['compare', 'boot', '--strategies', 'realize-once', '--seeds', '1', '--param', 'vcpus=2', '--html', '-'],
    code: 0,
    files: [],
    check: (_dir, r) => {
      expect(r.stdout).toMatch(/^<!DOCTYPE html>/i);
      expect(r.stderr).toMatch(/^scenario +strategy/);
    },
  },
  {
    label: 'a full device as --trace (ENOSPC during the run): one line, exit 2',
    args: ['run', 'boot', '--vcpus', '2', '--strategy', 'realize-once', '--trace', '/dev/full'],
    code: existsSync('/dev/full') ? 2 : 0,
    error: /^vgicsim run: cannot write output file \(ENOSPC\); .*\(got '\/dev\/full'\)$/,
    files: [],
  },
  { label: 'two outputs on stdout', args: ['run', 'boot', '--trace', '-', '--svg', '-'], code: 2, error: /--trace and --svg both write to stdout/, files: [] },
  { label: '--json and an output on stdout', args: ['run', 'boot', '--json', '--trace', '-'], code: 2, error: /--json and --trace - both write to stdout/, files: [] },
  { label: '--trace X --svg X', args: ['run', 'boot', '--trace', 'x', '--svg', 'x'], code: 2, error: /^vgicsim run: --svg names the same file as --trace; .*\(got 'x'\)$/, files: [] },
  {
    label: '--trace ./x --svg x (one file, two spellings)',
    args: ['run', 'boot', '--trace', './x', '--svg', 'x'],
    code: 2,
    error: /--svg names the same file as --trace/,
    files: [],
  },
  {
    label: 'replay F --trace F',
    setup: (dir) => { copyFileSync(HANG_REPLAY, join(dir, 'f.json')); },
    args: ['replay', 'f.json', '--trace', 'f.json'],
    code: 2,
    error: /^vgicsim replay: --trace names the same file as the replay file; .*\(got 'f.json'\)$/,
    files: ['f.json'],
    check: (dir) => { expect(readFileSync(join(dir, 'f.json'), 'utf8')).toBe(readFileSync(HANG_REPLAY, 'utf8')); },
  },
  { label: '--trace newdir/ (trailing slash)', args: ['run', 'boot', '--trace', 'newdir/'], code: 2, error: /--trace names a directory \(trailing \/\).*\(got 'newdir\/'\)$/, files: [] },
  { label: '--svg naming an existing directory', setup: (dir) => { mkdirSync(join(dir, 'd')); }, args: ['run', 'boot', '--svg', 'd'], code: 2, error: /--svg names a directory; /, files: ['d/'] },
  { label: '--trace in a missing directory', args: ['run', 'boot', '--trace', 'no/such/t.json'], code: 2, error: /--trace: the directory does not exist; /, files: [] },
  { label: '--html in a missing directory (before the matrix runs)', args: ['compare', '--html', 'no/m.html'], code: 2, error: /^vgicsim compare: --html: the directory does not exist; /, files: [] },
  { label: 'explore --out naming a file', setup: (dir) => { writeFileSync(join(dir, 'f'), ''); }, args: ['explore', 'boot', '--strategy', 'rfc-v6', '--out', 'f'], code: 2, error: /--out names a file, not a directory/, files: ['f'] },
  { label: 'explore --out where no directory can be created', setup: (dir) => { writeFileSync(join(dir, 'f'), ''); }, args: ['explore', 'boot', '--strategy', 'rfc-v6', '--out', 'f/sub'], code: 2, error: /--out: cannot create the directory/, files: ['f'] },
  {
    label: '--svg-window outside the run leaves no file',
    args: ['run', 'boot', '--vcpus', '2', '--strategy', 'realize-once', '--trace', 't.json', '--svg', 's.svg', '--svg-window', '900000-900001'],
    code: 2,
    error: /--svg-window lies outside the run/,
    files: [],
  },
  // ---- flag parsing
  { label: 'run boot --trace --json', args: ['run', 'boot', '--trace', '--json'], code: 2, error: /^vgicsim run: --trace needs a value, not an option; accepted: --trace FILE, or --trace=--json .*\(got '--json'\)$/, files: [] },
  { label: 'explore --out --json', args: ['explore', 'boot', '--strategy', 'rfc-v6', '--out', '--json'], code: 2, error: /--out needs a value, not an option/, files: [] },
  {
    label: '--trace=--json is a file named --json, on purpose',
    args: ['run', 'boot', '--vcpus', '2', '--strategy', 'realize-once', '--trace=--json'],
    code: 0,
    files: ['--json'],
  },
  { label: 'a repeated flag', args: ['run', 'boot', '--seed', '1', '--seed', '2'], code: 2, error: /^vgicsim run: --seed given twice; .*\(got '--seed'\)$/, files: [] },
  { label: 'a repeated switch', args: ['scenarios', '--json', '--json'], code: 2, error: /--json given twice/, files: [] },
  { label: '--param constructor=1', args: ['run', 'boot', '--param', 'constructor=1'], code: 2, error: /^vgicsim run: scenario boot has no parameter constructor; accepted parameters: vcpus, windowNs, .*\(got 'constructor=1'\)$/, files: [] },
  { label: '--param __proto__=1', args: ['run', 'boot', '--param', '__proto__=1'], code: 2, error: /has no parameter __proto__/, files: [] },
  { label: 'compare --param toString=1', args: ['compare', 'boot', '--param', 'toString=1'], code: 2, error: /^vgicsim compare: no selected scenario has parameter toString; /, files: [] },
  { label: 'one parameter twice', args: ['run', 'boot', '--param', 'vcpus=2', '--param', 'vcpus=3'], code: 2, error: /parameter vcpus given twice/, files: [] },
  { label: '--vcpus and --param vcpus=', args: ['run', 'boot', '--vcpus', '2', '--param', 'vcpus=3'], code: 2, error: /--vcpus and --param vcpus= both given/, files: [] },
  { label: 'a negative number is a value, refused by range', args: ['run', 'boot', '--seed', '-1'], code: 2, error: /--seed out of range/, files: [] },
  // ---- exit codes
  // Two arm_gicv3_icc_reset calls per cpu_reset (AArch64 and AArch32-NS cpreg, issue 12), each one an oracle
  // record: 84 resets, 10 of them carrying the previous guest's CBPR/EOImode; one call per cpu_reset (the
  // counterfactual below) gives the 42 and 5 of a single call.
  {
    label: 'run reboot-loop --strategy rfc-v6: OK outcome, but the oracle finds carried configuration → 1',
    args: ['run', 'reboot-loop', '--strategy', 'rfc-v6', '--json'],
    code: 1,
    files: [],
    check: (_dir, r) => {
      const j = JSON.parse(r.stdout) as { outcome: string; oracle: { resets: number; roMismatches: number; carriedGuestConfig: number } };
      expect(j.outcome).toBe('ok');
      expect(j.oracle).toEqual({ resets: 84, roMismatches: 0, carriedGuestConfig: 10 });
    },
  },
  {
    label: 'run text names the wrong value next to OK',
    args: ['run', 'reboot-loop', '--strategy', 'rfc-v6'],
    code: 1,
    files: [],
    check: (_dir, r) => { expect(r.stdout).toMatch(/: OK, WRONG VALUE RESTORED \(oracle: 10 carrying a previous guest configuration\)$/m); },
  },
  {
    label: 'run reboot-loop --strategy rfc-v6 with one ICC reset call per cpu_reset: half the oracle records, still → 1',
    args: ['run', 'reboot-loop', '--strategy', 'rfc-v6', '--param', 'resetCallsPerCpuReset=1', '--json'],
    code: 1,
    files: [],
    check: (_dir, r) => { expect((JSON.parse(r.stdout) as { oracle: unknown }).oracle).toEqual({ resets: 42, roMismatches: 0, carriedGuestConfig: 5 }); },
  },
  { label: 'compare exits 0 whatever it finds', args: ['compare', 'boot', '--strategies', 'upstream-2025', '--seeds', '1', '--param', 'vcpus=2'], code: 0, files: [] },
  { label: 'compare --fail-on abort with an abort → 1', args: ['compare', 'boot', '--strategies', 'upstream-2025', '--seeds', '1', '--param', 'vcpus=2', '--fail-on', 'abort'], code: 1, files: [] },
  { label: 'compare --fail-on abort,hang without either → 0', args: ['compare', 'boot', '--strategies', 'realize-once', '--seeds', '1', '--param', 'vcpus=2', '--fail-on', 'abort,hang'], code: 0, files: [] },
  { label: 'compare --fail-on oracle → 1 on reboot-loop/rfc-v6', args: ['compare', 'reboot-loop', '--strategies', 'rfc-v6', '--seeds', '1', '--fail-on', 'oracle'], code: 1, files: [] },
  { label: 'compare --fail-on with an unknown class', args: ['compare', '--fail-on', 'aborts'], code: 2, error: /^vgicsim compare: unknown name in --fail-on \(did you mean abort\?\); accepted: abort, hang, timeout, other, violations, oracle \(got 'aborts'\)$/, files: [] },
  { label: 'start --fail-on with an unknown class', args: ['start', '--fail-on', 'x'], code: 2, error: /^vgicsim start: unknown name in --fail-on; /, files: [] },
  {
    label: 'replay that reproduces its failure → 1',
    setup: (dir) => { copyFileSync(HANG_REPLAY, join(dir, 'f.json')); },
    args: ['replay', 'f.json'],
    code: 1,
    files: ['f.json'],
    check: (_dir, r) => { expect(r.stdout).toMatch(/^reproduced: outcome stranded-pauser/m); },
  },
  {
    label: 'replay that no longer reproduces → 3',
    setup: (dir) => { writeFileSync(join(dir, 'f.json'), readFileSync(HANG_REPLAY, 'utf8').replace(/"traceHash": "[0-9a-f]+"/, '"traceHash": "00000000deadbeef"')); },
    args: ['replay', 'f.json', '--json'],
    code: 3,
    files: ['f.json'],
    check: (_dir, r) => { expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^vgicsim replay: the run does not match the file \(outcome stranded-pauser vs stranded-pauser, trace [0-9a-f]+ vs 00000000deadbeef\)/)]); },
  },
  // ---- merge
  { label: 'merge: an outcome count that is not a number', setup: shard((d) => (d['outcomes'] = { ok: 'x', 'stranded-pauser': 1 })), args: ['merge', 'a.json', 'b.json'], code: 2, error: /^vgicsim merge: b.json: bad field outcomes.ok; accepted: an integer in 0..2 \(got '"x"'\)$/, files: ['a.json', 'b.json'] },
  { label: 'merge: a failure of the wrong shape', setup: shard((d) => (d['failures'] = [{ bogus: 1 }])), args: ['merge', 'a.json', 'b.json'], code: 2, error: /^vgicsim merge: b.json: bad field failures\[0\]\.bogus; /, files: ['a.json', 'b.json'] },
  { label: 'merge: negative schedules', setup: shard((d) => (d['schedules'] = -2)), args: ['merge', 'a.json', 'b.json'], code: 2, error: /b.json: bad field schedules; accepted: an integer in 0..4 \(got '-2'\)/, files: ['a.json', 'b.json'] },
  { label: 'merge: fractional schedules', setup: shard((d) => (d['schedules'] = 1.5)), args: ['merge', 'a.json', 'b.json'], code: 2, error: /b.json: bad field schedules; /, files: ['a.json', 'b.json'] },
  { label: 'merge: shard index 7 of 3', setup: shard((d) => (d['shards'] = { count: 3, indices: [7] })), args: ['merge', 'a.json', 'b.json'], code: 2, error: /b.json: bad field shards.indices\[0\]; accepted: a shard number in 1..3 \(got '7'\)/, files: ['a.json', 'b.json'] },
  { label: 'merge: the same shard twice', setup: shard(() => undefined), args: ['merge', 'a.json', 'b.json'], code: 2, error: /^vgicsim merge: shard 1 appears twice \(a.json and b.json\); /, files: ['a.json', 'b.json'] },
  { label: 'merge: a different strategy', setup: shard((d) => ((d['strategy'] = 'pause-always'), (d['shards'] = { count: 2, indices: [2] }))), args: ['merge', 'a.json', 'b.json'], code: 2, error: /^vgicsim merge: b.json: field strategy differs from a.json; /, files: ['a.json', 'b.json'] },
  { label: 'merge: a different budget', setup: shard((d) => ((d['budget'] = 6), (d['shards'] = { count: 2, indices: [2] }))), args: ['merge', 'a.json', 'b.json'], code: 2, error: /b.json: field budget differs from a.json/, files: ['a.json', 'b.json'] },
  {
    label: 'merge: a missing shard is a warning, failures found → 1',
    setup: shard(() => undefined),
    args: ['merge', 'a.json'],
    code: 1,
    files: ['a.json', 'b.json'],
    check: (_dir, r) => { expect(r.stderr).toMatch(/^vgicsim merge: warning: shards 1 of 2 present/); },
  },
];

describe('the CLI contract, case by case (built executable, cwd in a temporary directory)', () => {
  it.each(CASES)('$label', ({ setup, args, code, error, files, check }) => {
    const dir = freshDir();
    setup?.(dir);
    const r = cliIn(dir, args);
    expect({ status: r.status, stderr: r.stderr }).toMatchObject({ status: code });
    if (code === 2) {
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(ERROR_LINE);
      expect(lines[0]).toMatch(error ?? /./);
      expect(r.stdout).toBe('');
    }
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(filesIn(dir)).toEqual([...files].sort());
    check?.(dir, r);
  });
});

describe('stdout and stderr', () => {
  it('a full stdout (registers > /dev/full): one line, exit 2', () => {
    if (!existsSync('/dev/full')) return;
    const fd = openSync('/dev/full', 'w');
    try {
      const r = cliIn(freshDir(), ['registers'], fd);
      expect(r.status).toBe(2);
      expect(r.stderr.trimEnd().split('\n')).toEqual(["vgicsim registers: cannot write to stdout (ENOSPC); accepted: a stdout with room to write (got 'stdout')"]);
    } finally {
      closeSync(fd);
    }
  });

  it('a closed stdout (… | head): quiet, exit 141', async () => {
    const dir = freshDir();
    // The reader closes before the first write: every write meets EPIPE, whatever the pipe's size.
    const child = spawn(process.execPath, [BIN, 'replay', HANG_REPLAY, '--json'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(status).toBe(141);
    expect(stderr).toBe('');
    expect(filesIn(dir)).toEqual([]);
  });
});

describe('an unwritable --out is refused before exploring', () => {
  it('explore --out DIR with DIR existing but not writable: exit 2 at once, nothing explored', () => {
    const dir = freshDir();
    let out = join(dir, 'ro');
    mkdirSync(out);
    chmodSync(out, 0o555);
    try {
      accessSync(out, constants.W_OK);
      // Root writes anywhere; a directory the kernel refuses even to root stands in.
      out = '/proc/sys';
      accessSync(out, constants.W_OK);
      return; // no unwritable directory available here
    } catch {
      // out is unwritable: the case applies.
    }
    const r = cliIn(dir, ['explore', 'parallel-cpu-on', '--strategy', 'rfc-v6', '--budget', '100000', '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^vgicsim explore: --out: the directory is not writable; accepted: a writable directory, or a path where one can be created \(got '.*'\)$/)]);
    chmodSync(join(dir, 'ro'), 0o755);
  });
});

describe('signals', () => {
  it('SIGINT during a traced run: the default action ends it at once, and its temporary file does not survive', async () => {
    const dir = freshDir();
    const child = spawn(process.execPath, [BIN, 'run', 'hotplug-churn', '--strategy', 'realize-once', '--cycles', '100000', '--trace', 't.json'], { cwd: dir, stdio: 'ignore' });
    // Wait for the temporary trace file: the run is under way and writing.
    const started = await waitFor(() => readdirSync(dir).some((f) => f.endsWith('.tmp')), 60_000);
    expect(started).toBe(true);
    child.kill('SIGINT');
    const ended = await new Promise<[number | null, string | null]>((resolve) => child.on('close', (code, signal) => { resolve([code, signal]); }));
    expect(ended).toEqual([null, 'SIGINT']);
    // The guard process notices the end within a second or so and removes the temporary file.
    expect(await waitFor(() => readdirSync(dir).length === 0, 30_000)).toBe(true);
  });
});

describe('signals stop an exploration cleanly', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s during explore --workers 2: workers stop, a partial report marked interrupted, unshrunk replay files that replay', async (signal, code) => {
    const dir = freshDir();
    const child = spawn(process.execPath, [BIN, 'explore', 'parallel-cpu-on', '--strategy', 'rfc-v6', '--budget', '100000', '--workers', '2', '--json', '--out', 'fails'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // --out is created after every check and just before the workers start; give them time to find something.
    expect(await waitFor(() => existsSync(join(dir, 'fails')), 60_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 3000));
    child.kill(signal);
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(status).toBe(code);
    const report = JSON.parse(stdout) as { interrupted: boolean; budget: number; schedules: number; outcomes: Record<string, number>; failures: { outcome: string; shrunk: boolean }[]; replayFiles: string[] };
    expect(report.interrupted).toBe(true);
    expect(report.schedules).toBeLessThan(report.budget);
    expect(Object.values(report.outcomes).reduce((a, b) => a + b, 0)).toBe(report.schedules);
    expect(stderr.trimEnd().split('\n')).toEqual([`vgicsim explore: interrupted by ${signal} after ${report.schedules} of ${report.budget} schedules; the report above is partial`]);
    expect(report.failures.length).toBeGreaterThan(0);
    expect(report.failures.every((f) => !f.shrunk)).toBe(true);
    expect(report.replayFiles).toHaveLength(report.failures.length);
    // Exactly the replay files, no temporary file.
    expect(filesIn(dir)).toEqual(['fails/', ...report.replayFiles.map((f) => `fails/${f.split('/').at(-1) ?? ''}`)].sort());
    const first = report.replayFiles[0] ?? '';
    const replayed = cliIn(dir, ['replay', first, '--json']);
    expect(replayed.status).toBe(1);
    expect((JSON.parse(replayed.stdout) as { outcome: string }).outcome).toBe(report.failures[0]?.outcome);
  });
});

async function waitFor(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}
