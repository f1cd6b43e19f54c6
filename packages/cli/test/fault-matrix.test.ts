import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ERROR_CODE_LIST } from "@flash-call/core/constants";
import type { Fault } from "@flash-call/testing";
import { startMockServer } from "@flash-call/testing/server";
import { beforeAll, describe, expect, test } from "vitest";
import { baseEnv, neverPrint, runCliWithin } from "./run-cli.js";

// Every fault the mock can inject, at every attempt of a `--retries 2` sequence, for one push and for a batch.
// Attempts before the fault under test get a 503 with `retry-after-ms` (a lead-in), so the SDK waits that instead
// of its jittered backoff (1 s base; the CLI has no flag for it).
//
// No outcome depends on how fast this machine is: the bin runs with test-support/held-clock-preload.mjs, whose
// clock lets no attempt time out unless its answer is marked "no answer" (then it times out at once), and ends
// the lead-in waits of a batch together once every event has its lead-in, so each wave of requests takes one
// wave of faults however late any event's request comes.

const RETRIES = 2;
/** The --timeout: a length nothing else uses, so the preload's clock can tell these timers apart. */
const TIMEOUT_MS = 987_654;
/** The lead-in's retry-after-ms, likewise held by the preload until the wave is complete. */
const LEAD_IN_MS = 4_321;
const BATCH_SIZE = 5;
/** A run that takes longer than this is hanging (no row waits on a clock; the slowest waits ~2 s of backoff). */
const HARD_LIMIT_MS = 60_000;
const CLOCK_PRELOAD = fileURLToPath(new URL("../../../test-support/held-clock-preload.mjs", import.meta.url));

interface FaultCase {
  name: string;
  fault: Fault;
  /** Whether the SDK retries it (and the CLI spools it). */
  retryable: boolean;
  /** The error code the CLI reports when this fault is the last answer. */
  code: RegExp;
}

const RETRYABLE_CODES = new Set(["RequestTooFrequently", "InternalError"]);
const FAULTS: FaultCase[] = [
  ...ERROR_CODE_LIST.map((code) => ({
    name: code,
    fault: code,
    retryable: RETRYABLE_CODES.has(code),
    code: new RegExp(`\\b${code}\\b`),
  })),
  { name: "reset", fault: { kind: "reset" }, retryable: true, code: /\bNetworkError\b/ },
  {
    name: "no answer within --timeout",
    fault: { kind: "status", status: 200, headers: { "x-flash-call-test": "no-answer" } },
    retryable: true,
    code: /\bTimeout\b/,
  },
  { name: "html 502", fault: { kind: "html" }, retryable: true, code: /\bHTTP_502\b|\(HTTP 502\)/ },
  { name: "truncated 200", fault: { kind: "truncated" }, retryable: true, code: /\(HTTP 200\)/ },
  {
    name: "200 cut mid-body",
    fault: { kind: "cut-body" },
    retryable: true,
    code: /\bNetworkError \(HTTP 200\)/,
  },
  { name: "error in 200", fault: { kind: "error-in-200" }, retryable: true, code: /\bInternalError\b/ },
  { name: "status 503", fault: { kind: "status", status: 503 }, retryable: true, code: /\(HTTP 503\)/ },
];

/** A retryable answer that makes the SDK wait exactly {@link LEAD_IN_MS} before its next attempt. */
const LEAD_IN: Fault = {
  kind: "status",
  status: 503,
  headers: { "content-type": "application/json", "retry-after-ms": String(LEAD_IN_MS) },
  body: JSON.stringify({ request_id: "lead-in", error: { code: "InternalError", message: "lead-in" } }),
};

interface MatrixRow {
  mode: "push" | "batch";
  fault: FaultCase;
  /** The attempt (1-based) the fault answers; earlier attempts get {@link LEAD_IN}. */
  position: number;
  spool: boolean;
}

const rows: MatrixRow[] = [];
for (const mode of ["push", "batch"] as const) {
  for (const fault of FAULTS) {
    for (let position = 1; position <= RETRIES + 1; position++)
      rows.push({ mode, fault, position, spool: false });
    rows.push({ mode, fault, position: RETRIES + 1, spool: true });
  }
}

const KEY = "fault-matrix-key-7f3a9c21e5";
let root: string;
let caseNumber = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "flash-call-faults-"));
  neverPrint(KEY);
});

/**
 * What a row must produce. In a batch every event gets the lead-ins (which keep the events in step: a fixed
 * retry-after-ms, no jitter) and exactly one of them gets the fault: one fault per event would let an event whose
 * jittered retry comes early take a second event's fault, so the outcome would depend on timing.
 */
function expectedOutcome(row: MatrixRow) {
  const events = row.mode === "batch" ? BATCH_SIZE : 1;
  const recovers = row.fault.retryable && row.position <= RETRIES;
  let code = 0;
  if (!recovers) code = row.fault.retryable && row.spool ? 3 : 1;
  return {
    code,
    requests: events * row.position + (recovers ? 1 : 0),
    delivered: recovers ? events : events - 1,
    spooled: !recovers && row.fault.retryable && row.spool ? 1 : 0,
    failed: recovers ? 0 : 1,
  };
}

describe.concurrent("fault matrix (--retries 2)", () => {
  test.each(rows)("$mode: $fault.name at attempt $position (spool: $spool)", async (row) => {
    // One mock per row: its fault queue and records are the row's alone, so rows can run side by side.
    const server = await startMockServer({ integrationKeys: [KEY], rateLimit: false });
    try {
      caseNumber += 1;
      const spool = join(root, `case-${caseNumber}`);
      const count = row.mode === "batch" ? BATCH_SIZE : 1;
      const faults: Fault[] = [];
      for (let attempt = 1; attempt < row.position; attempt++) {
        for (let event = 0; event < count; event++) faults.push(LEAD_IN);
      }
      faults.push(row.fault.fault);
      server.failNext(faults);

      const keys = Array.from({ length: count }, (_, index) => `matrix-${caseNumber}-${index}`);
      const common = ["--retries", String(RETRIES), "--timeout", String(TIMEOUT_MS)];
      if (row.spool) common.push("--spool", spool);
      const args =
        row.mode === "batch"
          ? ["push", "--file", "-", ...common]
          : ["push", "-t", "matrix", "-s", "Critical", "-k", keys[0] ?? "", ...common];
      const stdin = keys
        .map((key) => JSON.stringify({ title_rule: "matrix", event_status: "Warning", alert_key: key }))
        .join("\n");
      const drainedFile = join(root, `drained-${caseNumber}`);
      const clock = { timeoutMs: TIMEOUT_MS, waitMs: LEAD_IN_MS, wave: count, drainedFile };
      const env = baseEnv({
        FLASHDUTY_PUSH_URL: server.pushUrl,
        NODE_OPTIONS: `--import=${CLOCK_PRELOAD}`,
        FLASH_CALL_TEST_CLOCK: JSON.stringify(clock),
      });
      const run = await runCliWithin(args, env, {
        stdin: row.mode === "batch" ? stdin : undefined,
        timeoutMs: HARD_LIMIT_MS,
      });

      // The mock records each request as it answers, and every answer came before the bin exited.
      const expected = expectedOutcome(row);
      const context = `${run.stderr}\nrequests: ${JSON.stringify(server.requests.map((r) => r.status))}`;
      expect(run.code, context).toBe(expected.code);
      expect(server.requests, context).toHaveLength(expected.requests);
      const delivered = server.events.map((event) => event.alert_key);
      expect(new Set(delivered).size, context).toBe(delivered.length);
      expect(delivered.length, context).toBe(expected.delivered);
      for (const key of delivered) expect(keys).toContain(key);
      // The bin's fallback exits 2 s after the command settles when a stray timer or socket holds the process;
      // a run that ends by itself drains its event loop first, and the preload notes that.
      expect(existsSync(drainedFile), "exited on its own, not by the 2 s fallback").toBe(true);
      expect(run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
      expect(run.stderr).not.toMatch(/Unexpected/);

      if (expected.code === 0) {
        expect(run.stderr, context).toBe("");
      } else {
        // Code and hint for every event that failed.
        expect(run.stderr).toMatch(row.fault.code);
        const hints = run.stderr.match(/^ {2}hint: \S.*$/gm) ?? [];
        expect(hints.length, context).toBe(expected.failed);
      }

      const files = await readdir(spool).catch(() => [] as string[]);
      const spooled = files.filter((name) => /^\d.*\.json$/.test(name));
      expect(spooled, context).toHaveLength(expected.spooled);
      expect(
        files.filter((name) => name.startsWith(".")),
        "no temp or claim file left",
      ).toEqual([]);
      for (const name of spooled) {
        const text = await readFile(join(spool, name), "utf8");
        expect(text).not.toContain(KEY);
        expect(text).not.toContain(encodeURIComponent(KEY));
        expect(keys).toContain(JSON.parse(text).event.alert_key);
      }
    } finally {
      await server.close();
    }
  });
});

test("a slow answer is an answer: only the test's clock times an attempt out", async () => {
  const server = await startMockServer({ integrationKeys: [KEY], rateLimit: false });
  try {
    // Slower than the fixed 800 ms --timeout this matrix once used: on a loaded machine any answer can be.
    server.failNext({ kind: "delay", ms: 1200 });
    const env = baseEnv({
      FLASHDUTY_PUSH_URL: server.pushUrl,
      NODE_OPTIONS: `--import=${CLOCK_PRELOAD}`,
      FLASH_CALL_TEST_CLOCK: JSON.stringify({ timeoutMs: TIMEOUT_MS, waitMs: LEAD_IN_MS, wave: 1 }),
    });
    const run = await runCliWithin(
      ["push", "-t", "slow", "-s", "Info", "--retries", "0", "--timeout", String(TIMEOUT_MS)],
      env,
      { timeoutMs: HARD_LIMIT_MS },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(server.requests.map((request) => request.status)).toEqual([200]);
  } finally {
    await server.close();
  }
});
