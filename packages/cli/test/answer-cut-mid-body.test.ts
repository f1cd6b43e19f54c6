// Answers whose head came and whose body did not, met by the built bin with its own transports (the socket one for
// a single push, node:http for a batch): with --spool, an event every attempt of which was cut, or stalled until
// --timeout, is spooled (exit 3), not lost, and a later flush delivers it. No piece of the key is in any output or
// spool file.

import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Fault } from "@flash-call/testing";
import { type MockServer, startMockServer } from "@flash-call/testing/server";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { leakedPieces } from "../../../test-support/key-pieces.js";
import { baseEnv, type CliRun, neverPrint, runCli } from "./run-cli.js";

const KEY = "cli-cut-body-key-5e0d7b13a9";
let mock: MockServer;
let spool: string;

beforeAll(async () => {
  neverPrint(KEY);
  mock = await startMockServer({ integrationKeys: [KEY], rateLimit: false });
});
afterAll(() => mock.close());
beforeEach(async () => {
  mock.reset();
  spool = join(await mkdtemp(join(tmpdir(), "flash-call-cut-")), "spool");
});

const env = () => baseEnv({ FLASHDUTY_PUSH_URL: mock.pushUrl });
const faults = (kind: "cut-body" | "stalled-body", count: number): Fault[] =>
  Array.from({ length: count }, () => ({ kind }));

/** The spool's entries, each as text. */
async function spooled(): Promise<string[]> {
  const names = (await readdir(spool)).filter((name) => /^\d.*\.json$/.test(name));
  return Promise.all(names.map((name) => readFile(join(spool, name), "utf8")));
}

/** Checks that a run and the spool hold no piece of the key, then flushes the spool to the mock. */
async function expectSpooledThenFlushed(run: CliRun, alertKeys: string[]): Promise<void> {
  const entries = await spooled();
  expect(entries).toHaveLength(alertKeys.length);
  expect(entries.map((text) => JSON.parse(text).event.alert_key).sort()).toEqual([...alertKeys].sort());
  expect(leakedPieces([run.stdout, run.stderr, ...entries].join("\n"), [KEY])).toEqual([]);
  mock.reset();
  const flush = await runCli(["flush", "--spool", spool], env());
  expect(flush.code, flush.stderr).toBe(0);
  expect(mock.events.map((event) => event.alert_key).sort()).toEqual([...alertKeys].sort());
}

describe("flash-call push --spool, when every answer is cut mid-body", () => {
  test("one event: retried, then spooled (exit 3) with a line that says what happened", async () => {
    mock.failNext(faults("cut-body", 2));
    const run = await runCli(
      ["push", "-t", "cut", "-s", "Critical", "-k", "cut-1", "--retries", "1", "--spool", spool],
      env(),
    );
    expect(run.code, run.stderr).toBe(3);
    expect(mock.requests.map((request) => request.fault)).toEqual(["cut-body", "cut-body"]);
    expect(run.stderr).toMatch(
      /^flash-call: NetworkError \(HTTP 200\): Flashduty's answer \(HTTP 200\) was cut short: \S/m,
    );
    expect(run.stderr).toMatch(/spooled as \S+\.json/);
    await expectSpooledThenFlushed(run, ["cut-1"]);
  });

  test("a batch: each event spooled, none lost", async () => {
    mock.failNext(faults("cut-body", 2));
    const stdin = ["cut-a", "cut-b"]
      .map((key) => JSON.stringify({ title_rule: key, event_status: "Warning", alert_key: key }))
      .join("\n");
    const run = await runCli(["push", "--file", "-", "--retries", "0", "--spool", spool], env(), stdin);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr.match(/NetworkError \(HTTP 200\)/g)).toHaveLength(2);
    await expectSpooledThenFlushed(run, ["cut-a", "cut-b"]);
  });
});

describe("flash-call push --spool, when every answer's body stalls", () => {
  // Every answer stalls, so --timeout alone ends each attempt, however fast or slow this machine is.
  test("each attempt ends at --timeout as Timeout, is retried, and the event is spooled", async () => {
    mock.failNext(faults("stalled-body", 2));
    const run = await runCli(
      [
        "push",
        "-t",
        "stall",
        "-s",
        "Critical",
        "-k",
        "stall-1",
        "--retries",
        "1",
        "--timeout",
        "300",
        "--spool",
        spool,
      ],
      env(),
    );
    expect(run.code, run.stderr).toBe(3);
    expect(mock.requests.map((request) => request.fault)).toEqual(["stalled-body", "stalled-body"]);
    expect(run.stderr).toMatch(/^flash-call: Timeout: Flashduty did not answer within 300 ms/m);
    await expectSpooledThenFlushed(run, ["stall-1"]);
  });
});
