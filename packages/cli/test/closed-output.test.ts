import { spawn } from "node:child_process";
import type { MockServer } from "@flash-call/testing/server";
import { describe, expect, it } from "vitest";
import { BIN } from "./run-cli.js";
import { useMockServer } from "./use-mock-server.js";

let mock: MockServer;
let env: Record<string, string>;
useMockServer((started) => ({ mock, env } = started));

interface ClosedRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * Runs the bin with the reading end of its stdout (and of its stderr, with `closeStderr`) closed before the
 * child has started, like `flash-call push … | head -c0`: every write the child makes there fails with EPIPE.
 */
function runWithClosedOutput(args: string[], options: { closeStderr?: boolean } = {}): Promise<ClosedRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy();
    let stderr = "";
    if (options.closeStderr) child.stderr.destroy();
    else child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stderr }));
  });
}

const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

describe("output that cannot be written", () => {
  it("a delivered push exits 0 with no stack when the reader closed stdout", async () => {
    const run = await runWithClosedOutput(["push", "-t", "epipe", "-s", "Info", "-k", "closed-stdout"]);
    expect(mock.events.map((event) => event.alert_key)).toEqual(["closed-stdout"]);
    expect(run).toMatchObject({ code: 0, signal: null });
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.stderr).not.toMatch(/EPIPE|Error/);
  });

  it("--json: the same, exit 0 and nothing on stderr", async () => {
    const run = await runWithClosedOutput(["push", "-t", "epipe", "-s", "Info", "--json"]);
    expect(run).toMatchObject({ code: 0, signal: null, stderr: "" });
  });

  it("with stdout and stderr both closed, a delivered push still exits 0", async () => {
    // --key makes the command warn on stderr before sending: that write fails too.
    const run = await runWithClosedOutput(
      ["push", "-t", "epipe", "-s", "Info", "--base-url", mock.url, "--key", mock.integrationKey],
      { closeStderr: true },
    );
    expect(run).toMatchObject({ code: 0, signal: null });
  });

  it("an output error never changes the exit code of a failure either", async () => {
    const invalid = await runWithClosedOutput(
      ["push", "-t", "x", "-s", "Info", "--event-time", "2023-02-29"],
      {
        closeStderr: true,
      },
    );
    expect(invalid).toMatchObject({ code: 2, signal: null });
    mock.failNext({ kind: "error", code: "InvalidParameter", message: "rejected" });
    const rejected = await runWithClosedOutput(["push", "-t", "epipe", "-s", "Info"], { closeStderr: true });
    expect(mock.events).toHaveLength(0);
    expect(rejected).toMatchObject({ code: 1, signal: null });
  });
});
