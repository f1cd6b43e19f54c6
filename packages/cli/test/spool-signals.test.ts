import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { accepted, type HeldServer, startHeldServer } from "./held-server.js";
import { baseEnv, neverPrint, runCli } from "./run-cli.js";
import { spawnCli } from "./spawn-cli.js";

// Write-ahead spool: a push is on disk before its first attempt, so a stop signal (timeout, systemd, an OCP
// channel-script timeout, Ctrl-C) or a SIGKILL at any instant leaves the event delivered or spooled. The
// server here never answers until told to; each signal is sent when the server has seen the request.

const KEY = "signal-test-key-7d1f0e4a9b3c";
let server: HeldServer;
let spool: string;

beforeEach(async () => {
  neverPrint(KEY);
  server = await startHeldServer();
  spool = join(await mkdtemp(join(tmpdir(), "flash-call-signals-")), "spool");
});
afterEach(() => server.close());

const env = () => baseEnv({ FLASHDUTY_PUSH_URL: server.pushUrl(KEY) });

/** The alert_key of every event file in the spool, claimed or not. */
async function spooledKeys(): Promise<string[]> {
  const names = (await readdir(spool).catch(() => [] as string[])).filter(
    (name) => name.endsWith(".json") && !name.startsWith(".tmp-"),
  );
  const keys = [];
  for (const name of names) {
    const entry = JSON.parse(await readFile(join(spool, name), "utf8"));
    expect(JSON.stringify(entry)).not.toContain(KEY);
    keys.push(entry.event.alert_key as string);
  }
  return keys.sort();
}

describe("a stop signal during a push", () => {
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
    it(`${signal} while Flashduty has not answered: exit 3, the event is in the spool, flush delivers it`, async () => {
      const cli = spawnCli(
        ["push", "-t", "disk full", "-s", "Critical", "-k", `stop-${signal}`, "--spool", spool],
        env(),
      );
      await server.waitForRequests(1);
      cli.child.kill(signal);
      const run = await cli.exited;
      expect(run.signal).toBeNull();
      expect(run.code, run.stderr).toBe(3);
      expect(run.stderr).toMatch(new RegExp(`Stopped: not delivered: stopped by ${signal}`));
      expect(run.stderr).toMatch(/spooled as \S+\.json/);
      expect(await spooledKeys()).toEqual([`stop-${signal}`]);
      // Put back under its own name, not left claimed.
      expect((await readdir(spool)).filter((name) => name.startsWith("."))).toEqual([]);

      server.answer(accepted);
      const flush = await runCli(["flush", "--spool", spool], env());
      expect(flush.code, flush.stderr).toBe(0);
      expect(server.requests.map((request) => request.body.alert_key)).toEqual([
        `stop-${signal}`,
        `stop-${signal}`,
      ]);
      expect(await readdir(spool)).toEqual([]);
    });
  }

  it("under timeout(1), as cron or an OCP channel runs it: the SIGTERM timeout passes on is survived, exit 3", async () => {
    // Signalling `timeout` itself (not waiting for its duration) sends the same SIGTERM to flash-call without
    // depending on how long the push takes to start; timeout then exits with flash-call's own code.
    const cli = spawnCli(
      ["push", "-t", "disk full", "-s", "Critical", "-k", "under-timeout", "--spool", spool],
      env(),
      "",
      ["timeout", "600"],
    );
    await server.waitForRequests(1);
    cli.child.kill("SIGTERM");
    const run = await cli.exited;
    expect(run.code, run.stderr).toBe(3);
    expect(await spooledKeys()).toEqual(["under-timeout"]);
  });

  it("one stop delivered twice (timeout signals flash-call and then its process group) still exits 3", async () => {
    const cli = spawnCli(
      ["push", "-t", "disk full", "-s", "Critical", "-k", "twice", "--spool", spool],
      env(),
    );
    await server.waitForRequests(1);
    cli.child.kill("SIGTERM");
    cli.child.kill("SIGTERM");
    const run = await cli.exited;
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).not.toContain("stopped again");
    expect(await spooledKeys()).toEqual(["twice"]);
  });

  it("without a spool, SIGTERM exits 1 with one line saying the event was not delivered", async () => {
    const cli = spawnCli(["push", "-t", "disk full", "-s", "Critical", "-k", "lost"], env());
    await server.waitForRequests(1);
    cli.child.kill("SIGTERM");
    const run = await cli.exited;
    expect(run.signal).toBeNull();
    expect(run.code).toBe(1);
    expect(run.stderr.trimEnd().split("\n")).toEqual([
      "flash-call: not delivered: stopped by SIGTERM before Flashduty answered (no --spool, so it was not kept)",
    ]);
  });

  it("SIGKILL the moment the server sees the request: the event is already in the spool", async () => {
    const cli = spawnCli(
      ["push", "-t", "disk full", "-s", "Critical", "-k", "killed", "--spool", spool],
      env(),
    );
    await server.waitForRequests(1);
    cli.child.kill("SIGKILL");
    expect((await cli.exited).signal).toBe("SIGKILL");
    // Claimed by the dead process: still a complete entry, and the next flush recovers and sends it.
    expect(await spooledKeys()).toEqual(["killed"]);

    server.answer(accepted);
    const flush = await runCli(["flush", "--spool", spool], env());
    expect(flush.code, flush.stderr).toBe(0);
    expect(flush.stderr).toMatch(/recovered 1 spool file/);
    expect(server.requests.map((request) => request.body.alert_key)).toEqual(["killed", "killed"]);
    expect(await readdir(spool)).toEqual([]);
  });

  it("SIGTERM during a batch: what was not delivered is spooled, exit 3", async () => {
    const input = ["b1", "b2", "b3"]
      .map((key) => JSON.stringify({ title_rule: key, event_status: "Warning", alert_key: key }))
      .join("\n");
    const cli = spawnCli(["push", "-", "--spool", spool], env(), input);
    await server.waitForRequests(1);
    cli.child.kill("SIGTERM");
    const run = await cli.exited;
    expect(run.code, run.stderr).toBe(3);
    expect(await spooledKeys()).toEqual(["b1", "b2", "b3"]);
  });

  it("SIGTERM during a flush: the event in flight goes back to the spool, exit 3", async () => {
    server.answer({ status: 503, body: "busy" });
    const push = await runCli(
      ["push", "-t", "t", "-s", "Info", "-k", "flushing", "--retries", "0", "--spool", spool],
      env(),
    );
    expect(push.code).toBe(3);
    server.answer("hold");
    const cli = spawnCli(["flush", "--spool", spool], env());
    await server.waitForRequests(2);
    cli.child.kill("SIGTERM");
    const run = await cli.exited;
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/stopped by SIGTERM/);
    expect(await spooledKeys()).toEqual(["flushing"]);
    expect((await readdir(spool)).filter((name) => name.startsWith("."))).toEqual([]);
  });
});
