import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { baseEnv, runCli } from "./run-cli.js";

describe("flash-call (general)", () => {
  it("--version prints the package version", async () => {
    const { version } = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"));
    for (const args of [["--version"], ["push", "--version"]]) {
      expect(await runCli(args, baseEnv())).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: "" });
    }
  });

  it("prints help for the tool and for every command", async () => {
    const main = await runCli(["--help"], baseEnv());
    expect(main.code).toBe(0);
    expect(main.stdout).toMatch(/Exit codes:/);
    for (const command of ["push", "resolve", "ocp", "flush", "mock"]) {
      const run = await runCli([command, "--help"], baseEnv());
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^flash-call ${command}`));
      expect((await runCli(["help", command], baseEnv())).stdout).toBe(run.stdout);
    }
    expect((await runCli([], baseEnv())).stdout).toBe(main.stdout);
  });

  it("documents the batch exit-code rule in push --help", async () => {
    expect((await runCli(["push", "--help"], baseEnv())).stdout).toMatch(/1 if any event failed to send/);
  });

  it("exits 2 with a one-line error for an unknown command", async () => {
    const run = await runCli(["pusj"], baseEnv());
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'flash-call: UsageError: unknown command "pusj"; did you mean push? (commands: push, resolve, change, deploy, ocp, flush, mock)\n  hint: run: flash-call --help\n',
    );
  });

  it("--json puts errors on stdout as JSON too", async () => {
    const run = await runCli(["push", "--title", "x", "--json"], baseEnv());
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, error: { code: "UsageError" } });
  });

  it("a --json where --title's value should be (a title left empty) is refused as ambiguous, and answered as JSON", async () => {
    const run = await runCli(["push", "--status", "Info", "--title", "--json"], baseEnv());
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, error: { code: "UsageError" } });
    expect(run.stderr).toMatch(/^flash-call: UsageError: .*--title.*\n/);
  });

  it("a --json given inline as --title's value is that title, not a request for JSON", async () => {
    const run = await runCli(["push", "--status", "Info", "--title=--json", "--bogus"], baseEnv());
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^flash-call: UsageError: .*--bogus/);
  });

  it("an unexpected failure exits 1 with one line, no stack", async () => {
    // A spool path under a regular file cannot be created: an unexpected filesystem error.
    const run = await runCli(
      ["push", "-t", "t", "-s", "Info", "--retries", "0", "--spool", "/dev/null/spool"],
      baseEnv({
        FLASHDUTY_INTEGRATION_KEY: "unexpected-test-key-000",
        FLASHDUTY_BASE_URL: "http://127.0.0.1:1",
      }),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/could not spool it/);
    expect(run.stderr).not.toContain("unexpected-test-key-000");
  });
});
