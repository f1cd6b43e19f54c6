import { describe, expect, it } from "vitest";
import { runCommandLine } from "./run-command-line.js";

async function runUnparsable(argv: string[]) {
  let stdout = "";
  let stderr = "";
  let dispatched = false;
  const code = await runCommandLine(
    argv,
    {
      env: {},
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      stdin: (async function* () {})(),
    },
    async () => {
      dispatched = true;
      return 0;
    },
  );
  return { code, stdout, stderr, dispatched };
}

describe("runCommandLine", () => {
  it.each([
    [["push", "--json", "--bogus"], /unknown option "--bogus"/],
    [["push", "--title", "t", "--status", "Info", "stray", "--json"], /unexpected argument "stray"/],
    [["push", "--json", "--title"], /--title needs a value/],
    [["bogus", "--json"], /unknown command "bogus"/],
  ])(
    "with --json, prints a usage error found while parsing %j as one JSON line on stdout",
    async (argv, message) => {
      const run = await runUnparsable(argv);
      expect(run.code).toBe(2);
      expect(run.dispatched).toBe(false);
      expect(run.stdout.endsWith("\n")).toBe(true);
      expect(run.stdout.trimEnd().split("\n")).toHaveLength(1);
      const document = JSON.parse(run.stdout);
      expect(document).toMatchObject({ ok: false, error: { code: "UsageError" } });
      expect(document.error.message).toMatch(message);
      expect(run.stderr).toMatch(message);
    },
  );

  it.each([
    [["push", "--title", "--json"]],
    [["push", "-t", "--json"]],
    [["push", "--status", "Info", "--label", "--json"]],
    [["change", "--change-key", "--json", "--bogus"]],
    [["mock", "--port", "--json"]],
    [["deploy", "--title", "--json", "--", "./deploy.sh"]],
  ])(
    "reads --json left where a flag's value should be (%j), which the parser refuses as ambiguous, as a request for JSON",
    async (argv) => {
      const run = await runUnparsable(argv);
      expect(run.code).toBe(2);
      expect(run.dispatched).toBe(false);
      expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, error: { code: "UsageError" } });
      expect(run.stderr).toMatch(/^flash-call: UsageError: /);
    },
  );

  it.each([
    [["push", "--title=--json", "--bogus"]],
    [["push", "-t=--json", "--bogus"]],
    [["deploy", "--bogus", "--title=--json", "--", "./deploy.sh"]],
  ])(
    "reads --json given inline as a flag's value (%j) as that value, not a request for JSON",
    async (argv) => {
      const run = await runUnparsable(argv);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(/^flash-call: UsageError: /);
    },
  );

  it.each([
    [["push", "--title=t", "--bogus", "--json"]],
    [["push", "-t", "t", "-s", "Info", "stray", "--json"]],
  ])("reads --json where the parser reads it as an option (%j)", async (argv) => {
    const run = await runUnparsable(argv);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, error: { code: "UsageError" } });
  });

  it("reads --json after -- as the deploy command's own word, not the output's", async () => {
    const run = await runUnparsable(["deploy", "--bogus", "--", "./deploy.sh", "--json"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/unknown option "--bogus"/);
  });
});
