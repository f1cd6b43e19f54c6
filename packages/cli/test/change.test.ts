// `flash-call change`: the real bin against a real mock Flashduty on 127.0.0.1.
import { prepareChange } from "flash-call";
import { describe, expect, test } from "vitest";
import { changePayloads, mockServers } from "./change-mock.js";
import { baseEnv, runCli } from "./run-cli.js";

const mock = mockServers();

describe("flash-call change", () => {
  test("one change from flags, its status in any case, arrives exactly as prepared", async () => {
    const server = await mock();
    const run = await runCli(
      [
        "change",
        ...["--title", "DB migration 42", "--status", "rEaDy", "--change-key", "CHG-42"],
        ...[
          "--link",
          "https://tickets.example/CHG-42",
          "--label",
          "team=db",
          "--event-time",
          "2030-01-01T00:00:00Z",
        ],
      ],
      baseEnv({ FLASHDUTY_CHANGE_PUSH_URL: server.changePushUrl }),
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^delivered change_key=CHG-42 status=Ready request_id=\w+\n$/);
    expect(changePayloads(server)).toEqual([
      prepareChange({
        title: "DB migration 42",
        change_status: "Ready",
        change_key: "CHG-42",
        link: "https://tickets.example/CHG-42",
        labels: { team: "db" },
        // In the future: allowed with Ready.
        event_time: 1_893_456_000,
      }).event,
    ]);
  });

  test("a batch (NDJSON) is sent in order; an invalid line is reported and the rest still sent (exit 2)", async () => {
    const server = await mock();
    const lines = [
      { title: "Deploy", change_status: "Processing", change_key: "d-1" },
      { title: "Deploy", change_status: "done", change_key: "d-1" },
      { title: "Deploy", change_status: "Done", change_key: "d-1" },
    ].map((line) => JSON.stringify(line));
    const run = await runCli(
      ["change", "--file", "-", "--label", "env=prod", "--json"],
      baseEnv({ FLASHDUTY_CHANGE_INTEGRATION_KEY: server.integrationKey, FLASHDUTY_BASE_URL: server.url }),
      lines.join("\n"),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("line 2");
    expect(run.stderr).toContain('did you mean "Done"');
    expect(server.changes.get("d-1")?.events.map((event) => event.change_status)).toEqual([
      "Processing",
      "Done",
    ]);
    expect(server.changeEvents[0]?.labels).toEqual({ env: "prod" });
    expect(JSON.parse(run.stdout)).toMatchObject({ delivered: 2, invalid: 1, failed: 0 });
  });

  test("invalid input never leaves the process (exit 2)", async () => {
    const server = await mock();
    const env = baseEnv({ FLASHDUTY_CHANGE_PUSH_URL: server.changePushUrl });
    const bad = await runCli(["change", "--title", "t", "--status", "finished", "--change-key", "k"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Planned, Ready, Processing, Canceled, Done");
    const tooMany = Array.from({ length: 51 }, (_, index) => ["--label", `l${index}=v`]).flat();
    const labels = await runCli(
      ["change", "--title", "t", "--status", "Done", "--change-key", "k", ...tooMany],
      env,
    );
    expect(labels.code).toBe(2);
    expect(server.requests).toEqual([]);
  });

  test("the alert key is never used for changes, and an alert push URL given for changes is refused", async () => {
    const server = await mock();
    const args = ["change", "--title", "t", "--status", "Done", "--change-key", "k"];
    const alertOnly = await runCli(args, baseEnv({ FLASHDUTY_PUSH_URL: server.pushUrl }));
    expect(alertOnly.code).toBe(2);
    expect(alertOnly.stderr).toContain("FLASHDUTY_CHANGE_PUSH_URL");
    const swapped = await runCli(args, baseEnv({ FLASHDUTY_CHANGE_PUSH_URL: server.pushUrl }));
    expect(swapped.code).toBe(2);
    expect(swapped.stderr).toContain("alert integration's");
    expect(server.requests).toEqual([]);
  });

  test("--key on the command line: warned once, naming the change integration's variable", async () => {
    const server = await mock();
    const key = ["--key", server.integrationKey, "--base-url", server.url];
    const change = await runCli(
      ["change", "--title", "t", "--status", "Done", "--change-key", "k", ...key],
      baseEnv(),
    );
    const deploy = await runCli(
      ["deploy", "--title", "t", "--change-key", "k", ...key, "--", process.execPath, "-e", ""],
      baseEnv(),
    );
    for (const run of [change, deploy]) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr.match(/warning: --key shows in the process list/g)).toHaveLength(1);
      expect(run.stderr).toContain("set FLASHDUTY_CHANGE_INTEGRATION_KEY in the environment instead");
    }
  });

  test("a configuration error's hint names the change integration's variables", async () => {
    const server = await mock();
    const run = await runCli(
      ["change", "--title", "t", "--status", "Done", "--change-key", "k", "--timeout", "0"],
      baseEnv({ FLASHDUTY_CHANGE_PUSH_URL: server.changePushUrl }),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--timeout must be a whole number");
    expect(run.stderr).toContain("FLASHDUTY_CHANGE_INTEGRATION_KEY or FLASHDUTY_CHANGE_PUSH_URL");
    expect(run.stderr).not.toContain("FLASHDUTY_INTEGRATION_KEY");
    expect(server.requests).toEqual([]);
  });

  test("--dry-run prints the prepared change and needs no key", async () => {
    const run = await runCli(
      ["change", "-n", "--title", "t", "--status", "planned", "--change-key", "k"],
      baseEnv(),
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ title: "t", change_status: "Planned", change_key: "k" });
  });

  test("--dry-run --json of a batch prints one document with every outcome; of one invalid change, its error", async () => {
    const lines = [
      JSON.stringify({ title: "Window", change_status: "Planned", change_key: "w-1", labels: { env: "qa" } }),
      JSON.stringify({ title: "", change_status: "Planned", change_key: "w-2" }),
    ];
    const batch = await runCli(
      ["change", "--file", "-", "--dry-run", "--json", "--label", "env=prod"],
      baseEnv(),
      lines.join("\n"),
    );
    // The flag the first change's own label overrode is named on stderr, once.
    expect(batch.stderr).toContain("--label env was not sent with 1 event");
    expect(batch.code).toBe(2);
    expect(batch.stdout.trim().split("\n")).toHaveLength(1);
    expect(JSON.parse(batch.stdout)).toMatchObject({
      ok: false,
      dry_run: true,
      valid: 1,
      invalid: 1,
      results: [
        {
          location: "line 1",
          ok: true,
          event: { change_key: "w-1", change_status: "Planned", labels: { env: "qa" } },
        },
        { location: "line 2", ok: false, outcome: "invalid", error: { code: "ValidationError" } },
      ],
    });
    const one = await runCli(
      ["change", "-n", "--json", "--title", "   ", "--status", "planned", "--change-key", "k"],
      baseEnv(),
    );
    expect(one.code).toBe(2);
    expect(JSON.parse(one.stdout)).toMatchObject({
      ok: false,
      error: { code: "ValidationError", issues: [{ path: "title" }] },
    });
  });

  test("a batch's --label note does not count a label of the flag's value given as a number", async () => {
    const server = await mock();
    const lines = [
      { title: "Deploy", change_status: "Done", change_key: "d-1", labels: { build: 42 } },
      { title: "Deploy", change_status: "Done", change_key: "d-2", labels: { build: 43 } },
    ].map((line) => JSON.stringify(line));
    const run = await runCli(
      ["change", "--file", "-", "--label", "build=42"],
      baseEnv({ FLASHDUTY_CHANGE_PUSH_URL: server.changePushUrl }),
      lines.join("\n"),
    );
    expect(run.code).toBe(0);
    expect(run.stderr.split("\n").filter((line) => line.includes("not sent with"))).toEqual([
      "flash-call: warning: --label build was not sent with 1 event: its own build label has another value, and an event's own labels win",
    ]);
    expect(changePayloads(server).map((change) => [change.change_key, change.labels])).toEqual([
      ["d-1", { build: "42" }],
      ["d-2", { build: "43" }],
    ]);
  });

  test("a batch's --label note does not count a refused change, never sent", async () => {
    const server = await mock();
    const lines = [
      { title: "Deploy", change_status: "Done", change_key: "d-1", labels: { env: "qa" } },
      { change_status: "Done", change_key: "d-2", labels: { env: "staging" } },
    ].map((line) => JSON.stringify(line));
    const run = await runCli(
      ["change", "--file", "-", "--label", "env=prod"],
      baseEnv({ FLASHDUTY_CHANGE_PUSH_URL: server.changePushUrl }),
      lines.join("\n"),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^flash-call: line 2: ValidationError/m);
    expect(run.stderr.split("\n").filter((line) => line.includes("not sent with"))).toEqual([
      "flash-call: warning: --label env was not sent with 1 event: its own env label has another value, and an event's own labels win",
    ]);
    expect(changePayloads(server).map((change) => change.change_key)).toEqual(["d-1"]);
  });

  test("a batch reads event_time strings like --event-time and leaves malformed labels to validation", async () => {
    const server = await mock();
    const lines = [
      { title: "Window", change_status: "Planned", change_key: "w-1", event_time: "2030-01-01T00:00:00Z" },
      { title: "Window", change_status: "Ready", change_key: "w-2", labels: "not an object" },
    ].map((line) => JSON.stringify(line));
    const run = await runCli(
      ["change", "--file", "-", "--label", "env=prod"],
      baseEnv({ FLASHDUTY_CHANGE_PUSH_URL: server.changePushUrl }),
      lines.join("\n"),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("line 2");
    expect(changePayloads(server)).toEqual([
      {
        title: "Window",
        change_status: "Planned",
        change_key: "w-1",
        event_time: 1_893_456_000,
        labels: { env: "prod" },
      },
    ]);
  });
});
