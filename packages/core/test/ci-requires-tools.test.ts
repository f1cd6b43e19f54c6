// Suites that drive a system tool (tinyproxy) skip on a developer's machine without it, and fail in CI: run the
// SDK's proxy suite with a PATH that holds only node, as on a CI machine where the install step did not happen.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { isCi, skipReasonOutsideCi } from "../../../test-support/required-tool.js";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const vitest = join(repoRoot, "node_modules", "vitest", "vitest.mjs");

describe("skipReasonOutsideCi", () => {
  test("outside CI a missing tool is a reason to skip", () => {
    expect(skipReasonOutsideCi("tinyproxy is not installed", {})).toBe("tinyproxy is not installed");
    expect(skipReasonOutsideCi("tinyproxy is not installed", { CI: "false" })).toBe(
      "tinyproxy is not installed",
    );
  });

  test("in CI it is a failure", () => {
    expect(() => skipReasonOutsideCi("tinyproxy is not installed", { CI: "true" })).toThrow(
      /tinyproxy is not installed.*must run in CI/,
    );
    expect(isCi({ CI: "1" })).toBe(true);
  });

  test("an available tool is neither", () => {
    expect(skipReasonOutsideCi(undefined, { CI: "true" })).toBeUndefined();
  });
});

describe("the SDK's proxy suite without tinyproxy on the PATH", () => {
  let bin: string;
  beforeAll(() => {
    bin = mkdtempSync(join(tmpdir(), "flash-call-bare-path-"));
    symlinkSync(process.execPath, join(bin, "node"));
  });
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  const runProxySuite = (env: Record<string, string>) =>
    new Promise<{ code: number; output: string }>((resolve) => {
      execFile(
        process.execPath,
        [vitest, "run", "test/proxy.test.ts"],
        { cwd: join(repoRoot, "packages", "flash-call"), env: { PATH: bin, NO_COLOR: "1", ...env } },
        (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}\n${stderr}` }),
      );
    });

  test("fails with CI=true, naming the missing tool", async () => {
    const run = await runProxySuite({ CI: "true" });
    expect(run.code, run.output).not.toBe(0);
    expect(run.output).toContain("tinyproxy is not installed");
  }, 60_000);

  test("skips, with the reason, on a developer's machine", async () => {
    const run = await runProxySuite({});
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/skipped/);
  }, 60_000);
});
