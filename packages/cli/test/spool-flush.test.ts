import { mkdtemp, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type MockServer, startMockServer } from "@flash-call/testing/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MAX_SPOOL_ENTRY_BYTES } from "../src/spool-entry.js";
import { accepted, startHeldServer } from "./held-server.js";
import { baseEnv, neverPrint, runCli } from "./run-cli.js";

let mock: MockServer;
let spool: string;
const DEAD = "http://127.0.0.1:1";

beforeAll(async () => {
  mock = await startMockServer();
  neverPrint(mock.integrationKey);
});
afterAll(() => mock.close());
beforeEach(async () => {
  mock.reset();
  spool = join(await mkdtemp(join(tmpdir(), "flash-call-spool-")), "spool");
});

/**
 * The key and base URL from the environment, for pushes that fail to connect: the next `count` requests to
 * the mock have their connection reset (a network error, retryable), so each push (`--retries 0`) is spooled
 * for the mock, where a flush then sends it.
 */
const unreachable = (extra: Record<string, string> = {}, count = 1) => {
  mock.failNext(Array.from({ length: count }, () => ({ kind: "reset" as const })));
  return baseEnv({ FLASHDUTY_INTEGRATION_KEY: mock.integrationKey, FLASHDUTY_BASE_URL: mock.url, ...extra });
};
const reachable = () => baseEnv({ FLASHDUTY_PUSH_URL: mock.pushUrl });
/** Requests the mock answered normally (not with an injected fault). */
const answered = () => mock.requests.filter((request) => request.fault === undefined);

async function spoolFiles(): Promise<string[]> {
  return (await readdir(spool)).filter((name) => /^\d{15}-[\w-]+\.json$/.test(name));
}

describe("spool and flush", () => {
  it("spools a retryable failure (exit 3) without the key, then flush delivers it in order", async () => {
    for (const index of [1, 2, 3]) {
      const run = await runCli(
        [
          "push",
          "-t",
          `event ${index}`,
          "-s",
          "Critical",
          "-k",
          `k${index}`,
          "--retries",
          "0",
          "--spool",
          spool,
        ],
        unreachable(),
      );
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/NetworkError/);
      expect(run.stderr).toMatch(/spooled as \d+-\d+-\d+-[0-9a-f]+-k[0-9a-f]+\.json/);
    }
    const files = await spoolFiles();
    expect(files).toHaveLength(3);
    for (const file of files) {
      const text = await readFile(join(spool, file), "utf8");
      expect(text).not.toContain(mock.integrationKey);
      expect(JSON.parse(text)).toMatchObject({ format: "flash-call-spool/1", base_url: mock.url });
    }
    const flush = await runCli(["flush", "--spool", spool], reachable());
    expect(flush.code, flush.stderr).toBe(0);
    expect(flush.stdout).toMatch(/flush: 3 delivered, 0 set aside, 0 kept, 0 left/);
    expect(mock.events.map((event) => event.alert_key)).toEqual(["k1", "k2", "k3"]);
    expect(await readdir(spool)).toEqual([]);
  });

  it("FLASH_CALL_SPOOL works like --spool, for batches and OCP too", async () => {
    const input = ["a", "b"].map((key) =>
      JSON.stringify({ title_rule: key, event_status: "Info", alert_key: key }),
    );
    const batch = await runCli(
      ["push", "-", "--retries", "0"],
      unreachable({ FLASH_CALL_SPOOL: spool }, 2),
      input.join("\n"),
    );
    expect(batch.code).toBe(3);
    expect(batch.stdout).toMatch(/batch: 0 delivered, 0 invalid, 0 failed, 2 spooled/);
    const ocp = await runCli(
      ["ocp", "--retries", "0"],
      unreachable({ FLASH_CALL_SPOOL: spool, alarm_id: "o1", alarm_status: "告警中", alarm_level: "严重" }),
    );
    expect(ocp.code).toBe(3);
    expect(await spoolFiles()).toHaveLength(3);
    const flush = await runCli(["flush"], { ...reachable(), FLASH_CALL_SPOOL: spool });
    expect(flush.code).toBe(0);
    expect(mock.events.map((event) => event.alert_key).sort()).toEqual(["a", "b", "o1"]);
  });

  it("without a spool, a retryable failure exits 1", async () => {
    const run = await runCli(
      ["push", "-t", "t", "-s", "Info", "--retries", "0"],
      baseEnv({ FLASHDUTY_INTEGRATION_KEY: mock.integrationKey, FLASHDUTY_BASE_URL: DEAD }),
    );
    expect(run.code).toBe(1);
  });

  it("a non-retryable failure is not spooled (exit 1)", async () => {
    mock.failNext("InvalidParameter");
    const run = await runCli(["push", "-t", "t", "-s", "Info", "--spool", spool], reachable());
    expect(run.code).toBe(1);
    // Written ahead, then deleted: the caller was told it failed.
    expect(await readdir(spool)).toEqual([]);
  });

  it("flush keeps what still fails (exit 3) and sets aside what the server refuses for its content (exit 1)", async () => {
    for (const key of ["a", "b"]) {
      await runCli(
        ["push", "-t", key, "-s", "Info", "-k", key, "--retries", "0", "--spool", spool],
        unreachable(),
      );
    }
    mock.failNext([{ kind: "html", status: 503 }]);
    const stillDown = await runCli(["flush", "--spool", spool, "--retries", "0"], reachable());
    expect(stillDown.code).toBe(3);
    expect(stillDown.stderr).toMatch(/kept in the spool/);
    expect(await spoolFiles()).toHaveLength(2);

    mock.failNext({ kind: "error", code: "InvalidParameter", message: "title_rule: must not be blank" });
    const refused = await runCli(["flush", "--spool", spool, "--retries", "0"], reachable());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/InvalidParameter/);
    expect(refused.stderr).toMatch(/set aside as \S+\.json\.rejected/);
    const names = await readdir(spool);
    const [setAside] = names.filter((name) => name.endsWith(".rejected"));
    expect(names.sort()).toEqual([`${setAside?.replace(/\.rejected$/, "")}.reason.json`, setAside].sort());
    const reason = JSON.parse(
      await readFile(join(spool, `${setAside?.replace(/\.rejected$/, "")}.reason.json`), "utf8"),
    );
    expect(reason).toMatchObject({ format: "flash-call-set-aside/1", code: "InvalidParameter", status: 400 });
    expect(reason.message).toMatch(/title_rule: must not be blank/);
    expect(mock.events.map((event) => event.alert_key)).toEqual(["b"]);
    expect(await spoolFiles()).toEqual([]);
  });

  it("a proxy answering every event 400 without Flashduty's code sets none aside: the second such answer stops the flush (exit 1), every event kept", async () => {
    for (const key of ["a", "b", "c"]) {
      await runCli(
        ["push", "-t", key, "-s", "Critical", "-k", key, "--retries", "0", "--spool", spool],
        unreachable(),
      );
    }
    const spooled = await spoolFiles();
    expect(spooled).toHaveLength(3);
    mock.failNext([
      { kind: "html", status: 400 },
      { kind: "html", status: 400 },
    ]);
    const refused = await runCli(["flush", "--spool", spool, "--retries", "0"], reachable());
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stderr).toMatch(/stopping the alert events: \S+ was refused the same way just before it/);
    expect(refused.stdout).toMatch(/0 set aside, 0 kept, 3 left/);
    // Every event back under its own name, none set aside, and the third not sent at all.
    expect((await readdir(spool)).sort()).toEqual(spooled);
    expect(mock.requests).toHaveLength(3 + 2);

    const flushed = await runCli(["flush", "--spool", spool], reachable());
    expect(flushed.code, flushed.stderr).toBe(0);
    expect(mock.events.map((event) => event.alert_key)).toEqual(["a", "b", "c"]);
  });

  it("a 400 without Flashduty's code for one event, followed by a delivery, sets that one event aside", async () => {
    for (const key of ["a", "b"]) {
      await runCli(
        ["push", "-t", key, "-s", "Critical", "-k", key, "--retries", "0", "--spool", spool],
        unreachable(),
      );
    }
    mock.failNext([{ kind: "html", status: 400 }]);
    const run = await runCli(["flush", "--spool", spool, "--retries", "0"], reachable());
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/1 delivered, 1 set aside, 0 kept, 0 left/);
    expect((await readdir(spool)).filter((name) => name.endsWith(".rejected"))).toHaveLength(1);
    expect(mock.events.map((event) => event.alert_key)).toEqual(["b"]);
  });

  it("two concurrent flushes deliver each event exactly once", async () => {
    const input = Array.from({ length: 40 }, (_, index) =>
      JSON.stringify({ title_rule: `e${index}`, event_status: "Warning", alert_key: `c${index}` }),
    ).join("\n");
    const spooled = await runCli(
      ["push", "-", "--retries", "0", "--spool", spool, "--quiet"],
      unreachable({}, 40),
      input,
    );
    expect(spooled.code).toBe(3);
    expect(await spoolFiles()).toHaveLength(40);
    const [first, second] = await Promise.all([
      runCli(["flush", "--spool", spool, "--json"], reachable()),
      runCli(["flush", "--spool", spool, "--json"], reachable()),
    ]);
    expect([first.code, second.code]).toEqual([0, 0]);
    const delivered = JSON.parse(first.stdout).delivered + JSON.parse(second.stdout).delivered;
    expect(delivered).toBe(40);
    const keys = mock.events.map((event) => event.alert_key);
    expect(keys).toHaveLength(40);
    expect(new Set(keys).size).toBe(40);
    expect(await readdir(spool)).toEqual([]);
  });

  it("a second flush never sends an alert's later event while the first is still sending its earlier one", async () => {
    // A server that answers 503 to the pushes (so they spool), then holds the first flush's request until the
    // second flush is done: no sleep, the test waits for the request itself.
    const gate = await startHeldServer();
    try {
      const env = baseEnv({ FLASHDUTY_INTEGRATION_KEY: mock.integrationKey, FLASHDUTY_BASE_URL: gate.url });
      gate.answer({ status: 503, body: "busy" });
      for (const status of ["Critical", "Ok"]) {
        const run = await runCli(
          ["push", "-t", "disk", "-s", status, "-k", "ordered", "--retries", "0", "--spool", spool],
          env,
        );
        expect(run.code).toBe(3);
      }
      // The Ok was queued behind the Critical without being sent: one push request so far.
      expect(gate.requests).toHaveLength(1);
      gate.answer("hold");
      // A long attempt timeout: the request is held for as long as the second flush takes.
      const first = runCli(["flush", "--spool", spool, "--timeout", "600000"], env);
      await gate.waitForRequests(2);
      expect(gate.requests[1]?.body.event_status).toBe("Critical");
      const second = await runCli(["flush", "--spool", spool], env);
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toMatch(/0 delivered/);
      expect(gate.requests).toHaveLength(2);
      gate.answer(accepted);
      expect((await first).code).toBe(0);
      expect(gate.requests.slice(1).map((request) => request.body.event_status)).toEqual(["Critical", "Ok"]);
    } finally {
      await gate.close();
    }
  });

  it("recovers a claim left by a flush that died", async () => {
    await runCli(
      ["push", "-t", "t", "-s", "Info", "-k", "orphan", "--retries", "0", "--spool", spool],
      unreachable(),
    );
    const [name] = await spoolFiles();
    await rename(join(spool, name ?? ""), join(spool, `.claimed-999999999-${name}`));
    const flush = await runCli(["flush", "--spool", spool], reachable());
    expect(flush.code).toBe(0);
    expect(flush.stderr).toMatch(/recovered 1 spool file/);
    expect(mock.events.map((event) => event.alert_key)).toEqual(["orphan"]);
  });

  it("flush sends only where its own configuration points: an event spooled for another base URL waits", async () => {
    mock.failNext([{ kind: "html", status: 503 }]);
    const keyOnly = baseEnv({ FLASHDUTY_INTEGRATION_KEY: mock.integrationKey });
    const run = await runCli(
      [
        "push",
        "-t",
        "t",
        "-s",
        "Info",
        "-k",
        "stored",
        "--retries",
        "0",
        "--base-url",
        mock.url,
        "--spool",
        spool,
      ],
      keyOnly,
    );
    expect(run.code).toBe(3);
    const requestsBefore = mock.requests.length;
    // The key alone names the default destination, not the one the file records: kept, not sent.
    const keyOnlyFlush = await runCli(["flush", "--spool", spool], keyOnly);
    expect(keyOnlyFlush.code).toBe(1);
    expect(keyOnlyFlush.stderr).toMatch(
      new RegExp(
        `not sent, kept in the spool: it was spooled for ${mock.url} and this flush sends alert events to https://api.flashcat.cloud`,
      ),
    );
    expect(keyOnlyFlush.stdout).toMatch(/0 delivered, 0 set aside, 1 kept, 1 left/);
    expect(await spoolFiles()).toHaveLength(1);
    expect(mock.requests).toHaveLength(requestsBefore);
    const flush = await runCli(["flush", "--spool", spool, "--base-url", mock.url], keyOnly);
    expect(flush.code, flush.stderr).toBe(0);
    expect(mock.events.map((event) => event.alert_key)).toEqual(["stored"]);
  });

  it("a timeout is retryable: spooled with --timeout and a server that never answers", async () => {
    // Never answering (rather than answering late) makes the timeout certain however loaded the machine is.
    const silent = await startHeldServer();
    try {
      const run = await runCli(
        ["push", "-t", "t", "-s", "Info", "--timeout", "200", "--retries", "0", "--spool", spool],
        baseEnv({ FLASHDUTY_INTEGRATION_KEY: mock.integrationKey, FLASHDUTY_BASE_URL: silent.url }),
      );
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/Timeout/);
      expect(await spoolFiles()).toHaveLength(1);
    } finally {
      await silent.close();
    }
  });

  it("flush --dry-run prints what it would send and keeps every file", async () => {
    await runCli(
      ["push", "-t", "t", "-s", "Info", "-k", "dry", "--retries", "0", "--spool", spool],
      unreachable(),
    );
    const run = await runCli(["flush", "--spool", spool, "--dry-run"], baseEnv());
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.split("\n")[0] ?? "")).toMatchObject({
      alert_key: "dry",
      event_status: "Info",
    });
    expect(await spoolFiles()).toHaveLength(1);
    expect(answered()).toHaveLength(0);
  });

  /**
   * Spools one event per alert key (Flashduty unreachable), then makes the first file's description an array
   * nested 2,000,000 deep: still under the spool's size limit, only its depth is hostile. Returns its name.
   */
  async function spoolWithFirstNestedTooDeep(keys: readonly string[]): Promise<string | undefined> {
    for (const key of keys) {
      await runCli(
        ["push", "-t", key, "-s", "Info", "-k", key, "--retries", "0", "--spool", spool],
        unreachable(),
      );
    }
    const [first] = (await spoolFiles()).sort();
    const entry = JSON.parse(await readFile(join(spool, first ?? ""), "utf8"));
    const depth = 2_000_000;
    const text = JSON.stringify({ ...entry, event: { ...entry.event, description: "@" } }).replace(
      '"@"',
      `${"[".repeat(depth)}${"]".repeat(depth)}`,
    );
    await writeFile(join(spool, first ?? ""), text);
    return first;
  }

  it("flush --dry-run says an entry it cannot print (nested too deep for JSON) and goes on, leaving no claim behind", async () => {
    const first = await spoolWithFirstNestedTooDeep(["nested", "after"]);
    const before = (await readdir(spool)).sort();

    const run = await runCli(["flush", "--spool", spool, "--dry-run"], baseEnv());
    expect(run.stderr).not.toMatch(/Unexpected/);
    expect(run.stderr).toContain(`${first}: not shown: its event cannot be written as JSON`);
    expect(run.code, run.stderr).toBe(1);
    expect(JSON.parse(run.stdout.split("\n")[0] ?? "")).toMatchObject({ alert_key: "after" });
    expect((await readdir(spool)).sort()).toEqual(before);
    expect(answered()).toHaveLength(0);
  });

  it("--list-set-aside --json lists every set-aside event when one of them is nested too deep to print", async () => {
    await spoolWithFirstNestedTooDeep(["nested", "plain"]);
    mock.failNext({ kind: "error", code: "InvalidParameter", message: "title_rule: must not be blank" });
    const flush = await runCli(["flush", "--spool", spool, "--retries", "0"], reachable());
    expect(flush.stdout).toMatch(/0 delivered, 2 set aside/);

    const listed = await runCli(["flush", "--spool", spool, "--list-set-aside", "--json"], baseEnv());
    expect(listed.code, listed.stderr).toBe(0);
    const document = JSON.parse(listed.stdout);
    expect(document.ok).toBe(true);
    expect(document.set_aside.map((item: { name: string }) => item.name)).toHaveLength(2);
    expect(document.set_aside[0]).not.toHaveProperty("event");
    expect(document.set_aside[1].event).toMatchObject({ alert_key: "plain" });
  });

  it("flush needs a spool and a key; an empty or missing spool is fine", async () => {
    expect((await runCli(["flush"], reachable())).code).toBe(2);
    const noKey = await runCli(["flush", "--spool", spool], baseEnv());
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/ConfigError/);
    const empty = await runCli(["flush", "--spool", spool], reachable());
    expect(empty).toMatchObject({ code: 0 });
    expect(empty.stdout).toMatch(/0 delivered, 0 set aside, 0 kept, 0 left/);
  });

  it("flush reports an unreadable spool file and keeps it aside", async () => {
    await runCli(["push", "-t", "t", "-s", "Info", "--retries", "0", "--spool", spool], unreachable());
    const [name] = await spoolFiles();
    await writeFile(join(spool, name ?? ""), "garbage");
    const flush = await runCli(["flush", "--spool", spool], reachable());
    expect(flush.code).toBe(1);
    expect(flush.stderr).toMatch(/unreadable/);
    expect(await readdir(spool)).toEqual(expect.arrayContaining([`${name}.rejected`, `${name}.reason.json`]));
  });

  it("flush sets aside unread an entry larger than any flash-call writes, and delivers the ones behind it", async () => {
    for (const key of ["big", "small"]) {
      await runCli(
        ["push", "-t", key, "-s", "Info", "-k", key, "--retries", "0", "--spool", spool],
        unreachable(),
      );
    }
    const [big, small] = (await spoolFiles()).sort();
    const entry = JSON.parse(await readFile(join(spool, big ?? ""), "utf8"));
    entry.event.description = "x".repeat(MAX_SPOOL_ENTRY_BYTES);
    await writeFile(join(spool, big ?? ""), JSON.stringify(entry));
    const flush = await runCli(["flush", "--spool", spool], reachable());
    expect(flush.code).toBe(1);
    expect(flush.stderr).toContain(
      `spool file ${big} is unreadable (it holds more than ${MAX_SPOOL_ENTRY_BYTES} bytes, the most flash-call reads from a spool file; not read); kept as ${big}.rejected`,
    );
    expect(flush.stdout).toMatch(/flush: 1 delivered, 1 set aside, 0 kept, 0 left/);
    expect(mock.events.map((event) => event.alert_key)).toEqual(["small"]);
    expect((await readdir(spool)).sort()).toEqual([`${big}.reason.json`, `${big}.rejected`]);
    const reason = JSON.parse(await readFile(join(spool, `${big}.reason.json`), "utf8"));
    expect(reason).toMatchObject({ code: "Unreadable", message: expect.stringContaining("not read") });
    expect(small).toBeDefined();
  });

  it("a batch spools an event behind its alert's spooled one; flush delivers them in order", async () => {
    mock.failNext("InternalError");
    const input = [
      { title_rule: "disk full", event_status: "Critical", alert_key: "K1" },
      { title_rule: "disk full", event_status: "Ok", alert_key: "K1" },
    ]
      .map((event) => JSON.stringify(event))
      .join("\n");
    const started = Math.floor(Date.now() / 1000);
    const batch = await runCli(
      ["push", "-", "--retries", "0", "--spool", spool, "--json"],
      reachable(),
      input,
    );
    expect(batch.code, batch.stderr).toBe(3);
    expect(batch.stderr).toMatch(/line 1: InternalError/);
    expect(batch.stderr).toMatch(
      /line 2: QueuedBehind: not sent: queued behind an earlier spooled event for alert_key K1/,
    );
    expect(JSON.parse(batch.stdout)).toMatchObject({ delivered: 0, spooled: 2 });
    expect(mock.requests).toHaveLength(1);
    const files = (await spoolFiles()).sort();
    expect(files).toHaveLength(2);
    for (const file of files) {
      const { event } = JSON.parse(await readFile(join(spool, file), "utf8"));
      // Dated when spooled, so the flush below does not date it at flush time.
      expect(event.event_time).toBeGreaterThanOrEqual(started);
      expect(event.event_time).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    }

    const flush = await runCli(["flush", "--spool", spool], reachable());
    expect(flush.code, flush.stderr).toBe(0);
    expect(mock.events.map((event) => `${event.alert_key}:${event.event_status}`)).toEqual([
      "K1:Critical",
      "K1:Ok",
    ]);
    expect(mock.alerts.get("K1")?.status).toBe("resolved");
  });

  it("push and resolve in separate runs: the resolve waits behind the spooled push", async () => {
    const push = await runCli(
      ["push", "-t", "disk full", "-s", "Critical", "-k", "K1", "--retries", "0", "--spool", spool],
      unreachable(),
    );
    expect(push.code).toBe(3);
    const [pushed] = await spoolFiles();
    // Even while a live flush holds it claimed, the resolve must not overtake it.
    await rename(join(spool, pushed ?? ""), join(spool, `.claimed-${process.pid}-${pushed}`));
    const resolve = await runCli(["resolve", "-k", "K1", "--spool", spool, "--json"], reachable());
    expect(resolve.code, resolve.stderr).toBe(3);
    expect(resolve.stderr).toMatch(
      /QueuedBehind: not sent: queued behind an earlier spooled event for alert_key K1/,
    );
    expect(JSON.parse(resolve.stdout)).toMatchObject({ ok: false, error: { code: "QueuedBehind" } });
    expect(answered()).toHaveLength(0);
    await rename(join(spool, `.claimed-${process.pid}-${pushed}`), join(spool, pushed ?? ""));

    // Another alert is not held up.
    const other = await runCli(["resolve", "-k", "K2", "--spool", spool], reachable());
    expect(other.code).toBe(0);

    const flush = await runCli(["flush", "--spool", spool], reachable());
    expect(flush.code, flush.stderr).toBe(0);
    expect(mock.events.map((event) => `${event.alert_key}:${event.event_status}`)).toEqual([
      "K2:Ok",
      "K1:Critical",
      "K1:Ok",
    ]);
    expect(mock.alerts.get("K1")?.status).toBe("resolved");
    // Once the spool is empty, the alert's events are sent directly again.
    const again = await runCli(
      ["push", "-t", "t", "-s", "Warning", "-k", "K1", "--spool", spool],
      reachable(),
    );
    expect(again.code).toBe(0);
  });
});
