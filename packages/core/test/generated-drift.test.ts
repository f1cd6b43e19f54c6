// The drift check must fail on a stale committed file, and `pnpm test` / `pnpm check` must run it before any task
// regenerates the files (a check after `generate` compares the files with themselves and always passes).
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, test } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const repoRoot = join(packageDir, "..", "..");
const generator = join(packageDir, "scripts", "generate.mjs");

/** Runs the drift check against a copy of the committed files in `directory`. */
function runCheck(directory: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [generator, "--check", "--dir", directory],
      { cwd: repoRoot },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe("generated-code drift check", () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), "flash-call-generated-"));
    cpSync(join(packageDir, "src", "generated"), directory, { recursive: true });
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  test("passes on the committed files", async () => {
    const run = await runCheck(directory);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
  });

  test.each(["spec-data.ts", "schema.ts"])(
    "a stale %s fails with its name and `pnpm generate`",
    async (file) => {
      const path = join(directory, file);
      writeFileSync(path, readFileSync(path, "utf8").replace(/\n$/, "\nexport const stale = 1;\n"));
      const run = await runCheck(directory);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(file);
      expect(run.stderr).toContain("pnpm generate");
    },
  );
});

describe("the drift check runs before anything regenerates", () => {
  const scripts: Record<string, string> = JSON.parse(
    readFileSync(join(repoRoot, "package.json"), "utf8"),
  ).scripts;
  const driftCheck = "pnpm check:generated";

  test("`pnpm check:generated` is the generator's --check on the committed files", () => {
    expect(scripts["check:generated"]).toBe("node packages/core/scripts/generate.mjs --check");
  });

  test.each(["test", "check"])("`pnpm %s` starts its turbo tasks only after the drift check", (name) => {
    const script = scripts[name] ?? "";
    const checkAt = script.indexOf(driftCheck);
    expect(checkAt, `${name}: ${script}`).toBeGreaterThanOrEqual(0);
    const firstTurbo = script.search(/\bturbo run\b|\bpnpm (build|generate|size|test:)/);
    expect(firstTurbo === -1 || checkAt < firstTurbo, `${name}: ${script}`).toBe(true);
  });
});
