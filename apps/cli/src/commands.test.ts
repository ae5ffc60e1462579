import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runJson } from './test-support.js';
import { BUILTIN_STRATEGIES } from '@vgicsim/qemu-arm-model';
import { SUITES } from '@vgicsim/scenarios';

describe('vgicsim decode', () => {
  it('prints the exact JSON for the A76 ICC_CTLR_EL1', async () => {
    expect(await runJson('decode', 'ICC_CTLR_EL1', '0x8400', '--json')).toEqual({
      register: 'ICC_CTLR_EL1',
      value: '0x0000000000008400',
      fields: { ExtRange: 0, RSS: 0, A3V: 1, SEIS: 0, IDbits: 0, PRIbits: 4, PMHE: 0, EOImode: 0, CBPR: 0 },
      warnings: [],
    });
  });

  it('keeps the key order register, value, fields, warnings', async () => {
    const r = await runCli('decode', 'ICC_CTLR_EL1', '0x8400', '--json');
    expect(Object.keys(JSON.parse(r.stdout) as object)).toEqual(['register', 'value', 'fields', 'warnings']);
  });

  it('accepts the generic lower-case form and decimal values, and reports RES0 bits as warnings', async () => {
    expect(await runJson('decode', 's3_0_c12_c12_4', '4294967296', '--json')).toEqual({
      register: 'ICC_CTLR_EL1',
      value: '0x0000000100000000',
      fields: { ExtRange: 0, RSS: 0, A3V: 0, SEIS: 0, IDbits: 0, PRIbits: 0, PMHE: 0, EOImode: 0, CBPR: 0 },
      warnings: ['RES0 bits 63:20 set (0x100000000)'],
    });
  });

  it('decodes ICH_VTR_EL2, GICR_TYPER and MPIDR_EL1', async () => {
    expect(await runJson('decode', 'ICH_VTR_EL2', '0x90280003', '--json')).toMatchObject({
      fields: { PRIbits: 4, PREbits: 4, IDbits: 0, SEIS: 0, A3V: 1, nV4: 0, TDS: 1, DVIM: 0, ListRegs: 3 },
    });
    expect(await runJson('decode', 'gicr_typer', '0x0000010301001300', '--json')).toMatchObject({
      fields: { Affinity_Value: 0x103, CommonLPIAff: 1, Processor_Number: 19, Last: 0 },
      warnings: [],
    });
    expect(await runJson('decode', 'MPIDR_EL1', '0x103', '--json')).toMatchObject({
      fields: { Aff3: 0, U: 0, MT: 0, Aff2: 0, Aff1: 1, Aff0: 3 },
      warnings: ['RES1 bits 31 not all set'],
    });
  });

  it('prints the diagram and field table as text', async () => {
    const r = await runCli('decode', 'ICC_CTLR_EL1', '0x8400');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('| RES0  | ExtRange | RSS | RES0  | A3V | SEIS | IDbits | PRIbits | RES0 | PMHE | RES0 | EOImode | CBPR |');
    expect(r.stdout).toContain('10:8   PRIbits   RO      4');
    expect(r.stdout).not.toContain('Warnings:');
    expect((await runCli('decode', 'ICC_PMR_EL1', '0x1f0')).stdout).toContain('Warnings:\n  RES0 bits 63:8 set (0x100)');
  });
});

describe('vgicsim encode', () => {
  it('builds ICC_CTLR_EL1 from case-insensitive fields and prints canonical names', async () => {
    expect(await runJson('encode', 'icc_ctlr_el1', 'pribits=4', 'A3V=0x1', '--json')).toEqual({
      register: 'ICC_CTLR_EL1',
      value: '0x0000000000008400',
      fields: { ExtRange: 0, RSS: 0, A3V: 1, SEIS: 0, IDbits: 0, PRIbits: 4, PMHE: 0, EOImode: 0, CBPR: 0 },
    });
  });

  it('sets RES1 bits and accepts no assignments', async () => {
    expect(await runJson('encode', 'MPIDR_EL1', 'aff1=1', 'aff0=3', '--json')).toMatchObject({ value: '0x0000000080000103' });
    expect(await runJson('encode', 'MPIDR_EL1', '--json')).toMatchObject({ value: '0x0000000080000000' });
  });

  it('builds the worked-example GICR_TYPER', async () => {
    expect(await runJson('encode', 'GICR_TYPER', 'Affinity_Value=0x103', 'CommonLPIAff=1', 'Processor_Number=19', '--json')).toMatchObject({
      value: '0x0000010301001300',
    });
  });

  it('prints the rendering as text', async () => {
    const r = await runCli('encode', 'ICH_VMCR_EL2', 'VPMR=0xf0', 'VFIQEn=1');
    expect(r.stdout.split('\n')[0]).toMatch(/^ICH_VMCR_EL2 = 0x00000000f0000008 /);
  });
});

describe('vgicsim attr', () => {
  it('--vcpu uses the KVM default MPIDR (worked examples)', async () => {
    expect(await runJson('attr', 'ICC_CTLR_EL1', '--vcpu', '19', '--json')).toEqual({
      register: 'ICC_CTLR_EL1',
      sysregId: '0xc664',
      attr: '0x000001030000c664',
      affinity: '0.0.1.3',
    });
    expect(await runJson('attr', 'ICC_CTLR_EL1', '--vcpu=1', '--json')).toMatchObject({ attr: '0x000000010000c664', affinity: '0.0.0.1' });
  });

  it('--affinity and --mpidr', async () => {
    expect(await runJson('attr', 'ICC_CTLR_EL1', '--affinity', '0.0.0.1', '--json')).toMatchObject({ attr: '0x000000010000c664' });
    expect(await runJson('attr', 'icc_pmr_el1', '--mpidr', '0x80000103', '--json')).toEqual({
      register: 'ICC_PMR_EL1',
      sysregId: '0xc230',
      attr: '0x000001030000c230',
      affinity: '0.0.1.3',
    });
    expect(await runJson('attr', 'ICC_SRE_EL1', '--mpidr', '0x0280010203', '--json')).toMatchObject({ attr: '0x020102030000c665', affinity: '2.1.2.3' });
  });

  it('prints a text summary', async () => {
    const r = await runCli('attr', 'ICC_CTLR_EL1', '--vcpu', '19');
    expect(r.stdout).toContain('attr        0x000001030000c664 (group KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS = 6)');
    expect(r.stdout).toContain('ONE_REG id  0x603000000013c664');
  });
});

describe('vgicsim registers', () => {
  it('lists every register with its encoding as JSON', async () => {
    const list = (await runJson('registers', '--json')) as Record<string, unknown>[];
    expect(list).toHaveLength(21);
    expect(list[0]).toEqual({
      name: 'ICC_CTLR_EL1',
      kind: 'sysreg',
      generic: 'S3_0_C12_C12_4',
      op0: 3,
      op1: 0,
      crn: 12,
      crm: 12,
      op2: 4,
      sysregId: '0xc664',
      oneRegId: '0x603000000013c664',
      frame: null,
      offset: null,
      width: 64,
      description: 'Interrupt Controller Control Register (EL1)',
    });
    expect(list.find((r) => r['name'] === 'GICR_TYPER')).toMatchObject({ kind: 'mmio', generic: null, sysregId: null, frame: 'RD_base', offset: '0x0008' });
  });

  it('prints a table', async () => {
    const r = await runCli('registers');
    expect(r.stdout).toMatch(/ICC_PMR_EL1 +S3_0_C4_C6_0 +3 +0 +4 +6 +0 +0xc230 +0x603000000013c230 +64/);
  });
});

describe('vgicsim start', () => {
  it('prints the default comparison: one row per suite × built-in strategy, boot/rfc-v6 with 7 pauses', async () => {
    const r = await runCli('start');
    expect(r.code).toBe(0);
    const names = new Set(SUITES.map((s) => s.name));
    const rows = r.stdout.split('\n').filter((l) => names.has(l.split(' ')[0] ?? ''));
    expect(rows).toHaveLength(SUITES.length * BUILTIN_STRATEGIES.length);
    const bootRfc = rows.find((l) => /^boot +rfc-v6 /.test(l));
    expect(bootRfc?.split(/ {2,}/).slice(3, 9)).toEqual(['3', '0', '0', '0', '0', '7']);
    expect(rows.find((l) => /^boot +upstream-2025 /.test(l))?.split(/ {2,}/).slice(3, 5)).toEqual(['0', '3']);
  }, 120_000);
});

describe('vgicsim explore in-process (from sources: no compiled worker, one process)', () => {
  it('explores, writes nothing for a clean strategy and exits 0', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'vgicsim-inproc-')), 'out');
    const r = await runCli('explore', 'parallel-cpu-on', '--strategy', 'realize-once', '--budget', '2', '--out', dir, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ schedules: 2, interrupted: false, failures: [], replayFiles: [] });
    expect(readdirSync(dir)).toEqual([]);
  });
});
