import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './test-support.js';
import { EXIT_CODES } from './errors.js';
import { EXIT_CODES_HELP } from './help.js';

const COMMAND_NAMES = ['decode', 'encode', 'attr', 'registers', 'start'];

describe('--help and --version', () => {
  it('top-level --help lists every command and the exit codes', async () => {
    for (const flag of ['--help', '-h', 'help']) {
      const r = await runCli(flag);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      for (const name of COMMAND_NAMES) expect(r.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
      expect(r.stdout).toContain(EXIT_CODES_HELP);
      for (const code of EXIT_CODES) expect(EXIT_CODES_HELP).toContain(String(code));
    }
  });

  it.each(COMMAND_NAMES)('%s --help prints its usage and options', async (name) => {
    const r = await runCli(name, '--help');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(new RegExp(`^Usage: vgicsim ${name}`));
    expect(r.stdout).toContain('-h, --help');
  });

  it('shows flag details', async () => {
    const r = await runCli('attr', '-h');
    expect(r.stdout).toContain('Usage: vgicsim attr <REGISTER> [--mpidr VALUE] [--affinity A3.A2.A1.A0] [--vcpu N] [--json]');
    expect(r.stdout).toMatch(/--vcpu N +vCPU index; uses KVM's default MPIDR/);
    expect((await runCli('run', '--help')).stdout).toContain('(default: cortex-a76)');
    expect((await runCli('help', 'encode')).stdout).toContain('Usage: vgicsim encode <REGISTER> [FIELD=VALUE…] [--json]');
  });

  it('a summary ending in a question mark gets no extra full stop', async () => {
    const r = await runCli('history', '--help');
    expect(r.stdout).toContain('is its bug found, and only without it? For every fix');
    expect(r.stdout).not.toContain('?.');
  });

  it('--help wins over bad arguments', async () => {
    expect((await runCli('decode', 'NOPE', '--help')).code).toBe(0);
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    const r = await runCli('--version');
    expect(r).toMatchObject({ code: 0, stdout: pkg.version, stderr: '' });
  });
});
