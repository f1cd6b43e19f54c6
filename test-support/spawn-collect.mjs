import { spawn } from "node:child_process";

/**
 * Runs `command` to its end and collects what it wrote, for the scripts and tests that start a child and read its
 * outcome afterwards (the demo, the benchmarks, the CLI's end-to-end tests). It resolves once the child has exited
 * and closed its output, whatever its exit code: judging the outcome is the caller's; it rejects only when the
 * child cannot be started. Output is decoded as UTF-8 across chunk boundaries. The child runs asynchronously, so a
 * server in the calling process (a mock the child talks to) keeps answering meanwhile.
 *
 * @param {string} command
 * @param {readonly string[]} args
 * @param {import("node:child_process").SpawnOptions} [options] passed to `spawn`; default stdin ignored, stdout
 *   and stderr collected (a stream set to "ignore" or "inherit" is collected as "")
 * @returns {Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>}
 *   `status` is `null` when a signal ended the child
 * @example
 * const { status, stdout, stderr } = await spawnCollect(process.execPath, ["dist/bin.js", "--version"]);
 */
export function spawnCollect(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (text) => {
      stdout += text;
    });
    child.stderr?.setEncoding("utf8").on("data", (text) => {
      stderr += text;
    });
    child.on("error", reject);
    child.on("close", (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}
