// End-to-end: spawn the built executable. The root `npm test` builds every workspace before vitest.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const REGS_DIST = fileURLToPath(new URL('../../../packages/gicv3-regs/dist/index.js', import.meta.url));

function requireBuilt(): void {
  for (const file of [BIN, REGS_DIST]) {
    if (!existsSync(file)) throw new Error(`${file} does not exist: run \`npm run build\` at the repository root first`);
  }
}

describe('dist/bin.js', () => {
  it('decodes ICC_CTLR_EL1 0x8400 as JSON and exits 0', () => {
    requireBuilt();
    const r = spawnSync(process.execPath, [BIN, 'decode', 'ICC_CTLR_EL1', '0x8400', '--json'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ register: 'ICC_CTLR_EL1', value: '0x0000000000008400', fields: { PRIbits: 4, A3V: 1 } });
  });

  it('exits 2 with one stderr line on bad input', () => {
    requireBuilt();
    const r = spawnSync(process.execPath, [BIN, 'decode', 'ICC_CTLR_EL1', 'zz'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^vgicsim decode: not a number; .* \(got 'zz'\)$/)]);
  });
});
