// Change events in the write-ahead spool: `change` and `deploy` keep what cannot be delivered now, and `flush`
// sends each change entry to the change integration of its own configuration, never with the alert key. The
// real bin against a real mock Flashduty (and a server that holds requests, for signals) on 127.0.0.1; every
// wait is for an event (a request seen, a process exited), never for a duration.
import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { maskKey } from "@flash-call/keys";
import { type MockServer, startMockServer } from "@flash-call/testing/server";
import { prepareChange } from "flash-call";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { leakedPieces } from "../../../test-support/key-pieces.js";
import { changePayloads } from "./change-mock.js";
import { accepted, type HeldServer, startHeldServer } from "./held-server.js";
import { baseEnv, type CliRun, neverPrint, runCli } from "./run-cli.js";
import { spawnCli } from "./spawn-cli.js";

// Two integrations of one account: URL-encoding changes +, / and =, so raw and encoded forms differ.
const ALERT_KEY = "alertKEY+spool/chg=0123456789abcdef";
const CHANGE_KEY = "changeKEY+spool/chg=fedcba9876543210";
let mock: MockServer;
let attacker: HeldServer;
let spool: string;
/** Every stdout and stderr of the file's runs, scanned for pieces of either key at the end. */
const written: string[] = [];

beforeAll(async () => {
  neverPrint(ALERT_KEY);
  neverPrint(CHANGE_KEY);
  mock = await startMockServer({ integrationKeys: [ALERT_KEY, CHANGE_KEY], rateLimit: false });
  attacker = await startHeldServer();
});
afterAll(async () => {
  await mock.close();
  await attacker.close();
  const all = written.join("\n");
  expect(all.length).toBeGreaterThan(1000);
  expect(leakedPieces(all, [ALERT_KEY, CHANGE_KEY])).toEqual([]);
});
beforeEach(async () => {
  mock.reset();
  attacker.requests.length = 0;
  spool = join(await mkdtemp(join(tmpdir(), "flash-call-change-spool-")), "spool");
});

const pushUrl = (endpoint: "alert" | "change", key: string, base = mock.url) =>
  `${base}/event/push/${endpoint}/standard?integration_key=${encodeURIComponent(key)}`;
/** Alerts to the alert integration, changes to the change integration, both on the mock. */
const bothIntegrations = (extra: Record<string, string> = {}) =>
  baseEnv({
    FLASHDUTY_PUSH_URL: pushUrl("alert", ALERT_KEY),
    FLASHDUTY_CHANGE_PUSH_URL: pushUrl("change", CHANGE_KEY),
    ...extra,
  });
const changesOnly = () => baseEnv({ FLASHDUTY_CHANGE_PUSH_URL: pushUrl("change", CHANGE_KEY) });
const alertsOnly = () => baseEnv({ FLASHDUTY_PUSH_URL: pushUrl("alert", ALERT_KEY) });

async function cli(args: string[], env: Record<string, string>, stdin?: string): Promise<CliRun> {
  const run = await runCli(args, env, stdin);
  written.push(run.stdout, run.stderr);
  return run;
}

/** The spool's entry files (waiting, claimed or set aside) with their parsed content; no key on disk. */
async function entries(): Promise<{ name: string; entry: { endpoint?: string; event: object } }[]> {
  const names = (await readdir(spool).catch(() => [] as string[])).filter(
    (name) => !name.startsWith(".tmp-"),
  );
  const found = [];
  for (const name of names.sort()) {
    const text = await readFile(join(spool, name), "utf8");
    expect(leakedPieces(text, [ALERT_KEY, CHANGE_KEY]), name).toEqual([]);
    if (name.endsWith(".json") && !name.endsWith(".reason.json"))
      found.push({ name, entry: JSON.parse(text) });
  }
  return found;
}

/** The mock's change events as received, each with the integration (masked key) it arrived on. */
const changesReceived = () =>
  mock.changeEvents.map((event) => ({ status: event.change_status, integration: event.integration }));

describe("flash-call change --spool", () => {
  it("a change Flashduty fails is spooled for the change integration; flush delivers it exactly as prepared", async () => {
    mock.failNext({ kind: "status", status: 503, body: "busy" });
    const flags = ["--title", "DB migration 42", "--status", "processing", "--change-key", "CHG-42"];
    const more = ["--link", "https://tickets.example/CHG-42", "--label", "team=db"];
    const time = ["--event-time", "2026-01-01T00:00:00Z"];
    const run = await cli(
      ["change", ...flags, ...more, ...time, "--retries", "0", "--spool", spool],
      bothIntegrations(),
    );
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/spooled as \S+-c[0-9a-f]{16}\.json in /);
    expect(run.stderr).toContain(`run: flash-call flush --spool ${spool}`);
    const prepared = prepareChange({
      title: "DB migration 42",
      change_status: "Processing",
      change_key: "CHG-42",
      link: "https://tickets.example/CHG-42",
      labels: { team: "db" },
      event_time: 1_767_225_600,
    }).event;
    const [spooled, ...others] = await entries();
    expect(others).toEqual([]);
    expect(spooled?.entry).toMatchObject({ endpoint: "change", base_url: mock.url, event: prepared });

    const flush = await cli(["flush", "--spool", spool], bothIntegrations());
    expect(flush.code, flush.stderr).toBe(0);
    expect(flush.stdout).toMatch(/delivered \S+ change_key=CHG-42 request_id=\w+/);
    expect(changePayloads(mock)).toEqual([prepared]);
    expect(changesReceived()).toEqual([{ status: "Processing", integration: maskKey(CHANGE_KEY) }]);
    expect(maskKey(CHANGE_KEY)).not.toBe(maskKey(ALERT_KEY));
    expect(mock.events).toEqual([]);
    expect(await readdir(spool)).toEqual([]);
  });

  it("a --file batch: a failed change is spooled and its later statuses queue behind it, in order", async () => {
    // d-1 Processing meets a 503; its Done is not sent but queued behind; d-2 is delivered.
    mock.failNext({ kind: "status", status: 503 });
    const lines = [
      { title: "Deploy", change_status: "Processing", change_key: "d-1" },
      { title: "Other", change_status: "Done", change_key: "d-2" },
      { title: "Deploy", change_status: "Done", change_key: "d-1" },
    ].map((line) => JSON.stringify(line));
    const run = await cli(
      ["change", "--file", "-", "--retries", "0", "--spool", spool, "--json"],
      changesOnly(),
      lines.join("\n"),
    );
    expect(run.code, run.stderr).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({ delivered: 1, spooled: 2, failed: 0 });
    expect(run.stderr).toContain("QueuedBehind");
    expect(run.stderr).toContain(`run: flash-call flush --spool ${spool}`);
    expect(mock.requests).toHaveLength(2);
    expect((await entries()).map(({ entry }) => entry.event)).toMatchObject([
      { change_key: "d-1", change_status: "Processing" },
      { change_key: "d-1", change_status: "Done" },
    ]);

    const flush = await cli(["flush", "--spool", spool], changesOnly());
    expect(flush.code, flush.stderr).toBe(0);
    expect(mock.changes.get("d-1")?.events.map((event) => event.change_status)).toEqual([
      "Processing",
      "Done",
    ]);
  });

  it("a flush holds a change's later status back while its earlier one stays (busy), then sends both in order", async () => {
    for (const status of ["Processing", "Done"]) {
      mock.failNext({ kind: "reset" });
      const args = ["change", "-t", "Deploy", "-s", status, "-k", "o-1", "--retries", "0"];
      // The second is queued behind the first, unsent: only one fault is used.
      expect((await cli([...args, "--spool", spool], changesOnly())).code).toBe(3);
    }
    mock.reset();
    mock.failNext({ kind: "status", status: 503 });
    const busy = await cli(["flush", "--spool", spool, "--retries", "0"], changesOnly());
    expect(busy.code, busy.stderr).toBe(3);
    expect(busy.stderr).toContain("no more change events now, so order is kept");
    expect(mock.changeEvents).toEqual([]);
    expect(await entries()).toHaveLength(2);
    const flush = await cli(["flush", "--spool", spool], changesOnly());
    expect(flush.code, flush.stderr).toBe(0);
    expect(mock.changeEvents.map((event) => event.change_status)).toEqual(["Processing", "Done"]);
  });
});

describe("a stop signal during a change push with --spool", () => {
  it("SIGTERM while Flashduty has not answered: exit 3, the change is in the spool, flush delivers it", async () => {
    const held = await startHeldServer();
    try {
      const env = baseEnv({ FLASHDUTY_CHANGE_PUSH_URL: pushUrl("change", CHANGE_KEY, held.url) });
      const args = ["change", "-t", "Deploy", "-s", "Processing", "-k", "sig-1", "--spool", spool];
      const running = spawnCli(args, env);
      await held.waitForRequests(1);
      running.child.kill("SIGTERM");
      const run = await running.exited;
      written.push(run.stdout, run.stderr);
      expect(run.signal).toBeNull();
      expect(run.code, run.stderr).toBe(3);
      expect(run.stderr).toMatch(/Stopped: not confirmed: stopped by SIGTERM before Flashduty answered/);
      const [kept, ...others] = await entries();
      expect(others).toEqual([]);
      expect(kept?.name).toMatch(/^\d{15}-[\d-]+-[0-9a-f]{8}-c[0-9a-f]{16}\.json$/);
      expect(kept?.entry).toMatchObject({ endpoint: "change", event: { change_key: "sig-1" } });

      held.answer(accepted);
      const flush = await cli(["flush", "--spool", spool], env);
      expect(flush.code, flush.stderr).toBe(0);
      expect(held.requests.map((request) => [request.path, request.body.change_key])).toEqual([
        ["/event/push/change/standard", "sig-1"],
        ["/event/push/change/standard", "sig-1"],
      ]);
      expect(held.requests[1]?.body).toEqual(kept?.entry.event);
      expect(await readdir(spool)).toEqual([]);
    } finally {
      await held.close();
    }
  });
});

describe("flash-call deploy --spool", () => {
  const FLAGS = ["--title", "Deploy billing v2", "--change-key", "deploy-7", "--label", "service=billing"];
  const COMMAND = [process.execPath, "-e", 'console.log("deploying")'];

  it("an unreachable Flashduty: the command runs, Processing and Done are spooled, flush sends both in order", async () => {
    // Processing meets a reset connection; Done then queues behind it unsent.
    mock.failNext({ kind: "reset" });
    const run = await cli(
      ["deploy", ...FLAGS, "--retries", "0", "--spool", spool, "--", ...COMMAND],
      changesOnly(),
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe("deploying\n");
    expect(run.stderr).toMatch(/change deploy-7 Processing not delivered/);
    expect(run.stderr).toMatch(/change deploy-7 Done not delivered/);
    expect(run.stderr).toContain(`run: flash-call flush --spool ${spool}`);
    expect(mock.requests).toHaveLength(1);
    const spooled = await entries();
    expect(spooled.map(({ entry }) => entry.event)).toMatchObject([
      { change_status: "Processing" },
      { change_status: "Done" },
    ]);

    const flush = await cli(["flush", "--spool", spool], bothIntegrations());
    expect(flush.code, flush.stderr).toBe(0);
    const base = { title: "Deploy billing v2", change_key: "deploy-7", labels: { service: "billing" } };
    expect(changePayloads(mock)).toEqual(
      (["Processing", "Done"] as const).map((change_status) => ({
        ...prepareChange({ ...base, change_status }).event,
        event_time: expect.any(Number),
      })),
    );
    expect(mock.changes.get("deploy-7")?.status).toBe("Done");
    expect(changesReceived().map((change) => change.integration)).toEqual([
      maskKey(CHANGE_KEY),
      maskKey(CHANGE_KEY),
    ]);
  });
});

describe("flush with one integration configured", () => {
  /** An alert and a change spooled for the mock (each met a reset connection). */
  async function spoolOneOfEach(): Promise<void> {
    mock.failNext([{ kind: "reset" }, { kind: "reset" }]);
    const alert = ["push", "-t", "disk full", "-s", "Warning", "-k", "a-1", "--retries", "0"];
    expect((await cli([...alert, "--spool", spool], bothIntegrations())).code).toBe(3);
    const change = ["change", "-t", "Deploy", "-s", "Done", "-k", "c-1", "--retries", "0"];
    expect((await cli([...change, "--spool", spool], bothIntegrations())).code).toBe(3);
    mock.reset();
  }

  it("no change destination: alerts are delivered, changes kept with the variable to set (exit 1)", async () => {
    await spoolOneOfEach();
    const flush = await cli(["flush", "--spool", spool, "--json"], alertsOnly());
    expect(flush.code, flush.stderr).toBe(1);
    expect(flush.stderr).toContain(
      "1 change event(s) not sent, kept in the spool: this flush has no key for the change integration; set FLASHDUTY_CHANGE_INTEGRATION_KEY or FLASHDUTY_CHANGE_PUSH_URL, then flush again",
    );
    expect(JSON.parse(flush.stdout)).toMatchObject({ delivered: 1, kept: 1, not_configured: ["change"] });
    expect(mock.events.map((event) => event.alert_key)).toEqual(["a-1"]);
    expect(mock.changeEvents).toEqual([]);
    // The change was not even opened: it waits as it was written.
    expect((await entries()).map(({ entry }) => entry.endpoint)).toEqual(["change"]);

    const later = await cli(["flush", "--spool", spool], changesOnly());
    expect(later.code, later.stderr).toBe(0);
    expect(changesReceived()).toEqual([{ status: "Done", integration: maskKey(CHANGE_KEY) }]);
  });

  it("no alert destination: changes are delivered, alerts kept with what to set (exit 1)", async () => {
    await spoolOneOfEach();
    const flush = await cli(["flush", "--spool", spool], changesOnly());
    expect(flush.code, flush.stderr).toBe(1);
    expect(flush.stderr).toContain(
      "1 alert event(s) not sent, kept in the spool: this flush has no key for the alert integration; set FLASHDUTY_INTEGRATION_KEY or FLASHDUTY_PUSH_URL (or pass --key or --push-url)",
    );
    expect(mock.events).toEqual([]);
    expect(changesReceived()).toEqual([{ status: "Done", integration: maskKey(CHANGE_KEY) }]);
  });

  it("neither: exit 2 naming both, nothing claimed", async () => {
    await spoolOneOfEach();
    const before = await entries();
    const flush = await cli(["flush", "--spool", spool], baseEnv());
    expect(flush.code).toBe(2);
    expect(flush.stderr).toContain("FLASHDUTY_INTEGRATION_KEY");
    expect(flush.stderr).toContain("FLASHDUTY_CHANGE_INTEGRATION_KEY");
    expect(await entries()).toEqual(before);
  });

  it("a change refused for its content is set aside; --list-set-aside names its change_key, --retry-set-aside sends it", async () => {
    await spoolOneOfEach();
    mock.failNext([
      { kind: "delay", ms: 0 },
      { kind: "error", code: "InvalidParameter", message: "bad link" },
    ]);
    const flush = await cli(["flush", "--spool", spool, "--retries", "0"], bothIntegrations());
    expect(flush.code, flush.stderr).toBe(1);
    expect(flush.stderr).toMatch(/set aside as \S+-c[0-9a-f]{16}\.json\.rejected/);
    const list = await cli(["flush", "--spool", spool, "--list-set-aside"], baseEnv());
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/-c[0-9a-f]{16}\.json change_key=c-1 InvalidParameter: bad link/);
    const retry = await cli(["flush", "--spool", spool, "--retry-set-aside"], changesOnly());
    expect(retry.code, retry.stderr).toBe(0);
    expect(changesReceived()).toEqual([{ status: "Done", integration: maskKey(CHANGE_KEY) }]);
    expect(await readdir(spool)).toEqual([]);
  });
});

describe("spool trust for change entries", () => {
  const PLANTED = "001767225600000-4242-000001-0badc0de-c5e6f7a8b9c0d1e2f.json";
  const planted = (fields: Record<string, unknown>) =>
    JSON.stringify({
      format: "flash-call-spool/1",
      created_at: "2026-01-01T00:00:00.000Z",
      endpoint: "change",
      event: { title: "planted", change_status: "Done", change_key: "planted-1", event_time: 1_767_225_600 },
      ...fields,
    });

  it("a change entry's own base_url is never where the change key goes: kept and reported", async () => {
    await mkdir(spool, { recursive: true, mode: 0o700 });
    await writeFile(join(spool, PLANTED), planted({ base_url: attacker.url }), { mode: 0o600 });
    const flush = await cli(["flush", "--spool", spool], bothIntegrations());
    expect(flush.code).toBe(1);
    expect(flush.stderr).toContain(
      `${PLANTED}: not sent, kept in the spool: it was spooled for ${attacker.url} and this flush sends change events to ${mock.url}`,
    );
    expect(attacker.requests).toEqual([]);
    expect(mock.requests).toEqual([]);
  });

  it("key and URL fields written in a change entry are ignored: it goes to the configured change integration", async () => {
    await mkdir(spool, { recursive: true, mode: 0o700 });
    const hostile = {
      base_url: mock.url,
      integration_key: "planted-key-0123456789",
      push_url: pushUrl("change", "planted-key-0123456789", attacker.url),
      key: ALERT_KEY.replace("alert", "other"),
    };
    await writeFile(join(spool, PLANTED), planted(hostile), { mode: 0o600 });
    const flush = await cli(["flush", "--spool", spool], bothIntegrations());
    expect(flush.code, flush.stderr).toBe(0);
    expect(attacker.requests).toEqual([]);
    expect(changesReceived()).toEqual([{ status: "Done", integration: maskKey(CHANGE_KEY) }]);
    expect(mock.events).toEqual([]);
  });

  it("an alert entry written before entries named their endpoint still flushes as an alert", async () => {
    const fixture = await readFile(
      join(import.meta.dirname, "fixtures", "spool", "v1-alert-entry.json"),
      "utf8",
    );
    const old = JSON.parse(fixture.replace("BASE_URL", mock.url));
    expect(old.endpoint).toBeUndefined();
    await mkdir(spool, { recursive: true, mode: 0o700 });
    const name = "001767225600000-4242-000001-0badc0de-k5e6f7a8b9c0d1e2f.json";
    await writeFile(join(spool, name), JSON.stringify(old), { mode: 0o600 });
    const flush = await cli(["flush", "--spool", spool], bothIntegrations());
    expect(flush.code, flush.stderr).toBe(0);
    expect(flush.stdout).toContain(`delivered ${name} alert_key=legacy-1`);
    expect(mock.events).toEqual([expect.objectContaining(old.event)]);
    expect(mock.changeEvents).toEqual([]);
  });
});
