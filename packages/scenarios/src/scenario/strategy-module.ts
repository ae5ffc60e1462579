// Strategy modules: a design in its own ES module file (`export default { name, …, *resetIccCtlr() }`),
// loaded by dynamic import — I/O, so it lives here at the edge and not in the model, which only defines
// and checks the shape (validateStrategy). The content hash pins the exact design a run used.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type IccResetStrategy, StrategyShapeError, validateStrategy } from '@vgicsim/qemu-arm-model';

/** Where a design came from: the module's absolute path and the SHA-256 of its content. */
export interface StrategyModuleRef {
  readonly path: string;
  readonly sha256: string;
}

export type ModuleStrategy = IccResetStrategy & { readonly module: StrategyModuleRef };

/** A strategy module could not be used; `file` is the path as given, `problem` one line. */
export class StrategyModuleError extends Error {
  override readonly name = 'StrategyModuleError';
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`strategy module ${file}: ${problem}`);
  }
}

/** A --strategy value names a module (a path) rather than a built-in when it has a slash or a JS extension. */
export function isStrategyPath(text: string): boolean {
  return text.includes('/') || text.includes('\\') || /\.([mc]?js|[mc]?ts)$/.test(text);
}

export function moduleOf(strategy: string | IccResetStrategy): StrategyModuleRef | null {
  if (typeof strategy === 'string') return null;
  const m = (strategy as Partial<ModuleStrategy>).module;
  return m === undefined ? null : m;
}

export function hashFile(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/**
 * Imports the module at `path` and checks its default export (or, without one, its `strategy` export).
 * With `expectSha256`, a module whose content changed is refused. Every failure is a StrategyModuleError.
 */
export async function loadStrategyModule(path: string, expectSha256?: string): Promise<ModuleStrategy> {
  const abs = resolve(path);
  // Node 20 cannot import TypeScript; say so instead of relaying "Unknown file extension".
  if (/\.[mc]?ts$/.test(abs)) throw new StrategyModuleError(path, 'a TypeScript file: compile it to .mjs/.js first (e.g. with tsc) and pass the output');
  let sha256: string;
  try {
    if (!statSync(abs).isFile()) throw new Error('not a file');
    sha256 = hashFile(abs);
  } catch {
    throw new StrategyModuleError(path, 'no such file');
  }
  if (expectSha256 !== undefined && sha256 !== expectSha256) {
    throw new StrategyModuleError(path, `changed since it was recorded (sha256 ${expectSha256.slice(0, 12)}… recorded, ${sha256.slice(0, 12)}… now); refusing to run a different design`);
  }
  let ns: Record<string, unknown>;
  try {
    // The hash in the URL makes an edited file a new module rather than the cached old one.
    ns = (await import(`${pathToFileURL(abs).href}?sha256=${sha256}`)) as Record<string, unknown>;
  } catch (e) {
    // By name: a module's SyntaxError may come from another realm (a test runner's transform).
    const what = e instanceof Error && e.name === 'SyntaxError' ? 'syntax error' : 'threw while loading';
    const msg = e instanceof Error ? e.message : String(e);
    throw new StrategyModuleError(path, `${what}: ${msg.replace(/\s+/g, ' ').trim()}`);
  }
  const exported = ns['default'] ?? ns['strategy'];
  let strategy: IccResetStrategy;
  try {
    strategy = validateStrategy(exported, path);
  } catch (e) {
    if (e instanceof StrategyShapeError) throw new StrategyModuleError(path, `wrong export: ${e.problem}`);
    throw e;
  }
  return { ...strategy, module: { path: abs, sha256 } };
}
