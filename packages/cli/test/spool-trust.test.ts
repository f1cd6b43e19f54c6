import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Fault } from "@flash-call/testing";
import { type MockServer, startMockServer } from "@flash-call/testing/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type HeldServer, startHeldServer } from "./held-server.js";
import { baseEnv, neverPrint, runCli } from "./run-cli.js";

// A spool directory is a place other people and programs can reach. Whatever is found there, the key goes
// only where the configuration that supplied it points, and a failure about the key or the destination
// never costs a spooled event its place.

const KEY = "spool-trust-key-5c9e2a7b41d8f036";
const STALE_KEY = "spool-trust-stale-0a1b2c3d4e5f6789";
let mock: MockServer;
let attacker: HeldServer;
let root: string;
let spool: string;

beforeAll(async () => {
  neverPrint(KEY);
  neverPrint(STALE_KEY);
  mock = await startMockServer({ integrationKeys: [KEY], rateLimit: false });
  attacker = await startHeldServer();
});
afterAll(async () => {
  await mock.close();
  await attacker.close();
});
beforeEach(async () => {
  mock.reset();
  attacker.requests.length = 0;
  root = await mkdtemp(join(tmpdir(), "flash-call-trust-"));
  spool = join(root, "spool");
});

const toMock = () => baseEnv({ FLASHDUTY_PUSH_URL: mock.pushUrl });

/** Spools `keys` for the mock: each push meets a reset connection (retryable), so it stays in the spool. */
async function spoolEvents(keys: string[]): Promise<string[]> {
  for (const key of keys) {
    mock.failNext({ kind: "reset" });
    const run = await runCli(
      ["push", "-t", `event ${key}`, "-s", "Warning", "-k", key, "--retries", "0", "--spool", spool],
      toMock(),
    );
    expect(run.code, run.stderr).toBe(3);
  }
  return readdir(spool);
}

/** Every file in the spool with its content. */
async function snapshot(directory = spool): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const name of (await readdir(directory)).sort()) {
    files.set(name, await readFile(join(directory, name), "utf8"));
  }
  return files;
}

/** A complete spool entry (as a push would write it) for `base_url`. */
function plantedEntry(baseUrl: string | undefined, alertKey: string): string {
  return JSON.stringify({
    format: "flash-call-spool/1",
    created_at: "2026-01-01T00:00:00.000Z",
    ...(baseUrl !== undefined && { base_url: baseUrl }),
    event: {
      title_rule: "planted",
      event_status: "Critical",
      alert_key: alertKey,
      event_time: 1_767_225_600,
    },
  });
}

const PLANTED = "001767225600000-4242-000001-0badc0de-n.json";

/** Asserts no 8-character piece of a key is in any spool file. */
async function expectNoKeyOnDisk(): Promise<void> {
  for (const [name, text] of await snapshot()) {
    for (const key of [KEY, STALE_KEY]) {
      for (let start = 0; start + 8 <= key.length; start += 1) {
        expect(text, name).not.toContain(key.slice(start, start + 8));
      }
    }
  }
}

describe("a spool file can never redirect a key", () => {
  const configurations: [string, () => { args: string[]; env: Record<string, string>; sendsTo: string }][] = [
    [
      "the key from FLASHDUTY_INTEGRATION_KEY",
      () => ({ args: [], env: { FLASHDUTY_INTEGRATION_KEY: KEY }, sendsTo: "https://api.flashcat.cloud" }),
    ],
    ["the key from --key", () => ({ args: ["--key", KEY], env: {}, sendsTo: "https://api.flashcat.cloud" })],
    [
      "a push URL from the environment",
      () => ({ args: [], env: { FLASHDUTY_PUSH_URL: mock.pushUrl }, sendsTo: mock.url }),
    ],
  ];
  for (const [label, configuration] of configurations) {
    it(`a planted file with its own base_url is kept and reported, not sent (${label})`, async () => {
      const { args, env, sendsTo } = configuration();
      await mkdir(spool, { recursive: true, mode: 0o700 });
      await writeFile(join(spool, PLANTED), plantedEntry(attacker.url, "planted"), { mode: 0o600 });
      const before = await snapshot();
      const flush = await runCli(["flush", "--spool", spool, ...args], baseEnv(env));
      expect(flush.code).toBe(1);
      expect(attacker.requests).toEqual([]);
      expect(mock.requests).toEqual([]);
      const lines = flush.stderr.split("\n").filter((line) => line.includes(PLANTED));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(
        `spooled for ${attacker.url} and this flush sends alert events to ${sendsTo}`,
      );
      // Kept as it was: not renamed, not rewritten.
      expect(await snapshot()).toEqual(before);
    });
  }

  it("an entry without base_url was spooled for the default destination, not for whatever the flush names", async () => {
    await mkdir(spool, { recursive: true, mode: 0o700 });
    await writeFile(join(spool, PLANTED), plantedEntry(undefined, "legacy"), { mode: 0o600 });
    const flush = await runCli(["flush", "--spool", spool], toMock());
    expect(flush.code).toBe(1);
    expect(flush.stderr).toContain(
      "spooled for https://api.flashcat.cloud and this flush sends alert events to",
    );
    expect(mock.requests).toEqual([]);
  });

  it("a symbolic link in the spool is refused, never followed", async () => {
    await mkdir(spool, { recursive: true, mode: 0o700 });
    const outside = join(root, "outside.json");
    await writeFile(outside, plantedEntry(mock.url, "linked"));
    await symlink(outside, join(spool, PLANTED));
    const flush = await runCli(["flush", "--spool", spool], toMock());
    expect(flush.code).toBe(1);
    expect(flush.stderr).toMatch(/SpoolRefused: spool file \S+ is a symbolic link; not followed, not sent/);
    expect(mock.requests).toEqual([]);
    expect((await lstat(join(spool, PLANTED))).isSymbolicLink()).toBe(true);
    expect(await readFile(outside, "utf8")).toBe(plantedEntry(mock.url, "linked"));
  });

  it("a spool directory that is a symbolic link is refused by flush and by push", async () => {
    const real = join(root, "real");
    await mkdir(real, { mode: 0o700 });
    await writeFile(join(real, PLANTED), plantedEntry(mock.url, "behind-link"), { mode: 0o600 });
    await symlink(real, spool);
    const flush = await runCli(["flush", "--spool", spool], toMock());
    expect(flush.code).toBe(1);
    expect(flush.stderr).toMatch(
      /SpoolRefused: the spool directory \S+ is a symbolic link; refusing to follow it/,
    );
    expect(mock.requests).toEqual([]);

    mock.failNext({ kind: "reset" });
    const push = await runCli(
      ["push", "-t", "t", "-s", "Info", "-k", "through-link", "--retries", "0", "--spool", spool],
      toMock(),
    );
    expect(push.code).toBe(1);
    expect(push.stderr).toMatch(/is a symbolic link/);
    expect(push.stderr).toMatch(/could not spool it/);
    mock.failNext([{ kind: "reset" }, { kind: "reset" }]);
    const input = ["l1", "l2"]
      .map((key) => JSON.stringify({ title_rule: key, event_status: "Info", alert_key: key }))
      .join("\n");
    const batch = await runCli(["push", "-", "--retries", "0", "--spool", spool], toMock(), input);
    expect(batch.code).toBe(1);
    expect(batch.stderr.match(/could not write the event to the spool/g)).toHaveLength(1);
    expect(batch.stderr.match(/and could not spool it: .*symbolic link/g)).toHaveLength(2);
    expect(await readdir(real)).toEqual([PLANTED]);
  });

  it("warns once when the spool directory is writable by group or others", async () => {
    await mkdir(spool, { recursive: true });
    await chmod(spool, 0o777);
    const warning = /writable by group or others/g;
    const flush = await runCli(["flush", "--spool", spool], toMock());
    expect(flush.code).toBe(0);
    expect(flush.stderr.match(warning)).toHaveLength(1);
    const input = ["w1", "w2", "w3"]
      .map((key) => JSON.stringify({ title_rule: key, event_status: "Info", alert_key: key }))
      .join("\n");
    const batch = await runCli(["push", "-", "--spool", spool], toMock(), input);
    expect(batch.code, batch.stderr).toBe(0);
    expect(batch.stderr.match(warning)).toHaveLength(1);
    await chmod(spool, 0o700);
    expect((await runCli(["flush", "--spool", spool], toMock())).stderr).not.toMatch(warning);
  });
});

describe("a stale key or a wrong destination never quarantines the spool", () => {
  const destinationFaults: [string, Fault][] = [
    ["401 Unauthorized", "Unauthorized"],
    ["403 AccessDenied", "AccessDenied"],
    ["404 RouteNotFound", "RouteNotFound"],
    ["404 without a body", { kind: "status", status: 404 }],
    ["ResourceNotFound", "ResourceNotFound"],
    ["NoLicense", "NoLicense"],
    ["a network error", { kind: "reset" }],
    ["a 302 redirect", { kind: "status", status: 302, headers: { location: "/moved" } }],
  ];
  for (const [label, fault] of destinationFaults) {
    it(`${label}: the flush stops at once (exit 1) and every event stays, untouched`, async () => {
      await spoolEvents(["s1", "s2", "s3"]);
      const before = await snapshot();
      const requests = mock.requests.length;
      mock.failNext(fault);
      const flush = await runCli(["flush", "--spool", spool, "--retries", "0"], toMock());
      expect(flush.code, flush.stderr).toBe(1);
      expect(flush.stderr).toMatch(/every alert event is kept in the spool, untouched/);
      expect(mock.requests.length - requests).toBeLessThanOrEqual(2); // a followed redirect is a second request
      expect(await snapshot()).toEqual(before);

      const retry = await runCli(["flush", "--spool", spool], toMock());
      expect(retry.code, retry.stderr).toBe(0);
      expect(mock.events.map((event) => event.alert_key)).toEqual(["s1", "s2", "s3"]);
    });
  }

  it("a rotated key (Flashduty's InvalidParameter 'invalid integration key') keeps every event for the new key", async () => {
    await spoolEvents(["r1", "r2"]);
    const before = await snapshot();
    const stale = baseEnv({ FLASHDUTY_INTEGRATION_KEY: STALE_KEY, FLASHDUTY_BASE_URL: mock.url });
    const flush = await runCli(["flush", "--spool", spool], stale);
    expect(flush.code).toBe(1);
    expect(flush.stderr).toMatch(/InvalidParameter/);
    expect(await snapshot()).toEqual(before);
    const fresh = await runCli(["flush", "--spool", spool], toMock());
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(mock.events.map((event) => event.alert_key)).toEqual(["r1", "r2"]);
  });

  it("a refusal of one event's content sets only that event aside, with a redacted reason; list and retry it", async () => {
    await spoolEvents(["c1", "c2", "c3"]);
    const [, second] = (await readdir(spool)).sort();
    // c1 delivered; c2 refused for its content, with a message that echoes the key; c3 delivered.
    mock.failNext([
      { kind: "delay", ms: 0 },
      { kind: "error", code: "InvalidParameter", message: `title_rule is invalid for ${KEY}` },
    ]);
    const flush = await runCli(["flush", "--spool", spool, "--retries", "0"], toMock());
    expect(flush.code).toBe(1);
    expect(flush.stderr).toMatch(/set aside as \S+\.rejected/);
    expect(mock.events.map((event) => event.alert_key)).toEqual(["c1", "c3"]);
    expect((await readdir(spool)).sort()).toEqual([`${second}.reason.json`, `${second}.rejected`]);
    const reason = JSON.parse(await readFile(join(spool, `${second}.reason.json`), "utf8"));
    expect(reason).toMatchObject({ code: "InvalidParameter", status: 400 });
    expect(reason.message).toMatch(/title_rule is invalid for/);
    await expectNoKeyOnDisk();

    // Not sent again by a later flush on its own.
    expect((await runCli(["flush", "--spool", spool], toMock())).code).toBe(0);
    expect(mock.events).toHaveLength(2);

    const list = await runCli(["flush", "--spool", spool, "--list-set-aside"], baseEnv());
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`${second} alert_key=c2 InvalidParameter`);
    const listed = await runCli(["flush", "--spool", spool, "--list-set-aside", "--json"], baseEnv());
    expect(JSON.parse(listed.stdout)).toMatchObject({
      set_aside: [{ name: second, event: { alert_key: "c2" }, reason: { code: "InvalidParameter" } }],
    });

    const retry = await runCli(["flush", "--spool", spool, "--retry-set-aside"], toMock());
    expect(retry.code, retry.stderr).toBe(0);
    expect(retry.stdout).toMatch(/put 1 set-aside event\(s\) back/);
    expect(mock.events.map((event) => event.alert_key)).toEqual(["c1", "c3", "c2"]);
    expect(await readdir(spool)).toEqual([]);
  });

  it("a 413 (one event too large for a proxy) sets only that event aside: the spool behind it is delivered", async () => {
    await spoolEvents(["big", "after-1", "after-2"]);
    mock.failNext({
      kind: "status",
      status: 413,
      body: "<html><title>413 Request Entity Too Large</title></html>",
    });
    const flush = await runCli(["flush", "--spool", spool, "--retries", "0"], toMock());
    expect(flush.code, flush.stderr).toBe(1);
    expect((await readdir(spool)).filter((name) => name.endsWith(".rejected"))).toHaveLength(1);
    expect(mock.events.map((event) => event.alert_key)).toEqual(["after-1", "after-2"]);
  });

  it("a 400 without an error code is about the event: set aside", async () => {
    await spoolEvents(["n1"]);
    mock.failNext({ kind: "status", status: 400, body: "bad request" });
    const flush = await runCli(["flush", "--spool", spool, "--retries", "0"], toMock());
    expect(flush.code).toBe(1);
    expect((await readdir(spool)).filter((name) => name.endsWith(".rejected"))).toHaveLength(1);
  });
});

describe("an event holding the key is spooled and sent with it masked", () => {
  it("a title and a label quoting the key: masked in the spool file, said on stderr, delivered masked by flush", async () => {
    mock.failNext({ kind: "reset" });
    const push = await runCli(
      [
        "push",
        "-t",
        `webhook ${KEY} refused`,
        "-s",
        "Critical",
        "-k",
        "masked-1",
        "--label",
        `url=${mock.pushUrl}`,
        "--retries",
        "0",
        "--spool",
        spool,
      ],
      toMock(),
    );
    expect(push.code, push.stderr).toBe(3);
    expect(push.stderr).toContain("title_rule held an integration key (or a piece of one)");
    expect(push.stderr).toContain("labels.url held an integration key (or a piece of one)");
    expect(await readdir(spool)).toHaveLength(1);
    await expectNoKeyOnDisk();

    const flush = await runCli(["flush", "--spool", spool], toMock());
    expect(flush.code, flush.stderr).toBe(0);
    const received = mock.events.find((event) => event.alert_key === "masked-1");
    expect(received?.title_rule).toMatch(/^webhook \*{4}#\w+ refused$/);
    expect(JSON.stringify(mock.events)).not.toContain(KEY.slice(0, 8));
  });
});

describe("a key in the base URL's path", () => {
  it("is refused before anything is sent or spooled (exit 2), for push, the change command and flush", async () => {
    const withKeyInPath = (extra: Record<string, string> = {}) =>
      baseEnv({ FLASHDUTY_INTEGRATION_KEY: KEY, FLASHDUTY_BASE_URL: `${mock.baseUrl}/${KEY}`, ...extra });
    const runs = [
      await runCli(["push", "-t", "t", "-s", "Warning", "--spool", spool], withKeyInPath()),
      await runCli(
        [
          "push",
          "-t",
          "t",
          "-s",
          "Warning",
          "--spool",
          spool,
          "--base-url",
          `${mock.baseUrl}/x${KEY.slice(4, 20)}`,
        ],
        withKeyInPath(),
      ),
      await runCli(
        ["change", "-t", "deploy", "-s", "Done", "-k", "c-1", "--spool", spool],
        withKeyInPath({ FLASHDUTY_CHANGE_INTEGRATION_KEY: KEY }),
      ),
    ];
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(
        /(FLASHDUTY_BASE_URL|--base-url) holds an integration key \(or a piece of one\)/,
      );
    }
    expect(mock.requests).toHaveLength(0);
    expect(await readdir(spool).catch(() => [])).toEqual([]);

    await spoolEvents(["kept-1"]);
    const flush = await runCli(["flush", "--spool", spool], withKeyInPath());
    expect(flush.code, flush.stderr).toBe(2);
    expect(await readdir(spool)).toHaveLength(1);
    await expectNoKeyOnDisk();
  });
});
