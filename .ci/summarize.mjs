// Prints "N passed, N failed[, N skipped]" from a vitest JSON report and exits non-zero when
// the test command failed or the report is missing (lint, typecheck or build broke first).
import { readFileSync } from 'node:fs';

const [file, statusArg] = process.argv.slice(2);
const status = Number(statusArg ?? '1');
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch {
  console.log('no test report: the test command failed before the tests ran');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
// A file that failed to load has no test results of its own: count it as one failure.
const brokenFiles = (report.testResults ?? []).filter(
  (r) => r.status === 'failed' && (r.assertionResults ?? []).length === 0,
).length;
const failed = (report.numFailedTests ?? 0) + brokenFiles;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
const ranNothing = report.numTotalTests === 0;
if (status !== 0 && failed === 0) {
  console.log(`the test command exited with status ${status}`);
}
console.log(
  `${passed} passed, ${failed === 0 && status !== 0 ? 1 : failed} failed, ${skipped} skipped`,
);
process.exit(status !== 0 || failed > 0 || ranNothing ? 1 : 0);
