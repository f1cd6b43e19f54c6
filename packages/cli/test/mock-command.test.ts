import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { BIN, baseEnv, runCli } from "./run-cli.js";

function waitFor(read: () => string, pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      const match = read().match(pattern);
      if (match) {
        clearInterval(poll);
        resolve(match);
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(poll);
        reject(new Error(`timed out waiting for ${pattern} in:\n${read()}`));
      }
    }, 20);
  });
}

describe("flash-call mock", () => {
  it.each([["SIGINT"], ["SIGTERM"]] as const)(
    "prints its push URL and each event, and stops on %s",
    async (signal) => {
      const child = spawn(process.execPath, [BIN, "mock", "--port", "0"], { env: baseEnv() });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        stdout += chunk;
      });
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
        stderr += chunk;
      });
      const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
      try {
        const [, pushUrl] = await waitFor(() => stdout, /^\s+(http:\/\/127\.0\.0\.1:\d+\S+)$/m);
        expect(stdout).toMatch(/mock key, not a real Flashduty key/);
        const run = await runCli(
          ["push", "-t", "hello from the test", "-s", "Info", "-k", "mock-1"],
          baseEnv({ FLASHDUTY_PUSH_URL: pushUrl ?? "" }),
        );
        expect(run.code).toBe(0);
        await waitFor(() => stdout, /Info\s+alert_key=mock-1 "hello from the test"/);
      } finally {
        child.kill(signal);
      }
      expect(await exited).toBe(0);
      expect(stdout).toMatch(/mock stopped/);
      expect(stderr).toBe("");
    },
  );

  it("rejects a bad port", async () => {
    const run = await runCli(["mock", "--port", "http"], baseEnv());
    expect(run.code).toBe(2);
  });
});
