import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { BIN, expectClean } from "./run-cli.js";
import { useMockServer } from "./use-mock-server.js";

let env: Record<string, string>;
useMockServer((started) => ({ env } = started));

// Runs the bin in a process that reports, at exit, every module Node loaded: the built-ins a command pays for at
// start-up. `-e` is no preload flag, so the bin still sends with its own transport as it does when run directly.
const PROBE = `
process.on("exit", () => process.stderr.write("\\nloaded " + JSON.stringify(process.moduleLoadList)));
const bin = process.argv[1];
require(bin);`;

function modulesLoadedBy(args: string[]): Promise<{ code: number; stdout: string; loaded: string[] }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["-e", PROBE, BIN, ...args],
      { env, encoding: "utf8" },
      (error, stdout, stderr) => {
        const [output = "", list = "[]"] = stderr.split("\nloaded ");
        expectClean({ code: 0, stdout, stderr: output });
        resolve({ code: error === null ? 0 : (error.code as number), stdout, loaded: JSON.parse(list) });
      },
    );
  });
}

const builtin = (name: string) => `NativeModule ${name}`;

test("a push to an http: URL without a spool sends on node:net and loads none of node:http, what other commands, TLS, a proxy, the spool or a shared pacer need", async () => {
  const { code, stdout, loaded } = await modulesLoadedBy(["push", "--title", "probe", "--status", "Info"]);
  expect(code).toBe(0);
  expect(stdout).toMatch(/^delivered alert_key=/);
  expect(loaded).toContain(builtin("net"));
  for (const unneeded of [
    // One event, one request: the socket transport (see socket-transport.ts); node:http is for batches.
    "http",
    "_http_client",
    "internal/deps/undici/undici",
    // The temp folder of the compile cache is read from the environment.
    "os",
    // Long options only: read without parseArgs (see long-options.ts).
    "internal/util/parse_args/parse_args",
    "https",
    "tls",
    "child_process",
    "readline",
    "zlib",
    // The spool's file names and the SHA-256 key id of a shared pacer: neither is asked for by a plain push.
    "crypto",
    "internal/crypto/webcrypto",
    "fs/promises",
  ]) {
    expect(loaded).not.toContain(builtin(unneeded));
  }
});

test("--version loads no network, crypto or file-system promises module", async () => {
  const { code, stdout, loaded } = await modulesLoadedBy(["--version"]);
  expect(code).toBe(0);
  expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  for (const unneeded of ["http", "crypto", "fs/promises", "internal/deps/undici/undici"]) {
    expect(loaded).not.toContain(builtin(unneeded));
  }
});

test("the bundles are ASCII: one character beyond Latin-1 would make V8 hold all of one as a two-byte string", () => {
  for (const name of ["run-process.cjs", "push-process.cjs"]) {
    const bundle = readFileSync(join(BIN, "..", name), "latin1");
    expect(bundle.match(/[^\x00-\x7f]/g) ?? []).toEqual([]);
  }
});

test("the push bundle holds push alone: none of the other commands' code is read or compiled by a push", () => {
  const push = readFileSync(join(BIN, "..", "push-process.cjs"), "latin1");
  const every = readFileSync(join(BIN, "..", "run-process.cjs"), "latin1");
  // Texts of resolve, flush, mock and deploy (the bundles are minified: no module names are left).
  for (const text of [
    "--alert-key is required",
    "reason not recorded",
    "mock Flashduty listening on",
    "child_process",
  ]) {
    expect(every).toContain(text);
    expect(push).not.toContain(text);
  }
  expect(push.length).toBeLessThan(every.length * 0.75);
});
