// Every test must exercise the current sources of every package: vitest.config.ts resolves `@vgicsim/*` (and
// `vgicsim`) through the `source` export condition and refuses to load any workspace's dist/ file. So a
// package that loads here came from src/ (on a fresh clone there is no dist/ to come from; after a build a
// dist/ load throws), and the last test shows the refusal is in force.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PACKAGES: Readonly<Record<string, string>> = {
  '@vgicsim/gicv3-regs': 'packages/gicv3-regs',
  '@vgicsim/kvm-sim': 'packages/kvm-sim',
  '@vgicsim/qemu-arm-model': 'packages/qemu-arm-model',
  '@vgicsim/scenarios': 'packages/scenarios',
  vgicsim: 'apps/cli',
};
const ROOT = new URL('../../../', import.meta.url);

describe('tests see sources', () => {
  for (const [name, dir] of Object.entries(PACKAGES)) {
    it(`${name} is the module ${dir}/src/index.ts`, async () => {
      const mod = (await import(/* @vite-ignore */ name)) as Record<string, unknown>;
      expect(Object.keys(mod).length).toBeGreaterThan(0);
      expect(mod).toBe(await import(/* @vite-ignore */ new URL(`${dir}/src/index.ts`, ROOT).href));
    });
  }

  const builtRegs = new URL('packages/gicv3-regs/dist/index.js', ROOT);
  it.skipIf(!existsSync(fileURLToPath(builtRegs)))('a dist/ module cannot be loaded into a test', async () => {
    await expect(import(/* @vite-ignore */ builtRegs.href)).rejects.toThrow(/vgicsim tests load sources only/);
  });
});
