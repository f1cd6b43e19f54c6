// In CI a skipped test fails the run (test-support/no-skips-in-ci.ts, added by vitest.shared.ts), so a suite
// that skips because its system tool is missing (the CLI's and the SDK's proxy suites) cannot pass CI unseen.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const vitest = join(repoRoot, "node_modules", "vitest", "vitest.mjs");
let fixture: string;

beforeAll(() => {
  // Inside the repository (so it resolves vitest), in a folder no package's test run collects.
  fixture = mkdtempSync(join(repoRoot, "packages", "core", ".skip-fixture-"));
  mkdirSync(join(fixture, "test"));
  writeFileSync(
    join(fixture, "test", "tool.test.ts"),
    [
      'import { describe, expect, test } from "vitest";',
      'const missing = "the tool is not installed";',
      'describe.skipIf(missing !== undefined)("needs the tool", () => {',
      "  test('uses it', () => expect(1).toBe(1));",
      "});",
      "test('runs anyway', () => expect(1).toBe(1));",
      "",
    ].join("\n"),
  );
});
afterAll(() => rmSync(fixture, { recursive: true, force: true }));

function runFixture(env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [vitest, "run", "--root", fixture, "--config", join(repoRoot, "vitest.shared.ts")],
      { cwd: fixture, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NO_COLOR: "1", ...env } },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}\n${stderr}` }),
    );
  });
}

test("with CI=true a skipped test fails the run and is named", async () => {
  const run = await runFixture({ CI: "true" });
  expect(run.code, run.output).toBe(1);
  expect(run.output).toContain("1 test(s) skipped in CI, where every test must run:");
  expect(run.output).toContain("tool.test.ts > needs the tool > uses it");
}, 60_000);

test("on a developer's machine the same run passes, with the test skipped", async () => {
  const run = await runFixture({});
  expect(run.code, run.output).toBe(0);
  expect(run.output).toMatch(/1 skipped/);
}, 60_000);
