import { run } from "../src/run.js";
import type { CliRun } from "./run-cli.js";

/**
 * Runs the CLI's `run()` in this process with `env` (exactly) and `stdin` (default none), collecting what it wrote:
 * for tests that check words and exit codes, where spawning the bin would only add time.
 *
 * @example
 * const { code, stderr } = await runInProcess(["push", "-t", "t", "-s", "Info"], {});
 */
export async function runInProcess(argv: string[], env: Record<string, string>, stdin = ""): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await run(argv, {
    env,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: (async function* () {
      if (stdin !== "") yield stdin;
    })(),
  });
  return { code, stdout, stderr };
}
