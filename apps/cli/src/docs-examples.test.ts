// Every example the user is shown — each command's help examples and every command line in a README code
// block — is executed with the built CLI (through the committed bin shim) and must do what the text around
// it says: the exit code, the key lines of its output, the files it writes. An example with no expectation
// below fails the test, so a new example cannot be added without saying what it shows. `npm start`'s output
// must equal the table pasted in the root README. Needs the build (`npm test` runs it first).
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from './command-table.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SHIM = join(ROOT, 'apps', 'cli', 'bin', 'vgicsim.js');
const READMES = ['README.md', 'packages/gicv3-regs/README.md', 'packages/kvm-sim/README.md', 'packages/qemu-arm-model/README.md', 'packages/scenarios/README.md', 'apps/cli/README.md'];
const REPLAY_DOC = 'docs/rfc-v6-nested-pause-hang.replay.json';
const EXAMPLE_DESIGN = 'docs/examples/reread-on-guest-change.mjs';

interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly dir: string;
}

interface Expectation {
  readonly exit: number;
  /** Checks the output (stdout, or the redirected file's content) and the files in the working directory. */
  readonly check: (r: Result) => void;
  /** Runs after this example, in the same directory (it reads what that one wrote). */
  readonly after?: string;
}

const json = (r: Result): Record<string, unknown> => JSON.parse(r.stdout) as Record<string, unknown>;
const file = (r: Result, name: string): string => readFileSync(join(r.dir, name), 'utf8');
const STRANDED = /^parallel-cpu-on under rfc-v6 \(all-vcpus, host cortex-a76, seed \d+\): STRANDED-PAUSER$/m;

/** The table the root README pastes under "What `npm start` prints". */
function readmeStartTable(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## What `npm start` prints'));
  const m = /\n```\n([\s\S]*?)\n```/.exec(section);
  if (m?.[1] === undefined) throw new Error('README.md: no output block under "What `npm start` prints"');
  return m[1];
}

function explored(r: Result, schedules: number): void {
  expect(r.stdout).toMatch(new RegExp(`^explored ${schedules} schedule\\(s\\) of parallel-cpu-on under rfc-v6 \\(pct, seeds from 1`, 'm'));
  expect(r.stdout).toMatch(/stranded-pauser \d+/);
  expect(readdirSync(join(r.dir, 'vgicsim-failures'))).toContain('stranded-pauser-1.json');
}

function shard(r: Result): void {
  const report = JSON.parse(file(r, 'shard-3.json')) as { shards: unknown; schedules: number; outcomes: Record<string, number> };
  expect(report.shards).toEqual({ count: 8, indices: [3] });
  expect(report.schedules).toBe(1000);
  expect(report.outcomes['stranded-pauser']).toBe(133);
}

const CLI_PREFIXES = ['node apps/cli/dist/bin.js ', 'npx vgicsim ', 'vgicsim '];
const NAMES = new Set(COMMANDS.map((c) => c.spec.name));

const EXPECT: Readonly<Record<string, Expectation>> = {
  'decode ICC_CTLR_EL1 0x8400': { exit: 0, check: (r) => { expect(r.stdout).toMatch(/^ICC_CTLR_EL1 = 0x0000000000008400 [\s\S]*^10:8 +PRIbits +RO +4 /m); } },
  'decode ICC_CTLR_EL1 0x8400 --json': { exit: 0, check: (r) => { expect(json(r)).toMatchObject({ register: 'ICC_CTLR_EL1', fields: { PRIbits: 4, A3V: 1 } }); } },
  'decode s3_4_c12_c11_1 0x90280003 --json': { exit: 0, check: (r) => { expect(json(r)).toMatchObject({ register: 'ICH_VTR_EL2', fields: { PRIbits: 4, PREbits: 4 } }); } },
  'encode ICC_CTLR_EL1 PRIbits=4 A3V=1': { exit: 0, check: (r) => { expect(r.stdout).toMatch(/^ICC_CTLR_EL1 = 0x0000000000008400 /); } },
  'encode MPIDR_EL1 aff1=1 aff0=3 --json': { exit: 0, check: (r) => { expect(json(r)).toMatchObject({ register: 'MPIDR_EL1', value: '0x0000000080000103' }); } },
  'attr ICC_CTLR_EL1 --vcpu 19': { exit: 0, check: (r) => { expect(r.stdout).toMatch(/^attr +0x000001030000c664 /m); } },
  'attr ICC_PMR_EL1 --affinity 0.0.1.3 --json': { exit: 0, check: (r) => { expect(json(r)).toEqual({ register: 'ICC_PMR_EL1', sysregId: '0xc230', attr: '0x000001030000c230', affinity: '0.0.1.3' }); } },
  registers: { exit: 0, check: (r) => { expect(r.stdout).toMatch(/^ICC_CTLR_EL1 +S3_0_C12_C12_4 /m); } },
  'registers --json': { exit: 0, check: (r) => { expect(JSON.parse(r.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'ICC_CTLR_EL1' })])); } },
  start: { exit: 0, check: (r) => { expect(r.stdout.trimEnd()).toBe(readmeStartTable()); } },
  'run boot --strategy rfc-v6 --vcpus 8': { exit: 0, check: (r) => { expect(r.stdout).toMatch(/: OK\n[\s\S]*VM-wide pauses 7 /); } },
  'run hotplug-churn --strategy pause-always --cycles 50 --json': { exit: 0, check: (r) => { expect(json(r)).toMatchObject({ scenario: 'hotplug-churn', strategy: 'pause-always', outcome: 'ok' }); } },
  // The help calls the picture hang.svg: the run must end in a hang, and the picture must be written.
  'run reboot-loop --strategy pause-always --svg hang.svg': {
    exit: 1,
    check: (r) => {
      // The oracle's finding follows the outcome on the same line (the run also restores a carried value).
      expect(r.stdout).toMatch(/^reboot-loop under pause-always .*: STRANDED-PAUSER(, WRONG VALUE RESTORED \(oracle: \d+ carrying a previous guest configuration\))?$/m);
      expect(file(r, 'hang.svg')).toMatch(/<svg /);
    },
  },
  compare: { exit: 0, check: (r) => { expect(r.stdout).toMatch(/^boot +upstream-2025 +all-vcpus +0 +3 /m); } },
  'compare boot hotplug-churn --strategies rfc-v6,realize-once --seeds 5': {
    exit: 0,
    check: (r) => {
      expect(r.stdout).toMatch(/^boot +rfc-v6 +all-vcpus +5 +0 /m);
      expect(r.stdout).toMatch(/^hotplug-churn +realize-once +all-vcpus +5 +0 /m);
    },
  },
  'compare --html report.html': { exit: 0, check: (r) => { expect(file(r, 'report.html')).toMatch(/^<!DOCTYPE html>[\s\S]*data-row="boot\|rfc-v6\|all-vcpus"/); } },
  'explore parallel-cpu-on --strategy rfc-v6 --budget 2000': { exit: 1, check: (r) => { explored(r, 2000); } },
  'explore parallel-cpu-on --strategy realize-once --budget 500 --json': { exit: 0, check: (r) => { expect(json(r)).toMatchObject({ schedules: 500, outcomes: { ok: 500 }, failures: [] }); } },
  'explore parallel-cpu-on --strategy rfc-v6 --budget 8000 --shard 3/8 --workers 0 --json > shard-3.json': { exit: 1, check: shard },
  'explore parallel-cpu-on --strategy rfc-v6 --budget 8000 --shard 3/8 --json --out failures > shard-3.json': {
    exit: 1,
    check: (r) => {
      shard(r);
      expect(readdirSync(join(r.dir, 'failures')).some((f) => /^stranded-pauser-s3-\d+\.json$/.test(f))).toBe(true);
    },
  },
  'merge shard-*.json --json > merged.json': {
    exit: 1,
    after: 'explore parallel-cpu-on --strategy rfc-v6 --budget 8000 --shard 3/8 --workers 0 --json > shard-3.json',
    check: (r) => {
      expect(JSON.parse(file(r, 'merged.json'))).toMatchObject({ shards: { count: 8, indices: [3] }, schedules: 1000 });
      expect(r.stderr).toMatch(/warning: shards 3 of 8 present/);
    },
  },
  'merge shard-*.json': {
    exit: 1,
    after: 'explore parallel-cpu-on --strategy rfc-v6 --budget 8000 --shard 3/8 --json --out failures > shard-3.json',
    check: (r) => { expect(r.stdout).toMatch(/^explored 1000 schedule\(s\) of parallel-cpu-on under rfc-v6 \(pct, seeds from 1, shards 3 of 8\)/m); },
  },
  // A replay of a reproduced failure exits 1 (the run fails, as the failure does) and draws it.
  'replay vgicsim-failures/stranded-pauser-1.json --svg hang.svg': {
    exit: 1,
    after: 'explore parallel-cpu-on --strategy rfc-v6 --budget 2000',
    check: (r) => {
      expect(r.stdout).toMatch(STRANDED);
      expect(file(r, 'hang.svg')).toMatch(/<svg /);
    },
  },
  'replay vgicsim-failures/stranded-pauser-1.json --svg hang.svg --trace hang.json': {
    exit: 1,
    after: 'explore parallel-cpu-on --strategy rfc-v6 --budget 2000',
    check: (r) => {
      expect(r.stdout).toMatch(STRANDED);
      expect((JSON.parse(file(r, 'hang.json')) as { traceEvents: unknown[] }).traceEvents).toHaveLength(468);
    },
  },
  // The root README's documented hang (its --svg-window follows the README): CPU 2/KVM is the stranded pauser.
  [docReplayExample()]: {
    exit: 1,
    check: (r) => {
      expect(r.stdout).toMatch(STRANDED);
      expect(r.stdout).toMatch(/cpu_resume\(CPU 2\/KVM\) while its thread waits in pause_all_vcpus/);
      expect(file(r, 'hang.svg')).toMatch(/<svg /);
      expect((JSON.parse(file(r, 'hang.json')) as { traceEvents: unknown[] }).traceEvents).toHaveLength(468);
    },
  },
  // A design module: the worked example, and the help's ./mine.mjs (the same file copied there).
  [`run migration --strategy ./${EXAMPLE_DESIGN}`]: { exit: 0, check: (r) => { expect(r.stdout).toMatch(/^migration under reread-on-guest-change \(all-vcpus, host cortex-a76, seed 1\): OK$/m); } },
  'compare boot --strategies rfc-v6,./mine.mjs --html report.html': {
    exit: 0,
    check: (r) => {
      expect(r.stdout).toMatch(/^boot +reread-on-guest-change +all-vcpus +3 +0 /m);
      expect(file(r, 'report.html')).toMatch(/data-row="boot\|reread-on-guest-change\|all-vcpus"/);
    },
  },
  // ddad81bd28 reverted: the reset's prelaunch check meets finish-migrate and QEMU aborts on the runstate table.
  'explore migration --strategy realize-once --mode random --budget 20 --scenario-seeds 1-8 --qemu-revert ddad81bd28 --param qmpDuringMigration=system-reset': {
    exit: 1,
    check: (r) => {
      expect(r.stdout).toMatch(/^explored 160 schedule\(s\) of migration under realize-once \(random, seeds from 1, scenario seeds 1,2,3,4,5,6,7,8\)/m);
      expect(r.stdout).toMatch(/^abort ×\d+ \(first at seed \d+, scenario seed \d+\): invalid runstate transition: 'prelaunch' -> 'postmigrate'$/m);
    },
  },
  history: {
    exit: 0,
    check: (r) => {
      expect(r.stdout.match(/ agrees$/gm)).toHaveLength(6);
      expect(r.stdout).toMatch(/^every row agrees with QEMU history$/m);
    },
  },
  'history --replay-dir docs/history --json': {
    exit: 0,
    check: (r) => {
      const rows = json(r)['rows'] as { fix: string; agrees: boolean; replayFile: string | null }[];
      expect(rows.map((x) => [x.fix, x.agrees])).toEqual(['f962cac4c2', '0ec7e6779f', '96bce6831b', '1bd71dce4b', 'ddad81bd28', '59ad421d66'].map((f) => [f, true]));
      for (const x of rows) expect(existsSync(join(r.dir, 'docs', 'history', `${x.fix}.replay.json`))).toBe(true);
    },
  },
  scenarios: { exit: 0, check: (r) => { expect(r.stdout).toMatch(/^parallel-cpu-on /m); } },
  'scenarios --json': { exit: 0, check: (r) => { expect(json(r)['scenarios']).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'boot' })])); } },
  strategies: { exit: 0, check: (r) => { expect(r.stdout).toMatch(/^realize-once$/m); } },
};

// Command lines in READMEs that are not CLI invocations, and why they are not executed here.
const NOT_RUN: Readonly<Record<string, string>> = {
  'npm ci && npm test': 'this test suite is that command',
  'npm ci && npm start': 'npm start is `npm run build` and `vgicsim start`, which runs here and must print the README table',
  'npm run build': 'run by `npm test` before these tests',
  'npx changeset': 'interactive; writes a changeset',
};


/** `vgicsim …` lines of README code blocks (not output: the word after vgicsim must be a command). */
function readmeExamples(): { cli: string[]; other: string[] } {
  const cli: string[] = [];
  const other: string[] = [];
  for (const name of READMES) {
    // Fences toggle: an opening fence names its language (none for plain blocks), a closing one never does.
    let lang: string | null = null;
    for (const raw of readFileSync(join(ROOT, name), 'utf8').split('\n')) {
      const fence = /^```(\w*)\s*$/.exec(raw);
      if (fence !== null) {
        lang = lang === null ? (fence[1] ?? '') : null;
        continue;
      }
      if (lang === null || !['sh', 'bash', ''].includes(lang)) continue;
      const line = raw.replace(/\s+#.*$/, '').trim();
      const prefix = CLI_PREFIXES.find((p) => line.startsWith(p));
      if (prefix !== undefined && NAMES.has(line.slice(prefix.length).split(' ')[0] ?? '')) cli.push(line.slice(prefix.length));
      else if (/^(npm|npx) /.test(line)) other.push(line);
    }
  }
  return { cli, other };
}

/** The README's `replay docs/rfc-v6-nested-pause-hang.replay.json …` line, whatever window it draws. */
function docReplayExample(): string {
  const line = readmeExamples().cli.find((e) => e.startsWith(`replay ${REPLAY_DOC} `));
  if (line === undefined) throw new Error(`README.md: no example replaying ${REPLAY_DOC}`);
  return line;
}

function helpExamples(): string[] {
  return COMMANDS.flatMap((c) => c.spec.examples.map((e) => e.replace(/^vgicsim /, '')));
}

function exec(example: string, dir: string): Promise<Result> {
  const [command = '', redirect] = example.split(' > ');
  const args = command.split(' ').flatMap((a) => (a.includes('*') ? readdirSync(dir).filter((f) => new RegExp(`^${a.replace(/\./g, '\\.').replace(/\*/g, '.*')}$`).test(f)).sort() : [a]));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SHIM, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      if (redirect !== undefined) writeFileSync(join(dir, redirect.trim()), stdout);
      resolve({ code, stdout: redirect === undefined ? stdout : '', stderr: Buffer.concat(err).toString('utf8'), dir });
    });
  });
}

const scratch = mkdtempSync(join(tmpdir(), 'vgicsim-examples-'));
const results = new Map<string, Result>();
const examples = [...new Set([...helpExamples(), ...readmeExamples().cli])];

beforeAll(async () => {
  // Chains of examples that read each other's files share a directory; chains run two at a time.
  const roots = examples.filter((e) => EXPECT[e] !== undefined && EXPECT[e].after === undefined);
  const chain = (e: string): string[] => [e, ...examples.filter((x) => EXPECT[x]?.after === e).flatMap(chain)];
  const queue = roots.map(chain);
  const worker = async (): Promise<void> => {
    for (let c = queue.shift(); c !== undefined; c = queue.shift()) {
      const dir = mkdtempSync(join(scratch, 'ex-'));
      mkdirSync(join(dir, 'docs'));
      copyFileSync(join(ROOT, REPLAY_DOC), join(dir, REPLAY_DOC));
      mkdirSync(join(dir, 'docs', 'examples'));
      copyFileSync(join(ROOT, EXAMPLE_DESIGN), join(dir, EXAMPLE_DESIGN));
      copyFileSync(join(ROOT, EXAMPLE_DESIGN), join(dir, 'mine.mjs'));
      for (const e of c) results.set(e, await exec(e, dir));
    }
  };
  await Promise.all([worker(), worker()]);
}, 600_000);

afterAll(() => {
  if (existsSync(scratch)) rmSync(scratch, { recursive: true, force: true });
});

describe('every documented example runs as described', () => {
  it('each example has an expectation, and each README npm line is accounted for', () => {
    expect(examples.filter((e) => EXPECT[e] === undefined)).toEqual([]);
    expect(readmeExamples().other.filter((l) => NOT_RUN[l] === undefined)).toEqual([]);
    // Expectations of examples that no longer exist are dead weight that hides drift.
    expect(Object.keys(EXPECT).filter((k) => !examples.includes(k))).toEqual([]);
  });

  for (const example of examples) {
    it(`vgicsim ${example}`, () => {
      const r = results.get(example);
      const want = EXPECT[example];
      if (r === undefined || want === undefined) throw new Error(`not run: ${example}`);
      expect(r.stderr.split('\n').filter((l) => / at .*\(.*:\d+:\d+\)/.test(l))).toEqual([]);
      expect({ exit: r.code, stderr: r.code === want.exit ? '' : r.stderr }).toEqual({ exit: want.exit, stderr: '' });
      want.check(r);
    });
  }
});
