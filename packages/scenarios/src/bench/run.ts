// `npm run bench`: runs the kernel micro-benchmark and every case in its own process, prints one table with
// the machine, and writes the same as JSON so later runs can be compared as ratios. Not a test.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_CASES, type CaseResult } from './cases.js';
import { writeFileAtomic } from '../io/output-file.js';
import { CLI_CASES, type CliResult, cliGroups, evaluateTargets, measureCli } from './cli-cases.js';

const here = dirname(fileURLToPath(import.meta.url));
const outArg = process.argv.indexOf('--out');
const out = outArg >= 0 ? process.argv[outArg + 1] : undefined;
const only = process.env['VGICSIM_BENCH_ONLY'];
const cliArg = process.argv.indexOf('--cli');
const cliBin = cliArg >= 0 ? process.argv[cliArg + 1] : undefined;

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: availableParallelism(),
  node: process.version,
  date: new Date().toISOString().slice(0, 10),
};
console.log(`vgicsim bench — ${machine.date} — ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}`);

const kernelPath = resolve(here, '../../../kvm-sim/dist/bench/kernel-bench.js');
let kernel: unknown = null;
if (only === undefined) {
  const text = execFileSync(process.execPath, [kernelPath], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const lines = text.trimEnd().split('\n');
  for (const l of lines.slice(0, -1)) console.log(l);
  kernel = JSON.parse(lines[lines.length - 1] ?? '{}') as unknown;
}

const results: CaseResult[] = [];
console.log('');
const head = ['case', 'median wall', 'events', 'events/s', 'virtual time', 'speed-up', 'peak RSS', 'schedules/s', 'outcome / note'];
console.log(head.join(' | '));
for (const c of BENCH_CASES) {
  if (only !== undefined && !c.id.includes(only)) continue;
  const args = [...(c.kind === 'memory' ? ['--expose-gc'] : []), resolve(here, 'case.js'), JSON.stringify(c)];
  const text = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const r = JSON.parse(text.trim().split('\n').pop() ?? '{}') as CaseResult;
  results.push(r);
  console.log(
    [
      r.id,
      `${r.medianMs} ms`,
      r.events === 0 ? '—' : r.events.toLocaleString('en-US'),
      r.eventsPerSec === 0 ? '—' : r.eventsPerSec.toLocaleString('en-US'),
      r.virtualNs === 0 ? '—' : `${(r.virtualNs / 1e6).toFixed(1)} ms`,
      r.speedup === 0 ? '—' : `${r.speedup.toFixed(2)}×`,
      `${r.peakRssMb} MB${r.liveHeapMb === null ? '' : ` (live heap ${r.liveHeapMb.toFixed(1)} MB)`}`,
      r.schedulesPerSec === null ? '—' : String(r.schedulesPerSec),
      `${r.outcome}; ${r.note}`,
    ].join(' | '),
  );
}
// Issue 17: the command as users run it (whole process, median of the runs), beside the bench path.
const cli: CliResult[] = [];
if (cliBin !== undefined) {
  console.log('');
  console.log('whole-process CLI cases (vgicsim as a user runs it; wall from process start to exit)');
  console.log(['case', 'median wall', 'runs (ms)', 'peak RSS', 'load (1 min)', 'exit', 'trace hash / schedules'].join(' | '));
  const binOf = (c: (typeof CLI_CASES)[number]): string => (c.script === 'bench-path' ? resolve(here, 'bench-path-process.js') : resolve(cliBin));
  for (const group of cliGroups(CLI_CASES)) {
    const picked = group.filter((c) => only === undefined || c.id.includes(only));
    for (const r of measureCli(picked, resolve(here, 'cli-process.js'), binOf)) {
      cli.push(r);
      const extra = r.traceHash ?? (r.schedules === null ? '—' : `${r.schedules} schedules${r.exhausted === null ? '' : r.exhausted ? ', exhausted' : ', not exhausted'}`);
      console.log([r.id, `${r.medianMs} ms`, r.wallMs.join(' '), `${r.peakRssMb} MB`, r.load.toFixed(1), String(r.exitCode), extra].join(' | '));
    }
  }
}
const targets = evaluateTargets(cli, new Map(results.map((r) => [r.id, r.medianMs])), new Map(results.flatMap((r) => (r.coldMs === null ? [] : [[r.id, r.coldMs] as const]))));
if (cli.length > 0) {
  console.log('');
  console.log('targets of issue 17 (2-core machine; ratios are from this run)');
  for (const t of targets) console.log(`${t.met === null ? 'n/a   ' : t.met ? 'met   ' : 'MISSED'} | ${t.target} | ${t.measured}`);
}
if (out !== undefined) {
  mkdirSync(dirname(resolve(out)), { recursive: true });
  writeFileAtomic(resolve(out), `${JSON.stringify({ machine, kernel, results, cli, targets }, null, 2)}\n`);
  console.log(`\nwritten: ${out}`);
}
