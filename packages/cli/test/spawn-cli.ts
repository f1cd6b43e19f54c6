import { type ChildProcess, spawn } from "node:child_process";
import { BIN, type CliRun, expectClean } from "./run-cli.js";

/** A running `flash-call`: the child to signal, and its outcome once it exits. */
export interface SpawnedCli {
  child: ChildProcess;
  pid: number;
  /** Resolves when the process has exited and its output is read; checked for keys and stacks. */
  exited: Promise<CliRun & { signal: NodeJS.Signals | null }>;
}

/**
 * Starts `node dist/bin.cjs ...args` with `env` (exactly), optional stdin and an optional wrapper command
 * (`["timeout", "600"]`), and hands back the child so a test can signal it at the moment it chooses (when a
 * server sees the request, never after a sleep).
 *
 * @example
 * const cli = spawnCli(["push", "-t", "t", "-s", "Info", "--spool", dir], env);
 * await server.waitForRequests(1);
 * cli.child.kill("SIGTERM");
 * expect((await cli.exited).code).toBe(3);
 */
export function spawnCli(
  args: string[],
  env: Record<string, string>,
  stdin = "",
  wrapper: readonly string[] = [],
): SpawnedCli {
  // A wrapper (like `timeout 600`) runs the bin as its child: signals then go to the wrapper, as in cron or OCP.
  const [command = process.execPath, ...prefix] = [
    ...wrapper,
    ...(wrapper.length > 0 ? [process.execPath] : []),
  ];
  const child = spawn(command, [...prefix, BIN, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<CliRun & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const run = { code, signal, stdout, stderr };
      try {
        expectClean(run);
        resolve(run);
      } catch (error) {
        reject(error);
      }
    });
  });
  child.stdin?.on("error", () => undefined);
  child.stdin?.end(stdin);
  return { child, pid: child.pid ?? -1, exited };
}
