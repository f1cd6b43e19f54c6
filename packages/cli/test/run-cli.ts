import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

/** The built bin under test. */
export const BIN = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "bin.cjs");

/** What a run of the bin produced. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Secrets that must never appear in any output; tests register the keys they use. */
const secrets = new Set<string>();

/** Registers a key that no run may print (raw or URL-encoded). */
export function neverPrint(key: string): void {
  secrets.add(key);
}

/** Asserts a run printed no registered key and no stack trace. */
export function expectClean(run: CliRun): void {
  const all = `${run.stdout}\n${run.stderr}`;
  for (const secret of secrets) {
    expect(all).not.toContain(secret);
    expect(all).not.toContain(encodeURIComponent(secret));
  }
  expect(run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

/** A clean environment: PATH only (no proxies, keys or spool from the machine running the tests). */
export function baseEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
  for (const [name, value] of Object.entries(extra)) if (value !== undefined) env[name] = value;
  return env;
}

/**
 * Runs `node dist/bin.cjs ...args` with `env` (exactly; see {@link baseEnv}) and optional stdin; checks that
 * the output holds no key and no stack.
 */
export function runCli(args: string[], env: Record<string, string>, stdin?: string): Promise<CliRun> {
  return runCliWithin(args, env, { stdin });
}

/** A {@link CliRun} with its timing: how long it took, and how long it lingered after its last output. */
export interface TimedCliRun extends CliRun {
  /** From spawn to exit, in ms. */
  durationMs: number;
  /**
   * From the last byte written to stdout/stderr to the process exiting, in ms. The bin force-exits 2 s after
   * its command settles, so a leaked handle (timer, socket) shows up here as about 2000.
   */
  lingerMs: number;
  /** The signal that ended the process, if one did (as with {@link RunWithinOptions.killAfterMs}). */
  signal: NodeJS.Signals | null;
  /** The child's process id (names its spool temp and claim files). */
  pid: number | undefined;
}

/** Options of {@link runCliWithin}. */
export interface RunWithinOptions {
  /** Text for stdin. @default "" */
  stdin?: string | undefined;
  /** Kill the process (SIGKILL) and fail if it has not exited after this many ms. @default no limit */
  timeoutMs?: number | undefined;
  /** Kill the process with SIGKILL after this many ms, on purpose (a crash test): not a failure. */
  killAfterMs?: number | undefined;
}

/**
 * {@link runCli} with a hard time limit: a run that does not exit by itself within `timeoutMs` is killed and
 * the promise rejects, so a hanging timer or socket fails the test instead of stalling it.
 *
 * @example
 * const run = await runCliWithin(["push", "-t", "x", "-s", "Info"], env, { timeoutMs: 10_000 });
 */
export function runCliWithin(
  args: string[],
  env: Record<string, string>,
  options: RunWithinOptions = {},
): Promise<TimedCliRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let lastOutput = started;
    let exited = started;
    let hung = false;
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
    const limit =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            hung = true;
            child.kill("SIGKILL");
          }, options.timeoutMs);
    const kill =
      options.killAfterMs === undefined
        ? undefined
        : setTimeout(() => child.kill("SIGKILL"), options.killAfterMs);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      lastOutput = performance.now();
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
      lastOutput = performance.now();
    });
    child.on("error", reject);
    child.on("exit", () => {
      exited = performance.now();
    });
    child.on("close", (code, signal) => {
      if (limit !== undefined) clearTimeout(limit);
      if (kill !== undefined) clearTimeout(kill);
      const run = {
        code,
        signal,
        pid: child.pid,
        stdout,
        stderr,
        durationMs: Math.round(exited - started),
        lingerMs: Math.round(exited - lastOutput),
      };
      if (hung) {
        reject(
          new Error(
            `flash-call ${args.join(" ")} did not exit within ${options.timeoutMs} ms\nstderr: ${stderr}`,
          ),
        );
        return;
      }
      try {
        expectClean(run);
        resolve(run);
      } catch (error) {
        reject(error);
      }
    });
    // A child that dies early closes stdin under us: that is its exit to report, not an error here.
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.stdin ?? "");
  });
}
