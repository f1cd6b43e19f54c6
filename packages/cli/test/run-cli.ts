import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

/** The built bin under test. */
export const BIN = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "bin.js");

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
 * Runs `node dist/bin.js ...args` with `env` (exactly; see {@link baseEnv}) and optional stdin; checks that
 * the output holds no key and no stack.
 */
export function runCli(args: string[], env: Record<string, string>, stdin?: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const run = { code, stdout, stderr };
      try {
        expectClean(run);
        resolve(run);
      } catch (error) {
        reject(error);
      }
    });
    child.stdin.end(stdin ?? "");
  });
}
