// No import cycle between any two modules of the monorepo (issue 16). Type-only imports count: a cycle
// of types is still a cycle for a reader. Cross-package imports resolve to the imported package's
// source entry, so a cycle through a workspace's index.ts is found as well.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const WORKSPACES = ['packages/gicv3-regs', 'packages/kvm-sim', 'packages/qemu-arm-model', 'packages/scenarios', 'apps/cli'];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const packageEntries = new Map<string, string>();
for (const ws of WORKSPACES) {
  const manifest = JSON.parse(readFileSync(join(ROOT, ws, 'package.json'), 'utf8')) as { name: string; exports: { '.': { source: string } } };
  packageEntries.set(manifest.name, join(ROOT, ws, manifest.exports['.'].source));
}

/** The module a specifier names, or undefined for a module outside the monorepo (node:, npm packages). */
function resolveSpecifier(from: string, spec: string): string | undefined {
  const entry = packageEntries.get(spec);
  if (entry !== undefined) return entry;
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(from), spec);
  for (const candidate of [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && candidate.endsWith('.ts')) return candidate;
  }
  return undefined;
}

/** Every module to the list of modules it imports (static, dynamic, type-only and re-exports alike). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const ws of WORKSPACES) {
    for (const file of sourceFiles(join(ROOT, ws, 'src'))) {
      const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      const targets = info.importedFiles.map((f) => resolveSpecifier(file, f.fileName)).filter((t): t is string => t !== undefined);
      graph.set(file, [...new Set(targets)]);
    }
  }
  return graph;
}

/** Strongly connected components with more than one module, or a module importing itself (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.map((f) => relative(ROOT, f)).sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('import graph', () => {
  it('finds a cycle when there is one', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['d']],
      ['e', ['a']],
    ]);
    expect(cycles(g)).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('reads every workspace, type-only and cross-package imports included', () => {
    const graph = importGraph();
    const kernelIndex = join(ROOT, 'packages/kvm-sim/src/index.ts');
    expect(graph.get(join(ROOT, 'packages/qemu-arm-model/src/index.ts'))).toBeInstanceOf(Array);
    expect([...graph.values()].some((targets) => targets.includes(kernelIndex))).toBe(true);
  });

  it('has no cycle between modules of the monorepo', () => {
    expect(cycles(importGraph())).toEqual([]);
  });
});
