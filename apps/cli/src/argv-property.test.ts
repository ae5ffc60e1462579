// Random argv against every command of the built executable (cwd in a temporary directory): the exit code
// is a documented one (and never 70, a bug), an exit 2 says so in exactly one stderr line, nothing ever
// prints a stack trace, and no file appears outside the temporary directory. To keep runs short, the
// simulation commands get small-budget flags appended (a random repeat of one of them is simply "given
// twice"), and `start` is never given a way to run its whole matrix.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from './command-table.js';
import { EXIT_CODES, EXIT_INTERNAL, EXIT_USAGE } from './errors.js';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const CLI_DIR = fileURLToPath(new URL('../', import.meta.url));
const HANG_REPLAY = fileURLToPath(new URL('../../../docs/rfc-v6-nested-pause-hang.replay.json', import.meta.url));
const RUNS = Number(process.env['VGICSIM_ARGV_RUNS'] ?? 40);

/** Appended so that a successful simulation stays small. */
const CHEAP: Readonly<Record<string, readonly string[]>> = {
  run: ['--vcpus', '2'],
  compare: ['--seeds', '1', '--strategies', 'realize-once'],
  explore: ['--budget', '3'],
};

const VALUES = [
  '0', '1', '2', '-1', '1.5', '0x10', '513', '99999999999999999999', '', '-', '--', 'x', 'boot', 'parallel-cpu-on', 'reboot-loop',
  'rfc-v6', 'realize-once', 'pct', 'exhaustive', 'all-vcpus', 'cortex-a76', 'abort,hang', 'oracle', 'ICC_CTLR_EL1', 'PRIbits=4', '0x8400',
  'vcpus=2', 'constructor=1', '__proto__=1', 'k', 'a=b=c', '1/2', 'auto', '10-20', 'out.json', 'out.svg', 'd/', 'sub/x.svg', '.', '..',
  '../escape.json', 'r.json', 'in.json', 'ro.json', '--json', '--help', '-h', '--nope', 'é\nnewline', ' ',
];

function commandArb(): fc.Arbitrary<string[]> {
  return fc.constantFrom(...COMMANDS).chain((cmd) => {
    const flagTokens = Object.keys(cmd.spec.flags)
      .filter((f) => !(cmd.spec.name === 'start' && f === 'fail-on'))
      .flatMap((f) => [`--${f}`, `--${f}=1`, `--${f}=out.json`]);
    const token = fc.oneof(fc.constantFrom(...flagTokens, ...VALUES), fc.string({ maxLength: 6 }));
    const name = cmd.spec.name;
    // `start` with no argument (or only `--`) runs the whole matrix: always give it one real token.
    const tokens = name === 'start' ? fc.array(token.filter((t) => t !== '--'), { minLength: 1, maxLength: 4 }) : fc.array(token, { maxLength: 7 });
    return tokens.map((t) => [name, ...t, ...(CHEAP[name] ?? [])]);
  });
}

/** Top-level names, without the build tools' own (turbo's logs come and go while other builds run). */
function listing(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((n) => n !== '.turbo').sort() : [];
}

describe('random argv to every command (built executable)', () => {
  it(`${RUNS} random command lines: documented exit code, one line on exit 2, no stack trace, nothing written outside the temp dir`, () => {
    if (!existsSync(BIN)) throw new Error(`${BIN} does not exist: run \`npm run build\` at the repository root first`);
    const sandbox = mkdtempSync(join(tmpdir(), 'vgicsim-argv-'));
    const repoBefore = listing(REPO);
    const cliBefore = listing(CLI_DIR);
    let n = 0;
    fc.assert(
      fc.property(fc.oneof({ weight: 9, arbitrary: commandArb() }, { weight: 1, arbitrary: fc.array(fc.constantFrom(...VALUES), { maxLength: 3 }) }), (argv) => {
        // Each command line gets its own cwd inside the sandbox; `../escape.json` lands in the sandbox.
        const cwd = join(sandbox, `w${n++}`);
        mkdirSync(cwd);
        copyFileSync(HANG_REPLAY, join(cwd, 'r.json'));
        writeFileSync(join(cwd, 'in.json'), '{"version":1}');
        const r = spawnSync(process.execPath, [BIN, ...argv], { cwd, encoding: 'utf8', timeout: 120_000 });
        const where = `argv ${JSON.stringify(argv)}: exit ${String(r.status)}, stderr ${JSON.stringify(r.stderr.slice(0, 300))}`;
        expect(r.status, where).not.toBeNull();
        expect(EXIT_CODES as readonly (number | null)[], where).toContain(r.status);
        expect(r.status, where).not.toBe(EXIT_INTERNAL);
        expect(r.stderr, where).not.toMatch(/\n\s+at |node:internal|Error: /);
        if (r.status === EXIT_USAGE) {
          expect(r.stderr.trimEnd().split('\n'), where).toHaveLength(1);
          expect(r.stderr, where).toMatch(/^vgicsim( [a-z]+)?: /);
        }
      }),
      { numRuns: RUNS, seed: Number(process.env['VGICSIM_ARGV_SEED'] ?? 15) },
    );
    // Nothing appeared in the repository (a stray `vgicsim-failures/`, a file named after a flag, …).
    expect(listing(REPO)).toEqual(repoBefore);
    expect(listing(CLI_DIR)).toEqual(cliBefore);
  });
});
