// What a consumer gets from the registry: every workspace is packed with `npm pack`, the tarballs are
// installed (offline) into a scratch project outside the repository, a consumer file per package is
// typechecked under TypeScript's `node16` and `bundler` resolutions, each package README's example is run
// from the installed copy and must print what the README says, and the packed CLI answers --version.
// Needs the build (`npm test` runs it first); the scratch project reuses this repository's TypeScript.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const WORKSPACES = ['packages/gicv3-regs', 'packages/kvm-sim', 'packages/qemu-arm-model', 'packages/scenarios', 'apps/cli'];

interface Packed {
  readonly name: string;
  readonly version: string;
  readonly filename: string;
  readonly files: readonly { readonly path: string }[];
}

/** The parent `npm test` exports npm_* settings (workspace, prefix…) that must not steer the child npm. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
}

function run(cmd: string, args: readonly string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: cleanEnv(), timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${String(r.status)}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** The fenced block of `lang` that follows `## Example` in a README. */
function block(readme: string, lang: string): string {
  const example = readme.slice(readme.indexOf('\n## Example\n'));
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)\\n```').exec(example);
  if (readme.indexOf('\n## Example\n') < 0 || m?.[1] === undefined) throw new Error(`no \`\`\`${lang} block under "## Example"`);
  return m[1];
}

// One consumer file per package: real uses of values and types, and an import that must NOT typecheck, so
// a package whose types silently degrade to `any` (or go missing) fails here.
const CONSUMERS: Readonly<Record<string, string>> = {
  '@vgicsim/gicv3-regs': `import { REGISTERS, decode, type RegisterSpec } from '@vgicsim/gicv3-regs';
const spec: RegisterSpec = REGISTERS.ICC_CTLR_EL1;
const fields = decode(spec, 0x8400n);
export const priBits: number | undefined = fields['PRIbits'];
// @ts-expect-error decode takes a bigint
decode(spec, '0x8400');
`,
  '@vgicsim/kvm-sim': `import { Mutex, Simulator, type RunResult } from '@vgicsim/kvm-sim';
const sim = new Simulator({ seed: 1 });
const m = new Mutex('m');
sim.spawn('t', function* () { yield* sim.lock(m); sim.unlock(m); });
export const result: RunResult = sim.run();
// @ts-expect-error the seed is a number
new Simulator({ seed: 'one' });
`,
  '@vgicsim/qemu-arm-model': `import { RFC_V6, buildArmVm, type ArmVmOptions } from '@vgicsim/qemu-arm-model';
export const build: (o: ArmVmOptions) => ReturnType<typeof buildArmVm> = buildArmVm;
export const name: string = RFC_V6.name;
// @ts-expect-error smp is required
export const bad: ArmVmOptions = { strategy: RFC_V6, guest: undefined as never };
`,
  '@vgicsim/scenarios': `import { exploreParallel, runScenario, type ExploreReport, type ScenarioResult } from '@vgicsim/scenarios';
export const r: ScenarioResult = runScenario({ scenario: 'boot', strategy: 'rfc-v6', params: { vcpus: 2 }, seed: 1 });
export const p: Promise<ExploreReport> = exploreParallel({ spec: { scenario: 'boot', strategy: 'rfc-v6' }, mode: 'random', budget: 1, seed: 1 }, { workers: 1 });
// @ts-expect-error runScenario needs a request
runScenario();
`,
  vgicsim: `import { EXIT_USAGE, main, type CliIo } from 'vgicsim';
export const code: Promise<number> = main(['--version']);
export const usage: number = EXIT_USAGE;
export type Io = CliIo;
// @ts-expect-error main takes argv as a string array
void main('--version');
`,
};

const COMPILER_OPTIONS = {
  strict: true,
  noEmit: true,
  skipLibCheck: false,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  target: 'ES2022',
  lib: ['ES2023'],
  types: ['node'],
  typeRoots: [join(ROOT, 'node_modules', '@types')],
};

let scratch = '';
let app = '';
let packed: readonly Packed[] = [];

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'vgicsim-consumer-'));
  const tarballs = join(scratch, 'tarballs');
  mkdirSync(tarballs);
  packed = JSON.parse(run('npm', ['pack', '--json', '--workspaces', '--pack-destination', tarballs], ROOT)) as Packed[];
  app = join(scratch, 'app');
  mkdirSync(app);
  const dependencies = Object.fromEntries(packed.map((p) => [p.name, `file:../tarballs/${p.filename}`]));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies }, null, 2));
  // Offline: everything comes from the tarballs; internal ranges (^x.y.z) are met by the packed versions.
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock'], app);
}, 180_000);

afterAll(() => {
  if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
});

describe('packed workspaces', () => {
  it('packs all five, each with LICENSE, README and every file its manifest and source maps point to', () => {
    expect(packed.map((p) => p.name).sort()).toEqual(['@vgicsim/gicv3-regs', '@vgicsim/kvm-sim', '@vgicsim/qemu-arm-model', '@vgicsim/scenarios', 'vgicsim']);
    for (const dir of WORKSPACES) {
      const manifest = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as Record<string, unknown>;
      const p = packed.find((q) => q.name === manifest['name']);
      if (p === undefined) throw new Error(`${dir} was not packed`);
      const files = new Set(p.files.map((f) => f.path));
      expect(files).toContain('LICENSE');
      expect(files).toContain('README.md');
      expect([...files].filter((f) => /\.test\.|tsbuildinfo|(^|\/)test-[^/]*$/.test(f))).toEqual([]);
      const targets: string[] = [];
      const collect = (v: unknown): void => {
        if (typeof v === 'string') targets.push(v);
        else if (typeof v === 'object' && v !== null) Object.values(v).forEach(collect);
      };
      collect([manifest['exports'], manifest['main'], manifest['types'], manifest['bin']]);
      for (const t of targets) expect(files, `${p.name}: ${t}`).toContain(normalize(t));
      for (const map of [...files].filter((f) => f.endsWith('.map'))) {
        const { sources } = JSON.parse(readFileSync(join(ROOT, dir, map), 'utf8')) as { sources: string[] };
        for (const s of sources) expect(files, `${p.name}: ${map} -> ${s}`).toContain(normalize(join(dirname(map), s)));
      }
    }
  });

  for (const resolution of ['node16', 'bundler'] as const) {
    it(`typecheck a consumer of every package under moduleResolution ${resolution}`, () => {
      const dir = join(app, `ts-${resolution}`);
      mkdirSync(dir, { recursive: true });
      const files = Object.entries(CONSUMERS).map(([name, text]) => {
        const file = `${name.replace(/^@vgicsim\//, '')}.ts`;
        writeFileSync(join(dir, file), text);
        return file;
      });
      const module = resolution === 'node16' ? 'node16' : 'esnext';
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...COMPILER_OPTIONS, module, moduleResolution: resolution }, files }));
      const r = spawnSync(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')], { cwd: app, encoding: 'utf8', timeout: 120_000 });
      expect(r.stdout + r.stderr).toBe('');
      expect(r.status).toBe(0);
    }, 180_000);
  }

  for (const name of ['@vgicsim/gicv3-regs', '@vgicsim/kvm-sim', '@vgicsim/qemu-arm-model', '@vgicsim/scenarios']) {
    it(`${name}: the README example prints what the README says`, () => {
      const readme = readFileSync(join(app, 'node_modules', name, 'README.md'), 'utf8');
      const file = join(app, `example-${name.replace(/^@vgicsim\//, '')}.mjs`);
      writeFileSync(file, block(readme, 'js'));
      expect(run(process.execPath, [file], app).trimEnd()).toBe(block(readme, 'text'));
    }, 120_000);
  }

  it('vgicsim: the README example and --version run from the packed bin', () => {
    const readme = readFileSync(join(app, 'node_modules', 'vgicsim', 'README.md'), 'utf8');
    const bin = join(app, 'node_modules', '.bin', 'vgicsim');
    const command = block(readme, 'sh').trim();
    expect(command).toMatch(/^npx vgicsim /);
    expect(run(bin, command.split(/\s+/).slice(2), app).trimEnd()).toBe(block(readme, 'text'));
    const version = packed.find((p) => p.name === 'vgicsim')?.version;
    expect(run(bin, ['--version'], app).trim()).toBe(version);
  }, 120_000);
});
