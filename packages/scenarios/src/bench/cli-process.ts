// Child process of the benchmark's CLI cases: `node cli-process.js <bin.js> <vgicsim args…>` runs the
// vgicsim executable in this very process (so its start-up is timed too) and, on exit, reports the
// process's peak RSS on stderr for the parent to read.
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const bin = process.argv[2];
if (bin === undefined) throw new Error('usage: cli-process.js <path of vgicsim bin.js> [args…]');
process.argv.splice(2, 1);
process.on('exit', () => {
  writeSync(2, `\nVGICSIM_BENCH_MAXRSS_KB ${process.resourceUsage().maxRSS}\n`);
});
await import(pathToFileURL(bin).href);
