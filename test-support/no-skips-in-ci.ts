import type { Reporter, TestModule } from "vitest/node";

/**
 * A vitest reporter for CI runs (vitest.shared.ts adds it when CI is set): a skipped test fails the run, naming
 * each one. The repository skips tests only where a system tool is missing on a developer's machine (tinyproxy,
 * Chromium), and CI must run them all, so a CI run that passes has run every test.
 *
 * @example
 * ```ts
 * reporters: isCi() ? ["default", new NoSkipsInCi()] : ["default"]
 * ```
 */
export class NoSkipsInCi implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const skipped: string[] = [];
    for (const testModule of testModules) {
      for (const testCase of testModule.children.allTests()) {
        if (testCase.result().state === "skipped")
          skipped.push(`${testModule.moduleId} > ${testCase.fullName}`);
      }
    }
    if (skipped.length === 0) return;
    console.error(`\n${skipped.length} test(s) skipped in CI, where every test must run:`);
    for (const name of skipped) console.error(`  ${name}`);
    process.exitCode = 1;
  }
}
