import { writeFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints one plain closing line, `tests: N passed, N failed, N skipped`, that any CI log reader can parse.
 * It is written at process exit so that it comes after vitest's own summary, as the run's last line.
 * Before it, the slowest files with their import and test times: where to look first when the suite slows.
 * With POS_TEST_TOTALS set, the three counts also go to that file, for `npm test` to sum over its runs.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const testModule of testModules) {
      for (const testCase of testModule.children.allTests()) {
        const state = testCase.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failed += 1;
        else skipped += 1;
      }
    }
    const line = `tests: ${passed} passed, ${failed} failed, ${skipped} skipped`;
    // `npm test` runs two vitest processes side by side and sums their counts into one closing line.
    const totalsFile = process.env.POS_TEST_TOTALS;
    if (totalsFile) writeFileSync(totalsFile, `${passed} ${failed} ${skipped}\n`);
    const slowest = slowestFiles(testModules, 12);
    process.once('exit', () => process.stdout.write(`\n${slowest}\n${line}\n`));
  }
}

function slowestFiles(testModules: ReadonlyArray<TestModule>, count: number): string {
  const timed = testModules.map((testModule) => {
    const { collectDuration, duration } = testModule.diagnostic();
    return { file: testModule.moduleId, collect: collectDuration, run: duration };
  });
  timed.sort((a, b) => b.collect + b.run - (a.collect + a.run));
  const root = `${process.cwd()}/`;
  const rows = timed
    .slice(0, count)
    .map(
      ({ file, collect, run }) =>
        `  ${((collect + run) / 1000).toFixed(1).padStart(6)} s  (import ${(collect / 1000).toFixed(1)} s)  ${file.replace(root, '')}`,
    );
  return ['slowest files:', ...rows].join('\n');
}
