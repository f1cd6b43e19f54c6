// `flash-call deploy -- CMD` end to end: the real bin, real child processes and a real mock Flashduty on
// 127.0.0.1. Each test waits for events (the mock's records, the child's output), never for a duration.
import { existsSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { prepareChange } from "flash-call";
import { describe, expect, test } from "vitest";
import { run } from "../src/run.js";
import { changePayloads, mockServers } from "./change-mock.js";
import { accepted, type HeldServer, startHeldServer } from "./held-server.js";
import { baseEnv, runCli } from "./run-cli.js";
import { spawnCli } from "./spawn-cli.js";

const mock = mockServers();

/** Resolves once `stream` has written `text` (split across chunks or not). */
function outputLine(stream: Readable | null, text: string): Promise<void> {
  let seen = "";
  return new Promise((resolve) => {
    stream?.on("data", (chunk: Buffer | string) => {
      seen += String(chunk);
      if (seen.includes(text)) resolve();
    });
  });
}

const FLAGS = ["--title", "Deploy billing v2", "--change-key", "deploy-42", "--label", "service=billing"];
/** A command that prints to stdout and stderr and exits with `status`. */
const command = (status: number) => [
  process.execPath,
  "-e",
  `console.log("deploying"); console.error("deploy log"); process.exit(${status})`,
];

describe("flash-call deploy", () => {
  test("Processing, the command with its stdout and stderr, then Done; exits 0", async () => {
    const server = await mock();
    const run = await runCli(
      ["deploy", ...FLAGS, "--", ...command(0)],
      baseEnv({ FLASHDUTY_CHANGE_PUSH_URL: server.changePushUrl }),
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("deploying\n");
    expect(run.stderr).toContain("deploy log");
    const base = { title: "Deploy billing v2", change_key: "deploy-42", labels: { service: "billing" } };
    // Exactly as the SDK prepares them, in order.
    expect(changePayloads(server)).toEqual([
      prepareChange({ ...base, change_status: "Processing" }).event,
      prepareChange({ ...base, change_status: "Done" }).event,
    ]);
    expect(server.changes.get("deploy-42")?.status).toBe("Done");
  });

  test("--json: the result names the final status's request_id, as every command's result does", async () => {
    const server = await mock();
    const run = await runCli(
      ["deploy", ...FLAGS, "--json", "--", ...command(0)],
      baseEnv({ FLASHDUTY_CHANGE_PUSH_URL: server.changePushUrl }),
    );
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout.replace("deploying\n", ""));
    expect(result).toEqual({
      ok: true,
      change_key: "deploy-42",
      change_status: "Done",
      request_id: server.changeEvents.at(-1)?.request_id,
      exit_status: 0,
    });
    expect(result.request_id).toMatch(/^[0-9a-f]{32}$/);
  });

  test("a failing command: Canceled with its exit status in the description, and its status passed through", async () => {
    const server = await mock();
    const run = await runCli(
      ["deploy", ...FLAGS, "--description", "v2 rollout", "--", ...command(7)],
      baseEnv({ FLASHDUTY_CHANGE_PUSH_URL: server.changePushUrl }),
    );
    expect(run.code).toBe(7);
    const statuses = server.changeEvents.map((event) => event.change_status);
    expect(statuses).toEqual(["Processing", "Canceled"]);
    expect(server.changeEvents[1]?.description).toMatch(/^v2 rollout\n.*exited with status 7$/);
  });

  test("a Flashduty that never answers does not hold the deploy: the command starts, its status is kept", async () => {
    const server = await mock();
    // The Processing event is held past its timeout; the final event is answered.
    server.failNext({ kind: "delay", ms: 600_000 });
    const run = await runCli(
      ["deploy", ...FLAGS, "--timeout", "300", "--retries", "0", "--", ...command(3)],
      baseEnv({ FLASHDUTY_CHANGE_PUSH_URL: server.changePushUrl }),
    );
    expect(run.code).toBe(3);
    expect(run.stdout).toBe("deploying\n");
    expect(run.stderr).toContain("Processing not delivered");
    expect(server.changeEvents.map((event) => event.change_status)).toEqual(["Canceled"]);
  });

  test("no change key anywhere: the command runs anyway, and stderr names where a key goes", async () => {
    const server = await mock();
    const run = await runCli(
      ["deploy", ...FLAGS, "--", ...command(0)],
      // The alert's variables are never used for changes.
      baseEnv({ FLASHDUTY_PUSH_URL: server.pushUrl }),
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("deploying\n");
    expect(run.stderr).toContain("FLASHDUTY_CHANGE_INTEGRATION_KEY");
    expect(run.stderr).toContain("running the command anyway");
    expect(server.requests).toEqual([]);
  });

  test("a stop signal is passed to the command; its end is reported as Canceled and its status kept", async () => {
    const server = await mock();
    const child = [
      process.execPath,
      "-e",
      'process.on("SIGTERM", () => { console.log("got SIGTERM"); process.exit(5); }); console.log("ready"); setInterval(() => {}, 1000);',
    ];
    const cli = spawnCli(
      ["deploy", ...FLAGS, "--", ...child],
      baseEnv({ FLASHDUTY_CHANGE_PUSH_URL: server.changePushUrl }),
    );
    // Processing is sent once the command has started: both are waited for, so the stop meets neither in flight.
    await Promise.all([
      outputLine(cli.child.stdout, "ready"),
      outputLine(cli.child.stderr, "Processing delivered"),
    ]);
    cli.child.kill("SIGTERM");
    const run = await cli.exited;
    expect(run.code).toBe(5);
    expect(run.stdout).toContain("got SIGTERM");
    expect(server.changeEvents.map((event) => event.change_status)).toEqual(["Processing", "Canceled"]);
  });

  test("usage and validation errors exit 2 before anything runs or is sent", async () => {
    const server = await mock();
    const env = baseEnv({ FLASHDUTY_CHANGE_PUSH_URL: server.changePushUrl });
    const noCommand = await runCli(["deploy", ...FLAGS], env);
    expect(noCommand.code).toBe(2);
    expect(noCommand.stderr).toContain("after --");
    const marker = [process.execPath, "-e", 'console.log("ran")'];
    const blankKey = await runCli(["deploy", "--title", "t", "--change-key", " ", "--", ...marker], env);
    expect(blankKey.code).toBe(2);
    expect(blankKey.stdout).not.toContain("ran");
    // With --json, the refusal is the JSON document on stdout, as for every other command.
    const blankJson = await runCli(
      ["deploy", "--title", "t", "--change-key", " ", "--json", "--", ...marker],
      env,
    );
    expect(blankJson.code).toBe(2);
    expect(JSON.parse(blankJson.stdout)).toMatchObject({ ok: false, error: { code: "ValidationError" } });
    expect(server.requests).toEqual([]);
  });

  /** A command that prints `ready` and exits 5 on SIGTERM. */
  const waitsForStop = [
    process.execPath,
    "-e",
    'process.on("SIGTERM", () => process.exit(5)); console.log("ready"); setInterval(() => {}, 1000);',
  ];
  const heldEnv = (held: { url: string }) =>
    baseEnv({
      FLASHDUTY_CHANGE_PUSH_URL: `${held.url}/event/push/change/standard?integration_key=held-key-0123456789`,
    });
  const WAITING =
    /stopped by SIGTERM while change deploy-42 Processing was being sent: waiting for its answer/;

  /**
   * Starts a deploy whose Processing Flashduty holds, stops it with SIGTERM once the command runs and Processing is
   * in flight, and resolves when the CLI says it waits for Processing — or when a second request arrives first (a
   * Canceled sent past the Processing in flight): how many requests had arrived by then is returned.
   */
  async function stopWhileProcessingHeld(held: HeldServer, flags: string[]) {
    held.answer((request) => (request.body.change_status === "Processing" ? "hold" : accepted(request)));
    const cli = spawnCli(["deploy", ...FLAGS, ...flags, "--", ...waitsForStop], heldEnv(held));
    const waiting = outputLine(cli.child.stderr, "waiting for its answer");
    // The command runs while Processing waits for its answer.
    await Promise.all([outputLine(cli.child.stdout, "ready"), held.waitForRequests(1)]);
    cli.child.kill("SIGTERM");
    await Promise.race([waiting, held.waitForRequests(2)]);
    return { cli, seen: held.requests.length };
  }

  test("a stop while Processing is in flight lets it be answered before the final status is sent", async () => {
    const held = await startHeldServer();
    try {
      const { cli, seen } = await stopWhileProcessingHeld(held, ["--timeout", "600000", "--retries", "0"]);
      // Nothing overtook the Processing in flight: it is still the only request.
      expect(seen).toBe(1);
      held.answer(accepted);
      const run = await cli.exited;
      expect(run.code).toBe(5);
      expect(run.stderr).toMatch(WAITING);
      expect(run.stderr).toContain("change deploy-42 Processing delivered");
      expect(run.stderr).toContain("change deploy-42 Canceled delivered");
      await held.waitForRequests(2);
      expect(held.requests.map((request) => request.body.change_status)).toEqual(["Processing", "Canceled"]);
      expect(held.requests[1]?.body.description).toContain("exited with status 5");
    } finally {
      await held.close();
    }
  });

  test("a stop while Processing is in flight makes no retry of it: its failure is said, then the final status is sent", async () => {
    const held = await startHeldServer();
    try {
      // Retries are allowed: only the stop keeps the failed Processing from being sent again.
      const { cli, seen } = await stopWhileProcessingHeld(held, ["--timeout", "600000", "--retries", "3"]);
      expect(seen).toBe(1);
      held.answer((request) =>
        request.body.change_status === "Processing"
          ? {
              status: 503,
              body: JSON.stringify({
                request_id: "req-busy",
                error: { code: "InternalError", message: "busy" },
              }),
              headers: { "content-type": "application/json" },
            }
          : accepted(request),
      );
      const run = await cli.exited;
      expect(run.code).toBe(5);
      expect(run.stderr).toMatch(WAITING);
      expect(run.stderr).toMatch(
        /change deploy-42 Processing not delivered:\n {2}InternalError \(HTTP 503\): busy; not retried: stopped by SIGTERM\n/,
      );
      expect(held.requests.map((request) => request.body.change_status)).toEqual(["Processing", "Canceled"]);
    } finally {
      await held.close();
    }
  });

  test("a stop before the command starts starts nothing and sends nothing", async () => {
    const server = await mock();
    const stop = new AbortController();
    stop.abort("SIGTERM");
    let stderr = "";
    const marker = join(await mkdtemp(join(tmpdir(), "flash-call-deploy-")), "ran");
    const code = await run(
      [
        "deploy",
        ...FLAGS,
        "--",
        process.execPath,
        "-e",
        `require("fs").writeFileSync(${JSON.stringify(marker)}, "")`,
      ],
      {
        env: baseEnv({ FLASHDUTY_CHANGE_PUSH_URL: server.changePushUrl }),
        stdout: { write: () => true },
        stderr: { write: (text: string) => (stderr += text) },
        stdin: (async function* () {})(),
        stop: stop.signal,
      },
    );
    expect(code).toBe(143);
    expect(stderr).toMatch(
      /stopped by SIGTERM before ".*" started; the deploy did not run, and no change was sent/,
    );
    expect(existsSync(marker)).toBe(false);
    expect(server.requests).toEqual([]);
  });

  test.each([
    ["not found", 127, "ENOENT", "/nonexistent/flash-call-deploy"],
    ["not executable", 126, "EACCES", tmpdir()],
  ])(
    "a command that cannot be started (%s): nothing sent, exit %i, said on stderr (%s) even with --quiet",
    async (_case, status, code, file) => {
      const server = await mock();
      const run = await runCli(
        ["deploy", ...FLAGS, "--quiet", "--json", "--", file],
        baseEnv({ FLASHDUTY_CHANGE_PUSH_URL: server.changePushUrl }),
      );
      expect(run.code).toBe(status);
      expect(run.stderr).toBe(
        `flash-call: ${JSON.stringify(file)} could not be started (${code}); the deploy did not run, and no change was sent\n`,
      );
      expect(JSON.parse(run.stdout)).toEqual({
        ok: false,
        change_key: "deploy-42",
        exit_status: status,
        started: false,
      });
      expect(server.requests).toEqual([]);
    },
  );
});
