// The bench path as a whole process (issue 17): `node bench-path-process.js <scenario> <strategy> <vcpus>`
// runs one simulation exactly as the in-process bench case does (runScenario, trace off, no choices kept),
// loading the package entry the CLI loads, in a fresh process. Started through cli-process.js like the
// `vgicsim` bin, so that the two are timed alike — same Node start-up, module loading and JIT warm-up — and
// their ratio is what the CLI does that the bench path does not (hashing the trace, counting choices,
// parsing flags and printing the report).
import { runScenario } from '../index.js';

const USAGE = 'usage: bench-path-process.js <scenario> <strategy> <vcpus>';
const [scenario, strategy, vcpus] = process.argv.slice(2);
try {
  if (scenario === undefined || strategy === undefined || vcpus === undefined || !/^\d+$/.test(vcpus)) {
    throw new Error(`${USAGE}, vcpus a whole number (got '${process.argv.slice(2).join(' ')}')`);
  }
  const r = runScenario({ scenario, strategy, params: { vcpus: Number(vcpus) }, seed: 1, trace: 'off' });
  process.stdout.write(`${r.scenario} under ${r.strategy}: ${r.outcome}, ${r.steps} steps, virtual time ${r.virtualTimeNs} ns\n`);
} catch (e) {
  // One line, like the CLI: a bench case with a bad name is a typo, not a crash to debug.
  process.stderr.write(`bench-path-process: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 2;
}
