import { describe, expect, it } from 'vitest';
import { reportError } from './errors.js';
import { runCli } from './test-support.js';

// Every case: exit 2, nothing on stdout, exactly one stderr line "vgicsim <cmd>: …; … (got '<text>')".
interface Case {
  readonly label: string;
  readonly argv: readonly string[];
  readonly got: string;
  readonly pattern: RegExp;
}

const CASES: readonly Case[] = ([
  ['unknown register', ['decode', 'ICC_CTRL_EL1', '0x8400'], 'ICC_CTRL_EL1', /unknown register \(did you mean ICC_CTLR_EL1\?\)/],
  ['unknown generic register', ['decode', 'S3_0_C12_C8_0', '0'], 'S3_0_C12_C8_0', /no register with that encoding/],
  ['garbage value', ['decode', 'ICC_CTLR_EL1', 'zz'], 'zz', /not a number; accepted: a 0x-prefixed hex/],
  ['negative value', ['decode', 'ICC_CTLR_EL1', '-1'], '-1', /negative value/],
  ['value above 2^64-1', ['decode', 'ICC_CTLR_EL1', '0x10000000000000000'], '0x10000000000000000', /value above 2\^64-1/],
  ['empty value', ['decode', 'ICC_CTLR_EL1', ''], '', /empty value/],
  ['missing value', ['decode', 'ICC_CTLR_EL1'], 'ICC_CTLR_EL1', /missing argument <VALUE>; usage: vgicsim decode <REGISTER> <VALUE> \[--json\]/],
  ['extra argument', ['decode', 'ICC_CTLR_EL1', '1', '2'], '2', /unexpected argument/],
  ['unknown option', ['decode', 'ICC_CTLR_EL1', '1', '--jsn'], '--jsn', /unknown option \(did you mean --json\?\); accepted options: --json, --help/],
  ['bad boolean', ['decode', 'ICC_CTLR_EL1', '1', '--json=yes'], 'yes', /--json is a switch/],
  ['unknown field', ['encode', 'ICC_CTLR_EL1', 'PRIBITZ=1'], 'PRIBITZ', /unknown field of ICC_CTLR_EL1 \(did you mean PRIbits\?\); accepted: ExtRange, RSS/],
  ['field out of range', ['encode', 'ICC_CTLR_EL1', 'PRIbits=8'], '8', /value out of range for ICC_CTLR_EL1.PRIbits \(bits 10:8, 3 bits\); accepted: 0..7/],
  ['field value garbage', ['encode', 'ICC_CTLR_EL1', 'PRIbits=four'], 'four', /bad value for PRIbits: not a number/],
  ['assignment without =', ['encode', 'ICC_CTLR_EL1', 'PRIbits'], 'PRIbits', /expected a FIELD=VALUE assignment/],
  ['field given twice', ['encode', 'ICC_CTLR_EL1', 'CBPR=1', 'cbpr=0'], 'cbpr=0', /CBPR given twice/],
  ['no vCPU selector', ['attr', 'ICC_CTLR_EL1'], '', /no vCPU selected; accepted: exactly one of --mpidr VALUE, --affinity A3.A2.A1.A0, --vcpu N/],
  ['two vCPU selectors', ['attr', 'ICC_CTLR_EL1', '--vcpu', '1', '--affinity', '0.0.0.1'], '--affinity 0.0.0.1 --vcpu 1', /more than one vCPU selector/],
  ['MMIO register attr', ['attr', 'GICR_TYPER', '--vcpu', '1'], 'GICR_TYPER', /GICR_TYPER is a memory-mapped register/],
  ['bad affinity', ['attr', 'ICC_CTLR_EL1', '--affinity', '0.0.1'], '0.0.1', /affinity needs exactly four levels/],
  ['affinity level too big', ['attr', 'ICC_CTLR_EL1', '--affinity', '0.0.1.256'], '0.0.1.256', /affinity level out of range/],
  ['negative vcpu', ['attr', 'ICC_CTLR_EL1', '--vcpu', '-1'], '-1', /--vcpu out of range; accepted: an integer in 0..4294967295/],
  ['non-numeric vcpu', ['attr', 'ICC_CTLR_EL1', '--vcpu', 'abc'], 'abc', /--vcpu needs a number/],
  ['fractional vcpu', ['attr', 'ICC_CTLR_EL1', '--vcpu', '1.5'], '1.5', /--vcpu needs an integer/],
  ['vcpu without value', ['attr', 'ICC_CTLR_EL1', '--vcpu'], '--vcpu', /--vcpu needs a value/],
  ['MPIDR with RES0 bits', ['attr', 'ICC_CTLR_EL1', '--mpidr', '0x10000000000'], '0x10000000000', /not an MPIDR_EL1 value: RES0 bits 63:40 set/],
  ['unknown profile', ['run', 'boot', '--host', 'cortex-a77'], 'cortex-a77', /unknown host profile \(did you mean cortex-a76\?\)/],
  ['unknown QEMU option', ['run', 'boot', '--qemu', 'halt-in-kernal=false'], 'halt-in-kernal=false', /unknown QEMU option halt-in-kernal; accepted names: halt-in-kernel, loop-order/],
  ['bad QEMU option value', ['run', 'boot', '--qemu', 'bql-policy=random'], 'bql-policy=random', /bad value for QEMU option bql-policy; accepted: barging or fifo/],
  ['QEMU option without =', ['explore', 'boot', '--strategy', 'rfc-v6', '--qemu', 'fifo'], 'fifo', /a QEMU option needs name=value/],
  ['unknown fix to revert', ['run', 'boot', '--qemu-revert', 'deadbeef00'], 'deadbeef00', /unknown upstream fix to revert; accepted: f962cac4c2, 0ec7e6779f, 96bce6831b, 1bd71dce4b, ddad81bd28/],
  ['fix reverted twice', ['run', 'boot', '--qemu-revert', 'ddad81bd28', '--qemu-revert', 'ddad81bd28'], 'ddad81bd28', /--qemu-revert: ddad81bd28 is given twice; accepted: each commit once/],
  ['QEMU option given twice', ['run', 'boot', '--qemu', 'bql-policy=fifo', '--qemu', 'bql-policy=barging'], 'bql-policy=barging', /--qemu: bql-policy is given twice; accepted: each --qemu key once/],
  ['bad scenario seeds', ['explore', 'boot', '--strategy', 'rfc-v6', '--scenario-seeds', '5-2'], '5-2', /--scenario-seeds: bad range/],
  ['history replay dir is stdout', ['history', '--replay-dir', '-'], '-', /--replay-dir needs a directory/],
  ['history replay dir names a file', ['history', '--replay-dir', 'package.json'], 'package.json', /--replay-dir names a file, not a directory/],
  ['scenario seeds garbage', ['explore', 'boot', '--strategy', 'rfc-v6', '--scenario-seeds', 'all'], 'all', /--scenario-seeds: bad seed list; accepted: seeds 0..4294967295 as A-B ranges/],
] as const).map(([label, argv, got, pattern]) => ({ label, argv, got, pattern }));

describe('bad input → exit 2 and one stderr line', () => {
  it.each(CASES)('$label', async ({ argv, got, pattern }) => {
    const r = await runCli(...argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderrLines).toHaveLength(1);
    const line = r.stderrLines[0] ?? '';
    expect(line.startsWith(`vgicsim ${argv[0] ?? ''}: `)).toBe(true);
    expect(line.endsWith(`(got '${got}')`)).toBe(true);
    expect(line).toMatch(/^vgicsim [a-z]+: [^;]+; .+ \(got '.*'\)$/);
    expect(line).toMatch(pattern);
  });

  it('unknown command suggests the closest', async () => {
    const r = await runCli('decod', 'x');
    expect(r.code).toBe(2);
    expect(r.stderrLines).toEqual([
      "vgicsim: unknown command (did you mean decode?); accepted: a command (decode, encode, attr, registers, start, run, compare, explore, replay, scenarios, strategies, merge, history), --help or --version (got 'decod')",
    ]);
  });

  it('missing command and unknown top-level option', async () => {
    expect(await runCli()).toMatchObject({ code: 2, stderrLines: [expect.stringMatching(/^vgicsim: missing command; /)] });
    expect(await runCli('--verison')).toMatchObject({ code: 2, stderrLines: [expect.stringMatching(/^vgicsim: unknown option \(did you mean --version\?\).*\(got '--verison'\)$/)] });
  });

  it('never prints a stack trace, and keeps user newlines on one line', async () => {
    const r = await runCli('decode', 'ICC\nCTLR', '1');
    expect(r.stderrLines).toHaveLength(1);
    expect(r.stderr).toContain("(got 'ICC\\nCTLR')");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('unexpected errors', () => {
  it('become one line with exit 70', () => {
    expect(reportError('decode', new TypeError('boom'), ['decode', 'x'])).toEqual({
      line: "vgicsim decode: internal error: boom; this is a bug in vgicsim, please report it (got 'decode x')",
      code: 70,
    });
  });
});
