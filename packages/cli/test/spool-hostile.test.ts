import { spawn, spawnSync } from "node:child_process";
import { chmod, chown, copyFile, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { MockServer } from "@flash-call/testing/server";
import { beforeEach, describe, expect, it } from "vitest";
import { BIN, baseEnv, type CliRun, expectClean, runCli } from "./run-cli.js";
import { useMockServer } from "./use-mock-server.js";

// A spool is written by crashes and read after them, by other processes, on machines whose clocks move: whatever
// is found there, no event is lost, altered or sent out of its alert's order.

let mock: MockServer;
let env: Record<string, string>;
useMockServer((started) => ({ mock, env } = started));

let root: string;
let spool: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "flash-call-hostile-"));
  spool = join(root, "spool");
});

/** A pid no process has now: a child's, once it has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", ""]).pid ?? 999_999;
}

/** Spools one event of `alertKey` for the mock: its push meets a reset connection (retryable). */
async function spoolOne(alertKey: string, status: "Critical" | "Ok", extraEnv: Record<string, string> = {}) {
  mock.failNext({ kind: "reset" });
  const run = await runCli(
    ["push", "-t", `${status} ${alertKey}`, "-s", status, "-k", alertKey, "--retries", "0", "--spool", spool],
    { ...env, ...extraEnv },
  );
  expect(run.code, run.stderr).toBe(3);
  mock.reset();
}

describe("the spool, attacked", () => {
  it("keeps an alert's order when the wall clock steps back between its events", async () => {
    await spoolOne("clock", "Critical");
    // The resolution comes from a process whose clock reads a minute earlier (an NTP step, a restored VM): it
    // is queued behind the trigger, and must be sent after it.
    const back = join(root, "clock-back.cjs");
    await writeFile(back, "const now = Date.now; Date.now = () => now() - 60_000;\n");
    const resolve = await runCli(["resolve", "-k", "clock", "--spool", spool], {
      ...env,
      NODE_OPTIONS: `--require ${back}`,
    });
    expect(resolve.code, resolve.stderr).toBe(3);
    expect(resolve.stderr).toMatch(/QueuedBehind/);
    const flush = await runCli(["flush", "--spool", spool], env);
    expect(flush.code, flush.stderr).toBe(0);
    expect(mock.events.map((event) => event.event_status)).toEqual(["Critical", "Ok"]);
  });

  it("sets aside an entry that is not valid UTF-8 instead of sending an altered event", async () => {
    await spoolOne("bytes", "Critical");
    const [name = ""] = await readdir(spool);
    const text = await readFile(join(spool, name));
    const at = text.indexOf("Critical bytes") + "Critical".length;
    await writeFile(
      join(spool, name),
      Buffer.concat([text.subarray(0, at), Buffer.from([0xc3, 0x28]), text.subarray(at)]),
    );
    const flush = await runCli(["flush", "--spool", spool], env);
    expect(flush.code).toBe(1);
    expect(flush.stderr).toContain(
      `${name}: Unreadable: spool file ${name} is unreadable (it is not valid UTF-8`,
    );
    expect(flush.stdout).toMatch(/0 delivered, 1 set aside, 0 kept, 0 left/);
    expect(mock.events).toEqual([]);
    expect((await readdir(spool)).sort()).toEqual([`${name}.reason.json`, `${name}.rejected`]);
  });

  it("delivers past claim files named by no spool entry (`.claimed-<pid>-..`), and leaves them alone", async () => {
    await spoolOne("strangers", "Critical");
    const dead = deadPid();
    const strangers = [`.claimed-${dead}-..`, `.claimed-${dead}-.`, `.claimed-${dead}-notes.txt`];
    for (const stranger of strangers) await writeFile(join(spool, stranger), "");
    const flush = await runCli(["flush", "--spool", spool], env);
    expect(flush.code, flush.stderr).toBe(0);
    expect(mock.events.map((event) => event.alert_key)).toEqual(["strangers"]);
    expect((await readdir(spool)).sort()).toEqual(strangers.sort());
  });

  it("keeps, and counts as kept, the entries of a spool it may not write; none is called set aside", async () => {
    await spoolOne("locked", "Critical");
    await spoolOne("locked", "Ok");
    const names = (await readdir(spool)).sort();
    // Root writes anywhere: the flush then runs as nobody, in a spool nobody owns but may not write.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      await chmod(root, 0o755);
      await chown(spool, 65_534, 65_534);
    }
    await chmod(spool, 0o500);
    const flush = await runAs(
      asRoot ? 65_534 : undefined,
      ["flush", "--spool", spool],
      env,
      asRoot ? await binNobodyCanRun() : BIN,
    );
    await chmod(spool, 0o700);
    expect(flush.code).toBe(1);
    expect(flush.stderr).toMatch(/EACCES/);
    expect(flush.stdout).toMatch(/0 delivered, 0 set aside, 1 kept, 2 left/);
    expect(mock.events).toEqual([]);
    expect((await readdir(spool)).sort()).toEqual(names);
  });
});

/**
 * A copy of the built command in a folder anyone may read: the checkout may sit under a folder only root may enter
 * (a CI machine's home), where nobody could not load it. A flush needs only these files: undici and the Redis client,
 * the bundle's only outside modules, are loaded for a proxy or `--redis` alone.
 */
async function binNobodyCanRun(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), "flash-call-bin-"));
  await chmod(folder, 0o755);
  for (const name of ["bin.cjs", "run-process.cjs", "push-process.cjs"]) {
    await copyFile(join(dirname(BIN), name), join(folder, name));
    await chmod(join(folder, name), 0o755);
  }
  return join(folder, "bin.cjs");
}

/** Runs the bin (`bin`) as user `uid` (its own group too; unchanged when undefined) and waits for it to close. */
function runAs(
  uid: number | undefined,
  args: string[],
  runEnv: Record<string, string>,
  bin = BIN,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: baseEnv({ ...runEnv, NODE_DISABLE_COMPILE_CACHE: "1" }),
      stdio: ["ignore", "pipe", "pipe"],
      ...(uid !== undefined && { uid, gid: uid }),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const run = { code, stdout, stderr };
      expectClean(run);
      resolve(run);
    });
  });
}
