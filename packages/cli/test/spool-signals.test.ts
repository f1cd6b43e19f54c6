import type { ChildProcess } from "node:child_process";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { REPEATED_SIGNAL_WINDOW_MS } from "../src/shutdown.js";
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
      expect(run.stderr).toMatch(
        new RegExp(`Stopped: not confirmed: stopped by ${signal} before Flashduty answered`),
      );
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

  it("without a spool, SIGTERM exits 1 with one line saying the event sent was not confirmed", async () => {
    const cli = spawnCli(["push", "-t", "disk full", "-s", "Critical", "-k", "lost"], env());
    await server.waitForRequests(1);
    cli.child.kill("SIGTERM");
    const run = await cli.exited;
    expect(run.signal).toBeNull();
    expect(run.code).toBe(1);
    expect(run.stderr.trimEnd().split("\n")).toEqual([
      "flash-call: not confirmed: stopped by SIGTERM before Flashduty answered; it may have arrived (no --spool, so it was not kept)",
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

  it("SIGTERM during a batch without a spool: the event in flight is said not confirmed, those after it not sent", async () => {
    // One alert: its events go one at a time, so the first is in flight and the others wait behind it.
    const input = ["first", "second", "third"]
      .map((title) => JSON.stringify({ title_rule: title, event_status: "Warning", alert_key: "one-alert" }))
      .join("\n");
    const cli = spawnCli(["push", "-"], env(), input);
    await server.waitForRequests(1);
    cli.child.kill("SIGTERM");
    const run = await cli.exited;
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(
      "line 1: Stopped: not confirmed: stopped by SIGTERM before Flashduty answered; it may have arrived",
    );
    for (const line of [2, 3]) {
      expect(run.stderr).toContain(`line ${line}: Stopped: not sent: stopped by SIGTERM before it was sent`);
    }
    expect(server.requests).toHaveLength(1);
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

describe("a stop signal during a flush that has already set an event aside", () => {
  it("exits 1, not 3: the set-aside event waits for --retry-set-aside, which no later flush runs", async () => {
    server.answer({ status: 503, body: "busy" });
    for (const key of ["refused", "in-flight"]) {
      const push = await runCli(
        ["push", "-t", "t", "-s", "Info", "-k", key, "--retries", "0", "--spool", spool],
        env(),
      );
      expect(push.code, push.stderr).toBe(3);
    }
    // The first spooled event is refused for its content (set aside); the second is held until the stop.
    server.answer((request) =>
      request.body.alert_key === "refused"
        ? {
            status: 400,
            body: JSON.stringify({
              error: { code: "InvalidParameter", message: "title_rule is not allowed" },
            }),
            headers: { "content-type": "application/json" },
          }
        : "hold",
    );
    const cli = spawnCli(["flush", "--spool", spool], env());
    await server.waitForRequests(4);
    cli.child.kill("SIGTERM");
    const run = await cli.exited;
    expect(run.stderr).toMatch(/set aside as \S+\.rejected/);
    expect(run.stderr).toMatch(/stopped by SIGTERM/);
    expect(run.code, run.stderr).toBe(1);
    const names = await readdir(spool);
    expect(names.filter((name) => name.endsWith(".rejected"))).toHaveLength(1);
    expect(names.filter((name) => /^\d[^.]*\.json$/.test(name))).toHaveLength(1);
  });
});

/** Resolves once the process has written a line matching `pattern` to stderr. */
function stderrLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    const onData = (chunk: Buffer | string) => {
      text += String(chunk);
      const line = text.split("\n").find((candidate) => pattern.test(candidate));
      if (line === undefined) return;
      child.stderr?.off("data", onData);
      resolve(line);
    };
    child.stderr?.on("data", onData);
  });
}

/** Resolves once `found` says yes, asked each time the directory changes (and every 20 ms, for missed events). */
async function untilSpool(found: (names: string[]) => boolean): Promise<void> {
  for (;;) {
    if (found(await readdir(spool).catch(() => [] as string[]))) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("a second stop signal during a batch", () => {
  const total = 10_000;
  const input = Array.from({ length: total }, (_, index) =>
    JSON.stringify({ title_rule: `t${index + 1}`, event_status: "Warning", alert_key: `line-${index + 1}` }),
  ).join("\n");

  /** The first SIGTERM, then a second once the repeat window has passed (the process frozen meanwhile). */
  async function stopTwice(cli: ReturnType<typeof spawnCli>, begun: () => Promise<unknown>) {
    await server.waitForRequests(1);
    cli.child.kill("SIGTERM");
    await begun();
    // Frozen while the repeat window passes (a second signal within it counts as the same stop), so the batch
    // cannot finish first; the second SIGTERM is then handled first thing when it runs again.
    cli.child.kill("SIGSTOP");
    await new Promise((resolve) => setTimeout(resolve, REPEATED_SIGNAL_WINDOW_MS + 100));
    cli.child.kill("SIGTERM");
    cli.child.kill("SIGCONT");
    return cli.exited;
  }

  it("with a spool, the first stop writes every event not sent yet to it at once: a SIGKILL then loses none", async () => {
    const cli = spawnCli(["push", "-", "--spool", spool], env(), input);
    const written = stderrLine(
      cli.child,
      /^flash-call: warning: stopping: every event not delivered is in the spool /,
    );
    await server.waitForRequests(1);
    cli.child.kill("SIGTERM");
    await written;
    cli.child.kill("SIGKILL");
    await cli.exited;
    // Claimed copies (in flight when killed) count: the next flush recovers them.
    expect(new Set(await spooledKeys()).size).toBe(total);
  });

  it("with a spool, writes every event not yet on disk to it before exiting 3", async () => {
    const cli = spawnCli(["push", "-", "--spool", spool], env(), input);
    // Spooling what is left has begun once the first copy is put back under its own name.
    const run = await stopTwice(cli, () =>
      untilSpool((names) => names.some((name) => /^\d.*\.json$/.test(name))),
    );
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain("flash-call: stopped again by SIGTERM; exiting now without waiting\n");
    expect(run.stderr).not.toMatch(/not known to be in the spool/);
    expect(run.stderr).toContain(
      `flash-call: ${total} of ${total} events are in the spool ${spool}; run: flash-call flush --spool`,
    );
    // Every event is on disk; one being written ahead just then may be there twice.
    const onDisk = new Set(await spooledKeys());
    expect(onDisk.size).toBe(total);
  });
});

describe("a stop signal while an alert's events are being delivered one after another", () => {
  it("keeps each alert's events in order in the spool, whichever path wrote them", async () => {
    const statuses = ["Critical", "Warning", "Info", "Ok"];
    const alerts = 400;
    const input = statuses
      .flatMap((status) =>
        Array.from({ length: alerts }, (_, k) =>
          JSON.stringify({ title_rule: `t${k}`, event_status: status, alert_key: `a-${k}` }),
        ),
      )
      .join("\n");
    server.answer(accepted);
    const cli = spawnCli(["push", "-", "--spool", spool], env(), input);
    await server.waitForRequests(150);
    cli.child.kill("SIGTERM");
    const run = await cli.exited;
    expect(run.code, run.stderr).toBe(3);
    // What a flush sends: each alert's entries in name order, which must be the input's order.
    const names = (await readdir(spool)).filter((name) => /^\d.*\.json$/.test(name)).sort();
    const sent = new Map<string, number[]>();
    for (const name of names) {
      const { event } = JSON.parse(await readFile(join(spool, name), "utf8"));
      sent.set(event.alert_key, [...(sent.get(event.alert_key) ?? []), statuses.indexOf(event.event_status)]);
    }
    const disordered = [...sent].filter(([, order]) =>
      order.some((status, at) => at > 0 && status < (order[at - 1] as number)),
    );
    expect(disordered).toEqual([]);
  });
});

describe("a second stop signal during a deploy whose command is slow to stop", () => {
  // Winds down slowly after SIGINT, as terraform does; a SIGTERM ends it.
  const slowToStop = [
    process.execPath,
    "-e",
    'process.on("SIGINT", () => console.error("winding down")); console.error("started"); setInterval(() => {}, 1000);',
  ];
  const deployArgs = (spoolFlags: string[]) => [
    "deploy",
    ...["--title", "Deploy billing", "--change-key", "deploy-7", "--timeout", "100"],
    ...["--base-url", server.url, ...spoolFlags, "--", ...slowToStop],
  ];
  const changeEnv = () => baseEnv({ FLASHDUTY_CHANGE_INTEGRATION_KEY: KEY });

  /** SIGINT once the command runs, then SIGTERM after the repeat window, once the command is winding down. */
  async function cancelTwice(cli: ReturnType<typeof spawnCli>) {
    const windingDown = stderrLine(cli.child, /^winding down$/);
    await stderrLine(cli.child, /^started$/);
    const firstAt = performance.now();
    cli.child.kill("SIGINT");
    await windingDown;
    // A second signal within the repeat window counts as the same stop: wait out what is left of it.
    const left = REPEATED_SIGNAL_WINDOW_MS + 100 - (performance.now() - firstAt);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, left)));
    cli.child.kill("SIGTERM");
    const run = await cli.exited;
    const pid = /passed SIGTERM on to "\S+" \(pid (\d+)\); it may still be running/.exec(run.stderr)?.[1];
    expect(pid, run.stderr).toBeDefined();
    return { run, pid: Number(pid) };
  }

  /** Resolves once process `pid` is gone. */
  async function gone(pid: number): Promise<void> {
    for (;;) {
      try {
        process.kill(pid, 0);
      } catch {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it("spools Canceled durably before exiting 1, and ends the command with the second signal", async () => {
    const cli = spawnCli(deployArgs(["--spool", spool]), changeEnv());
    const { run, pid } = await cancelTwice(cli);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(
      /^flash-call: change deploy-7 Canceled not sent: stopped again by SIGTERM before the command ended; spooled as \S+\.json in \S+; run: flash-call flush --spool \S+$/m,
    );
    await gone(pid);
    const statuses = [];
    for (const name of (await readdir(spool)).filter((file) => file.endsWith(".json")).sort()) {
      const entry = JSON.parse(await readFile(join(spool, name), "utf8"));
      expect(entry.endpoint).toBe("change");
      statuses.push(entry.event.change_status);
    }
    expect(statuses.sort()).toEqual(["Canceled", "Processing"]);

    // A flush delivers the change's Processing, then its Canceled.
    server.answer(accepted);
    const flush = await runCli(["flush", "--spool", spool, "--base-url", server.url], changeEnv());
    expect(flush.code, flush.stderr).toBe(0);
    const sent = server.requests.filter((request) => request.path.includes("/change/"));
    expect(sent.slice(-2).map((request) => request.body.change_status)).toEqual(["Processing", "Canceled"]);
  });

  it("without a spool, says the command that sends Canceled", async () => {
    const cli = spawnCli(deployArgs([]), changeEnv());
    const { run, pid } = await cancelTwice(cli);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(
      `flash-call: change deploy-7 Canceled not sent: stopped again by SIGTERM before the command ended (no --spool, so it was not kept); to send it, run: flash-call change --change-key deploy-7 --title 'Deploy billing' --status Canceled --base-url ${server.url}\n`,
    );
    await gone(pid);
  });
});
