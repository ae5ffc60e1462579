// In-process CLI runner for tests: captures both streams line by line.
import { main } from './cli.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly stderrLines: readonly string[];
}

export async function runCli(...argv: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), stdoutRaw: (t) => out.push(t) });
  const stderr = err.join('\n');
  return { code, stdout: out.join('\n'), stderr, stderrLines: stderr === '' ? [] : stderr.split('\n') };
}

/** Runs the CLI expecting JSON on stdout and exit 0. */
export async function runJson(...argv: string[]): Promise<unknown> {
  const r = await runCli(...argv);
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as unknown;
}
