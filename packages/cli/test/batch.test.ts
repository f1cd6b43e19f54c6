import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type MockServer, startMockServer } from "@flash-call/testing/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { baseEnv, neverPrint, runCli } from "./run-cli.js";

let mock: MockServer;
let env: Record<string, string>;
let directory: string;

beforeAll(async () => {
  mock = await startMockServer();
  neverPrint(mock.integrationKey);
  env = baseEnv({ FLASHDUTY_PUSH_URL: mock.pushUrl });
  directory = await mkdtemp(join(tmpdir(), "flash-call-batch-"));
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

const event = (index: number) => ({
  title_rule: `event ${index}`,
  event_status: "Warning",
  alert_key: `k${index}`,
});

describe("flash-call push --file", () => {
  it("delivers NDJSON, reports each bad line with why, and exits 2", async () => {
    const lines = [
      JSON.stringify(event(1)),
      "{not json",
      JSON.stringify(event(3)),
      "",
      JSON.stringify({ title_rule: "", event_status: "Critical" }),
      JSON.stringify({ ...event(6), event_time: "2024-05-01T12:00:00Z" }),
      "[1]",
    ];
    const file = join(directory, "events.ndjson");
    await writeFile(file, lines.join("\n"));
    const run = await runCli(["push", "--file", file], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^flash-call: line 2: InvalidJSON: invalid JSON/m);
    expect(run.stderr).toMatch(/^flash-call: line 5: ValidationError/m);
    expect(run.stderr).toMatch(/^flash-call: line 7: InvalidJSON: expected an event object, got an array/m);
    expect(run.stdout).toMatch(/^delivered line 1 alert_key=k1 request_id=/m);
    expect(run.stdout).toMatch(/^batch: 3 delivered, 3 invalid, 0 failed, 0 spooled$/m);
    expect(mock.events.map((received) => received.alert_key).sort()).toEqual(["k1", "k3", "k6"]);
    expect(mock.events.find((received) => received.alert_key === "k6")?.event_time).toBe(1_714_564_800);
  });

  it("reads a JSON array from stdin, adds --label to each, and exits 0", async () => {
    const events = [event(1), { ...event(2), labels: { team: "own" } }];
    const run = await runCli(
      ["push", "-", "-l", "team=ops", "-l", "env=prod", "--json"],
      env,
      JSON.stringify(events),
    );
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ ok: true, delivered: 2, invalid: 0, failed: 0, spooled: 0 });
    expect(summary.results.map((result: { location: string }) => result.location)).toEqual([
      "index 0",
      "index 1",
    ]);
    const labels = Object.fromEntries(mock.events.map((received) => [received.alert_key, received.labels]));
    expect(labels).toEqual({ k1: { team: "ops", env: "prod" }, k2: { team: "own", env: "prod" } });
  });

  it("leaves labels that are not an object for validation, even with --label (exit 2)", async () => {
    for (const labels of ['"host=db1"', '["host=db1"]', "null"]) {
      const input = `{"title_rule":"t","event_status":"Info","labels":${labels}}`;
      const run = await runCli(["push", "-", "-l", "team=x"], env, input);
      expect(run.code, `labels: ${labels}`).toBe(2);
      expect(run.stderr).toMatch(/ValidationError/);
      expect(run.stderr).toMatch(/labels/);
    }
    expect(mock.requests).toHaveLength(0);
  });

  it("reads one pretty-printed object", async () => {
    const run = await runCli(["push", "--file", "-"], env, JSON.stringify(event(1), null, 2));
    expect(run.code).toBe(0);
    expect(mock.events).toHaveLength(1);
  });

  it("exits 1 when an event fails to send, and names it", async () => {
    mock.failNext("InvalidParameter");
    const input = [event(1), event(2), event(3)].map((item) => JSON.stringify(item)).join("\n");
    const run = await runCli(["push", "-", "--json"], env, input);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/line \d: InvalidParameter/);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, delivered: 2, failed: 1 });
  });

  it("--dry-run prints one payload per line and sends nothing", async () => {
    const input = [event(1), { title_rule: "x", event_status: "Nope" }, event(3)].map((item) =>
      JSON.stringify(item),
    );
    const run = await runCli(["push", "-", "--dry-run"], env, input.join("\n"));
    expect(run.code).toBe(2);
    expect(
      run.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line).alert_key),
    ).toEqual(["k1", "k3"]);
    expect(mock.requests).toHaveLength(0);
  });

  it("--dry-run --json prints one document with every outcome: each payload, and each invalid event's issues", async () => {
    const input = [event(1), { title_rule: "x", event_status: "Nope" }, "{not json", event(4)].map((item) =>
      typeof item === "string" ? item : JSON.stringify(item),
    );
    const run = await runCli(["push", "-", "--dry-run", "--json"], env, input.join("\n"));
    expect(run.code).toBe(2);
    const lines = run.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const document = JSON.parse(lines[0] as string);
    expect(document).toMatchObject({ ok: false, dry_run: true, valid: 2, invalid: 2 });
    expect(document.results).toMatchObject([
      { location: "line 1", ok: true, event: { alert_key: "k1", event_status: "Warning" } },
      {
        location: "line 2",
        ok: false,
        outcome: "invalid",
        error: { code: "ValidationError", issues: [{ path: "event_status" }] },
      },
      { location: "line 3", ok: false, outcome: "invalid", error: { code: "InvalidJSON" } },
      { location: "line 4", ok: true, event: { alert_key: "k4" } },
    ]);
    // Said on stderr too, as a sent batch says them.
    expect(run.stderr).toMatch(/line 2: ValidationError/);
    expect(mock.requests).toHaveLength(0);
  });

  it("says once, on stderr, which --label an event's own label overrode, naming no value; --quiet keeps it out", async () => {
    const input = [
      { ...event(1), labels: { env: "staging" } },
      { ...event(2), labels: { env: "canary" } },
      { ...event(3), labels: { env: "prod" } },
      event(4),
    ].map((item) => JSON.stringify(item));
    const run = await runCli(["push", "-", "--label", "env=prod"], env, input.join("\n"));
    expect(run.code).toBe(0);
    const notes = run.stderr.split("\n").filter((line) => line.includes("--label env"));
    expect(notes).toEqual([
      "flash-call: warning: --label env was not sent with 2 events: its own env label has another value, and an event's own labels win",
    ]);
    expect(Object.fromEntries(mock.events.map((sent) => [sent.alert_key, sent.labels?.env]))).toEqual({
      k1: "staging",
      k2: "canary",
      k3: "prod",
      k4: "prod",
    });
    const quiet = await runCli(["push", "-", "--label", "env=prod", "--quiet"], env, input.join("\n"));
    expect(quiet).toMatchObject({ code: 0, stderr: "" });
  });

  it("does not call a --label overridden by an event's label of the same value given as a number or boolean", async () => {
    const input = [
      { ...event(1), labels: { port: 8080, debug: true } },
      { ...event(2), labels: { port: "8080", debug: "true" } },
      { ...event(3), labels: { port: 9090, debug: true } },
    ].map((item) => JSON.stringify(item));
    const flags = ["--label", "port=8080", "--label", "debug=true"];
    const run = await runCli(["push", "-", ...flags], env, input.join("\n"));
    expect(run.code).toBe(0);
    const notes = run.stderr.split("\n").filter((line) => line.includes("not sent with"));
    expect(notes).toEqual([
      "flash-call: warning: --label port was not sent with 1 event: its own port label has another value, and an event's own labels win",
    ]);
    expect(Object.fromEntries(mock.events.map((sent) => [sent.alert_key, sent.labels]))).toEqual({
      k1: { port: "8080", debug: "true" },
      k2: { port: "8080", debug: "true" },
      k3: { port: "9090", debug: "true" },
    });
    // A dry run prepares the same events and says the same.
    const dryRun = await runCli(["push", "-", "--dry-run", ...flags], baseEnv(), input.join("\n"));
    expect(dryRun.code).toBe(0);
    expect(dryRun.stderr.split("\n").filter((line) => line.includes("not sent with"))).toEqual(notes);
  });

  it("does not count a refused event, never sent, among those whose own label overrode a --label", async () => {
    const input = [
      { ...event(1), labels: { env: "staging" } },
      { title_rule: "no status", labels: { env: "canary" } },
      { ...event(3), labels: { env: "qa", when: null } },
    ].map((item) => JSON.stringify(item));
    const run = await runCli(["push", "-", "--label", "env=prod"], env, input.join("\n"));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^flash-call: line 2: ValidationError/m);
    expect(run.stderr).toMatch(/^flash-call: line 3: ValidationError/m);
    expect(run.stderr.split("\n").filter((line) => line.includes("not sent with"))).toEqual([
      "flash-call: warning: --label env was not sent with 1 event: its own env label has another value, and an event's own labels win",
    ]);
    expect(mock.events.map((sent) => sent.alert_key)).toEqual(["k1"]);
    const dryRun = await runCli(["push", "-", "-n", "--label", "env=prod"], baseEnv(), input.join("\n"));
    expect(dryRun.code).toBe(2);
    expect(dryRun.stderr).toContain("--label env was not sent with 1 event:");
  });

  it("treats empty input as nothing to send", async () => {
    const run = await runCli(["push", "-"], env, "\n\n");
    expect(run).toMatchObject({ code: 0, stdout: "batch: nothing to send\n" });
  });

  it("exits 2 for a missing file or payload flags mixed with --file", async () => {
    const missing = await runCli(["push", "--file", join(directory, "nope.json")], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read --file .*no such file/);
    expect((await runCli(["push", "--file", "-", "--title", "x"], env)).code).toBe(2);
  });

  it("delivers a batch larger than the per-second rate limit", async () => {
    const input = Array.from({ length: 150 }, (_, index) => JSON.stringify(event(index))).join("\n");
    const run = await runCli(["push", "-", "--quiet"], env, input);
    expect(run).toMatchObject({ code: 0, stdout: "", stderr: "" });
    expect(new Set(mock.events.map((received) => received.alert_key)).size).toBe(150);
    // Pacing is the SDK's job; an occasional 429 at the window's edge is retried, so nothing is lost.
    expect(mock.events.length).toBeGreaterThanOrEqual(150);
  });
});
