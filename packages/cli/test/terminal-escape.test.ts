import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { MockServer } from "@flash-call/testing/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseEnv, type CliRun, neverPrint, runCli } from "./run-cli.js";
import { useMockServer } from "./use-mock-server.js";

/** What a hostile server (or a proxy in front of it) may put in a message meant for the user's terminal. */
const HOSTILE = "denied\u001b[2J\u001b]0;owned\u0007\rfake: delivered\u202eevil\u2066\u009b31m\u007f";
/** None of these may reach stdout or stderr raw. */
const RAW = ["\u001b", "\u0007", "\r", "\u202e", "\u2066", "\u009b", "\u007f"];

function expectNoRawControls(run: CliRun): void {
  for (const [stream, text] of [
    ["stdout", run.stdout],
    ["stderr", run.stderr],
  ] as const) {
    for (const character of RAW) {
      const code = character.charCodeAt(0).toString(16);
      expect(text.includes(character), `raw U+${code} on ${stream}: ${JSON.stringify(text)}`).toBe(false);
    }
  }
}

let mock: MockServer;
let env: Record<string, string>;
useMockServer((started) => ({ mock, env } = started));

describe("terminal control characters from a server", () => {
  it("an error message's controls are escaped on stderr, one line per field", async () => {
    mock.failNext({ kind: "error", code: "InvalidParameter", message: HOSTILE });
    const run = await runCli(["push", "-t", "x", "-s", "Info"], env);
    expect(run.code).toBe(1);
    expectNoRawControls(run);
    const first = run.stderr.split("\n")[0] ?? "";
    expect(first).toMatch(/^flash-call: InvalidParameter \(HTTP 400\): /);
    expect(first).toContain("\\x1b[2J\\x1b]0;owned\\x07\\rfake: delivered\\u202eevil");
    expect(run.stderr.split("\n").every((line) => line === "" || /^(flash-call: | {2})/.test(line))).toBe(
      true,
    );
  });

  it("--json: still valid JSON, the message intact, and no raw control on stdout", async () => {
    mock.failNext({ kind: "error", code: "InvalidParameter", message: HOSTILE });
    const run = await runCli(["push", "-t", "x", "-s", "Info", "--json"], env);
    expect(run.code).toBe(1);
    expectNoRawControls(run);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ ok: false, error: { code: "InvalidParameter" } });
    expect(result.error.message).toContain("\u001b[2J\u001b]0;owned\u0007");
    expect(result.error.message).toContain("\u202eevil\u2066\u009b31m\u007f");
  });

  it("a 200 with Flashduty's error body in it and a hostile request_id", async () => {
    mock.failNext({ kind: "error-in-200", code: "InvalidParameter", message: HOSTILE });
    const run = await runCli(["push", "-t", "x", "-s", "Info"], env);
    expect(run.code).not.toBe(0);
    expectNoRawControls(run);
  });
});

describe("terminal control characters from a raw server", () => {
  let server: Server;
  let baseUrl: string;
  let answer: { status: number; type: string; body: string };

  beforeAll(async () => {
    server = createServer((incoming, outgoing) => {
      incoming.resume();
      incoming.on("end", () => {
        outgoing.writeHead(answer.status, { "content-type": answer.type });
        outgoing.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const key = "terminal-escape-key-0123456789";
  neverPrint(key);
  const rawEnv = () => baseEnv({ FLASHDUTY_INTEGRATION_KEY: key, FLASHDUTY_BASE_URL: baseUrl });

  it.each([
    ["an HTML error page's title", 502, "text/html", `<html><title>${HOSTILE}</title><body>x</body></html>`],
    ["a plain-text error", 500, "text/plain", HOSTILE],
    [
      "a JSON error with a hostile request_id and code",
      400,
      "application/json",
      JSON.stringify({ request_id: HOSTILE, error: { code: `Bad${HOSTILE}`, message: HOSTILE } }),
    ],
    [
      "a success whose request_id and alert_key are hostile",
      200,
      "application/json",
      JSON.stringify({ request_id: HOSTILE, data: { alert_key: HOSTILE } }),
    ],
  ])("%s", async (_name, status, type, body) => {
    answer = { status, type, body };
    for (const json of [false, true]) {
      const run = await runCli(
        ["push", "-t", "x", "-s", "Info", "--retries", "0", ...(json ? ["--json"] : [])],
        rawEnv(),
      );
      expectNoRawControls(run);
      if (json) expect(() => JSON.parse(run.stdout)).not.toThrow();
    }
  });
});

describe("terminal control characters from the user's own input", () => {
  it("a usage error quoting the input, a dry run and a batch error", async () => {
    const runs = [
      await runCli(["push", "-t", "x", "-s", "Info", "--label", HOSTILE], env),
      await runCli(["push", "-t", HOSTILE, "-s", "Info", "--dry-run"], env),
      await runCli(["push", "-t", HOSTILE, "-s", "Info", "--dry-run", "--json"], env),
      await runCli(
        ["push", "-f", "-"],
        env,
        `{"title_rule":"x","event_status":${JSON.stringify(HOSTILE)}}\n`,
      ),
      await runCli(["ocp"], { ...env, alarm_status: HOSTILE }),
    ];
    for (const run of runs) expectNoRawControls(run);
    expect(runs.map((run) => run.code)).toEqual([2, 0, 0, 2, 2]);
    expect(JSON.parse(runs[2]?.stdout ?? "")).toMatchObject({ title_rule: HOSTILE });
    expect(mock.events).toHaveLength(0);
  });
});
