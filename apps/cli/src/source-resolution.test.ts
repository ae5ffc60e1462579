// Every test must exercise the current sources of every package: vitest resolves `@vgicsim/*` (and
// `vgicsim`) through the `source` export condition, and vitest.config.ts refuses to load any dist/ file.
// If either ever stops holding, an edit in one package's src/ would go untested by the packages above it.
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
    it(`${name} resolves to ${dir}/src/index.ts and loads`, async () => {
      expect(import.meta.resolve(name)).toBe(new URL(`${dir}/src/index.ts`, ROOT).href);
      const mod = (await import(name)) as Record<string, unknown>;
      expect(Object.keys(mod).length).toBeGreaterThan(0);
    });
  }

  const builtRegs = new URL('packages/gicv3-regs/dist/index.js', ROOT);
  it.skipIf(!existsSync(fileURLToPath(builtRegs)))('a dist/ module cannot be loaded into a test', async () => {
    await expect(import(/* @vite-ignore */ builtRegs.href)).rejects.toThrow(/vgicsim tests load sources only/);
  });
});
