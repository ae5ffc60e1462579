import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vitest/config';

// Tests run from sources only: a bare import of a workspace package (`@vgicsim/kvm-sim`, `vgicsim`) resolves
// to the file its package.json names under the `source` export condition. This is done here rather than with
// `ssr.resolve.conditions`, which vitest also hands to Node as --conditions for the test workers — and
// worker_threads inherit them, so a worker started from a test (exploreParallel) would load .ts sources
// Node cannot run.
const WORKSPACES = ['packages/gicv3-regs', 'packages/kvm-sim', 'packages/qemu-arm-model', 'packages/scenarios', 'apps/cli'];
function sourceCondition(): Plugin {
  const entries = new Map<string, string>();
  for (const dir of WORKSPACES) {
    const manifest = JSON.parse(readFileSync(new URL(`./${dir}/package.json`, import.meta.url), 'utf8')) as { name: string; exports: { '.': { source: string } } };
    entries.set(manifest.name, fileURLToPath(new URL(`./${dir}/${manifest.exports['.'].source}`, import.meta.url)));
  }
  return { name: 'vgicsim:source-condition', enforce: 'pre', resolveId: (id) => entries.get(id) ?? null };
}

// Refuses to load any workspace's built output into a test: a sibling seen through dist/ would test stale
// code. Spawned processes and worker threads (bin and worker tests) load dist/ through Node, not Vite.
const DIST = /\/(?:packages|apps)\/[^/]+\/dist\//;
function noDist(): Plugin {
  return {
    name: 'vgicsim:no-dist-in-tests',
    enforce: 'pre',
    load(id) {
      if (DIST.test(id)) throw new Error(`vgicsim tests load sources only, but ${id} was imported (a workspace's dist/ output)`);
      return null;
    },
  };
}

// Tests of the built artefacts (spawned CLI, packed tarballs, documented commands) need `npm run build`.
// `npm test` builds first and sets VGICSIM_REQUIRE_BUILT, so there a missing build fails them; a bare
// `npm run test:unit` on a fresh clone leaves them out and says so.
const BUILT_TESTS = ['apps/cli/src/bin.test.ts', 'apps/cli/src/sim-e2e.test.ts', 'apps/cli/src/packaging.test.ts', 'apps/cli/src/docs-examples.test.ts'];
const ENTRY_POINTS = WORKSPACES.map((d) => `${d}/dist/index.js`);
const built = ENTRY_POINTS.every((f) => existsSync(new URL(`./${f}`, import.meta.url)));
const leaveOut = !built && process.env['VGICSIM_REQUIRE_BUILT'] !== '1';
if (leaveOut) console.log(`vitest: no build found, leaving out ${BUILT_TESTS.length} test files of built output (${BUILT_TESTS.join(', ')}); \`npm test\` runs them`);

export default defineConfig({
  plugins: [sourceCondition(), noDist()],
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', ...(leaveOut ? BUILT_TESTS : [])],
    pool: 'threads',
    reporters: process.env['CI'] ? ['default', ['json', { outputFile: 'test-results.json' }]] : ['default'],
    testTimeout: 60_000,
  },
});
