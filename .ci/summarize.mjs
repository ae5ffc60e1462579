// Prints `tests: N passed, N failed` from vitest's JSON report; exits 1 when the report is missing or has failures.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'test-results.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch {
  console.log('tests: 0 passed, 1 failed');
  console.error(`summarize: no readable vitest JSON report at ${file} (the build, typecheck or lint step failed before tests ran)`);
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
// A suite that fails to load has no failed tests of its own; count it so a broken file cannot pass silently.
const failedTests = report.numFailedTests ?? 0;
const failedSuites = report.numFailedTestSuites ?? 0;
const failed = failedTests > 0 ? failedTests : failedSuites;
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
