import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMockFlashduty } from "@flash-call/testing";
import { type MockServer, startMockServer } from "@flash-call/testing/server";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { propertyOptions, runSeed } from "../../../test-support/fast-check.js";
import { baseEnv, type CliRun, neverPrint, runCliWithin } from "./run-cli.js";
import { runInProcess } from "./run-in-process.js";

// Hostile input: random argument vectors and random batch files must always end in exit 0, 1, 2 or 3, with
// no stack trace and no key in the output. The command's `run(argv, io)` takes thousands of cases in-process
// (the SDK's fetch answered by the in-memory mock); a smaller sample goes through the real bin and socket.

const KEY = "fuzz-key-Zq8vT3nW5yR1";
const IN_PROCESS_ARGV_RUNS = 3000;
const IN_PROCESS_BATCH_RUNS = 400;
const SPAWNED_ARGV_RUNS = 70;
const SPAWNED_BATCH_RUNS = 40;
const SPAWN_LIMIT_MS = 15_000;

const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>\)?)$/m;
const ERROR_WITH_STACK = /^\w*Error(:|\s\[).*\n\s+at /m;

let directory: string;
let batchFile: string;
let spoolDirectory: string;
let server: MockServer;
let chaosState = runSeed >>> 0;
/**
 * In-process, the server refuses some requests: for good (exit 1) or for a moment (a 503 asking for a retry
 * after 1 ms, so the SDK retries at once and, when every attempt fails, the event is spooled: exit 3).
 */
const inMemory = createMockFlashduty({
  baseUrl: "*",
  rateLimit: false,
  chaos: {
    rate: 0.3,
    faults: [
      "InvalidParameter",
      "Unauthorized",
      { kind: "status", status: 503, headers: { "retry-after-ms": "1" } },
      { kind: "error-in-200", code: "AccessDenied" },
    ],
    random: () => {
      chaosState = (Math.imul(chaosState, 1_103_515_245) + 12_345) >>> 0;
      return chaosState / 4_294_967_296;
    },
  },
});
const pushUrlFor = (origin: string) => `${origin}/event/push/alert/standard?integration_key=${KEY}`;
const IN_MEMORY_ORIGIN = "http://127.0.0.1:9";

beforeAll(async () => {
  neverPrint(KEY);
  directory = await mkdtemp(join(tmpdir(), "flash-call-fuzz-"));
  batchFile = join(directory, "events.ndjson");
  spoolDirectory = join(directory, "spool");
  await writeFile(
    batchFile,
    `${JSON.stringify({ title_rule: "fuzz", event_status: "Info" })}\n{"title_rule":1}\nnot json\n`,
  );
  server = await startMockServer({ integrationKeys: [KEY], rateLimit: false });
  // In-process runs: every fetch (the SDK's default) is answered by the in-memory mock, on any origin.
  vi.stubGlobal("fetch", (input: RequestInfo | URL, init?: RequestInit) =>
    inMemory.handle(new Request(input, init)),
  );
});
afterAll(async () => {
  vi.unstubAllGlobals();
  await server.close();
});

// ---- generators ----------------------------------------------------------------------------------------------

const anyText = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom("", " ", "-", "--", "=", "a=b=c", "中文", "🚨", "\n", "'\"", "x".repeat(3000)),
);

const pushUrls = (origin: string) =>
  fc.constantFrom(pushUrlFor(origin), `${origin}/nope?integration_key=${KEY}`, `${origin}/?integration_key=`);

/**
 * Values a flag may get. Destinations are always well-formed URLs: an unusable base URL is a network error that
 * the SDK retries with its 1 s backoff, which would only make the fuzzing slow.
 */
function valuesFor(flag: string, origin: () => string): fc.Arbitrary<string> {
  switch (flag) {
    case "--push-url":
      return fc.oneof(pushUrls(origin()), anyText, fc.constant(`not a url ${KEY}`));
    case "--key":
      return fc.oneof(fc.constant(KEY), anyText);
    case "--base-url":
      return fc.constantFrom(origin(), `${origin()}/prefix`, `${origin()}/`);
    case "--timeout":
      return fc.oneof(fc.constantFrom("2000", " 5000 ", "-1", "1e3", "10.5", "abc", ""), anyText);
    case "--retries":
      return fc.oneof(fc.constantFrom("0", "1", "3", "-1", "x", "99999999999999999999"), anyText);
    case "--spool":
      return fc.constantFrom(spoolDirectory, "", " ");
    case "--file":
    case "-f":
      return fc.constantFrom("-", batchFile, directory, join(directory, "missing.ndjson"), "");
    case "--status":
    case "-s":
      return fc.oneof(fc.constantFrom("Critical", "warning", "INFO", "ok", "Fatal", ""), anyText);
    case "--event-time":
      return fc.oneof(
        fc.constantFrom("1714564800", "1714564800000", "2024-05-01T12:00:00", "2024-13-01", "-5", "now"),
        anyText,
      );
    case "--label":
    case "-l":
      return fc.oneof(fc.constantFrom("host=db1", "=v", "k=", "bad-key=v", "a=b=c", "k"), anyText);
    case "--image":
      return fc.oneof(
        fc.constantFrom("https://i/x.png", "https://i/x.png,alt,https://h", ",,", "a,b,c,d"),
        anyText,
      );
    case "--tz":
      return fc.oneof(fc.constantFrom("Asia/Shanghai", "+08:00", "Mars/Base", "UTC"), anyText);
    default:
      return anyText;
  }
}

const KNOWN_FLAGS = [
  "--push-url",
  "--key",
  "--base-url",
  "--timeout",
  "--retries",
  "--spool",
  "--json",
  "--dry-run",
  "-n",
  "--quiet",
  "-q",
  "--help",
  "-h",
  "--version",
  "--title",
  "-t",
  "--alert-key",
  "-k",
  "--description",
  "-d",
  "--label",
  "-l",
  "--image",
  "--event-time",
  "--status",
  "-s",
  "--file",
  "-f",
  "--tz",
  "--status-map",
  "--level-map",
  "--port",
  "--host",
] as const;

function argvArbitrary(origin: () => string): fc.Arbitrary<string[]> {
  const flag = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...KNOWN_FLAGS) },
    { weight: 1, arbitrary: fc.stringMatching(/^--?[a-zA-Z][a-zA-Z-]{0,12}$/) },
  );
  const token = fc.oneof(
    // `--flag value`
    { weight: 5, arbitrary: flag.chain((name) => valuesFor(name, origin).map((value) => [name, value])) },
    // `--flag=value`
    {
      weight: 2,
      arbitrary: flag.chain((name) => valuesFor(name, origin).map((value) => [`${name}=${value}`])),
    },
    // `--flag` alone: a boolean, or a missing value
    { weight: 2, arbitrary: flag.map((name) => [name]) },
    // a stray word (the key among them: a misplaced key must not be echoed back)
    { weight: 1, arbitrary: fc.oneof(anyText, fc.constant(KEY)).map((word) => [word]) },
  );
  const command = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom("push", "resolve", "ocp", "flush") },
    { weight: 1, arbitrary: fc.constantFrom("help", "mock", "--help", "-v", "--version", "Push", "") },
    { weight: 1, arbitrary: anyText },
  );
  const random = fc.tuple(command, fc.array(token, { maxLength: 8 }));
  // Mostly-valid vectors (what a command needs, then a few random tokens, in any order) reach sending, the
  // server's refusals and the spool; purely random ones almost never get past the parser.
  const core: Record<string, fc.Arbitrary<string[][]>> = {
    push: fc.tuple(valuesFor("--title", origin), valuesFor("--status", origin)).map(([title, status]) => [
      ["--title", title],
      ["--status", status],
    ]),
    resolve: valuesFor("--alert-key", origin).map((key) => [["--alert-key", key]]),
    flush: fc.constant([["--spool", spoolDirectory]]),
  };
  const mostlyValid = fc.constantFrom("push", "push", "push", "resolve", "flush").chain((name) =>
    fc
      .tuple(core[name] as fc.Arbitrary<string[][]>, fc.array(token, { maxLength: 2 }))
      .chain(([needed, extra]) =>
        fc.shuffledSubarray([...needed, ...extra], { minLength: needed.length + extra.length }),
      )
      .map((tokens) => [name, tokens] as [string, string[][]]),
  );
  return fc
    .oneof({ weight: 1, arbitrary: random }, { weight: 2, arbitrary: mostlyValid })
    .map(([name, tokens]) => {
      const argv = [name, ...tokens.flat()];
      // `flash-call mock` serves until it is stopped: only its help and usage errors are fuzzed.
      if (name === "mock") argv.push("--help");
      return argv;
    });
}

const title = fc.oneof(fc.string({ unit: "grapheme", maxLength: 40 }), fc.constant("x".repeat(600)));
const validEvent = fc.record(
  {
    title_rule: title.filter((text) => text.trim() !== ""),
    event_status: fc.constantFrom("Critical", "Warning", "Info", "Ok"),
    alert_key: fc.string({ minLength: 1, maxLength: 30 }),
    description: fc.oneof(fc.string({ unit: "grapheme", maxLength: 80 }), fc.constant("d".repeat(5000))),
    labels: fc.dictionary(fc.stringMatching(/^[a-z_][a-z0-9_]{0,10}$/), fc.string({ maxLength: 20 }), {
      maxKeys: 4,
    }),
    event_time: fc.oneof(
      fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }),
      fc.constant("2024-05-01T12:00:00Z"),
    ),
  },
  { requiredKeys: ["title_rule", "event_status"] },
);
const invalidEvent = fc.oneof(
  fc.record({ title_rule: fc.anything(), event_status: fc.anything() }),
  validEvent.map((event) => ({ ...event, event_status: "critical!" })),
  validEvent.map((event) => ({ ...event, event_time: 1_714_564_800_000 })),
  validEvent.map((event) => ({ ...event, labels: { "bad-key": 1, ok: { nested: true } } })),
  validEvent.map((event) => ({ ...event, unknown_field: [1, 2] })),
  fc.constantFrom(null, 1, "text", [], [{}], true),
);
const line = fc.oneof(
  { weight: 4, arbitrary: validEvent.map((event) => JSON.stringify(event)) },
  { weight: 3, arbitrary: invalidEvent.map((event) => JSON.stringify(event)) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 60 }) },
  { weight: 1, arbitrary: fc.constantFrom("", "   ", "\t", "{", "}", "[", "\uFEFF{}", "null") },
  { weight: 1, arbitrary: fc.constant(`{"title_rule":"${"h".repeat(200_000)}","event_status":"Info"}`) },
  { weight: 1, arbitrary: fc.constant("g".repeat(100_000)) },
);
const batchText = fc
  .oneof(
    { weight: 5, arbitrary: fc.tuple(fc.array(line, { maxLength: 8 }), fc.constantFrom("\n", "\r\n")) },
    // one whole JSON document: an array of events
    {
      weight: 1,
      arbitrary: fc
        .array(fc.oneof(validEvent, invalidEvent), { maxLength: 5 })
        .map((events) => [[JSON.stringify(events, null, 2)], "\n"] as [string[], string]),
    },
  )
  .map(([lines, separator]) => lines.join(separator));
const batchFlags = fc.subarray(["--json", "--quiet", "--dry-run", "--label", "extra=1", "--retries", "0"]);

// ---- checks --------------------------------------------------------------------------------------------------

function expectSane(outcome: CliRun, argv: readonly string[]): void {
  const context = `argv: ${JSON.stringify(argv)}\nstderr: ${outcome.stderr.slice(0, 2000)}`;
  expect([0, 1, 2, 3], context).toContain(outcome.code);
  expect(outcome.stderr, context).not.toMatch(STACK_FRAME);
  expect(outcome.stderr, context).not.toMatch(ERROR_WITH_STACK);
  // Code `Unexpected` means an error nobody anticipated slipped through (exit 1, one line): a bug.
  expect(outcome.stderr, context).not.toMatch(/(^flash-call: |: )Unexpected(: | \(HTTP)/m);
  for (const text of [outcome.stdout, outcome.stderr]) {
    expect(text, context).not.toContain(KEY);
    expect(text, context).not.toContain(encodeURIComponent(KEY));
  }
}

/** Runs `items` through `worker`, `parallel` at a time. */
async function pool<T>(items: readonly T[], parallel: number, worker: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await worker(item);
      }
    }),
  );
}

/** Arguments and environment variables cannot hold NUL. */
const withoutNul = (text: string) => text.replaceAll("\0", "");

// ---- properties ----------------------------------------------------------------------------------------------

describe("fuzzing the command line", () => {
  test(`run(argv): ${IN_PROCESS_ARGV_RUNS} random argument vectors in-process`, async () => {
    const env = { FLASHDUTY_PUSH_URL: pushUrlFor(IN_MEMORY_ORIGIN), FLASH_CALL_SPOOL: spoolDirectory };
    const codes = new Map<number, number>();
    const sent = inMemory.requests.length;
    await fc.assert(
      fc.asyncProperty(
        argvArbitrary(() => IN_MEMORY_ORIGIN),
        batchText,
        async (argv, stdin) => {
          const outcome = await runInProcess(argv, env, stdin);
          expectSane(outcome, argv);
          codes.set(outcome.code ?? -1, (codes.get(outcome.code ?? -1) ?? 0) + 1);
        },
      ),
      propertyOptions("run(argv), random argument vectors", {
        numRuns: IN_PROCESS_ARGV_RUNS,
        fuzzRuns: 15_000,
      }),
    );
    // Most random vectors are usage errors; the fuzzing must still reach delivery and the server's refusals.
    console.info(
      `exit codes: ${JSON.stringify(Object.fromEntries(codes))}; requests: ${inMemory.requests.length - sent}`,
    );
    expect(codes.get(0) ?? 0).toBeGreaterThan(IN_PROCESS_ARGV_RUNS / 50);
    expect(inMemory.requests.length - sent).toBeGreaterThan(IN_PROCESS_ARGV_RUNS / 100);
  }, 60_000);

  test(`run(["push", "--file", "-"]): ${IN_PROCESS_BATCH_RUNS} random batches in-process`, async () => {
    const env = { FLASHDUTY_PUSH_URL: pushUrlFor(IN_MEMORY_ORIGIN) };
    await fc.assert(
      fc.asyncProperty(batchText, batchFlags, async (text, flags) => {
        const argv = ["push", "--file", "-", ...flags];
        const outcome = await runInProcess(argv, env, text);
        expectSane(outcome, argv);
        // No spool is configured here, so a batch never ends in 3.
        expect(outcome.code).not.toBe(3);
      }),
      propertyOptions("run(push --file -), random batches", {
        numRuns: IN_PROCESS_BATCH_RUNS,
        fuzzRuns: 3000,
      }),
    );
  }, 60_000);

  test(`the bin: ${SPAWNED_ARGV_RUNS} argument vectors and ${SPAWNED_BATCH_RUNS} batches`, async () => {
    const argvCases = fc.sample(
      argvArbitrary(() => server.url),
      propertyOptions("the bin, random argument vectors", { numRuns: SPAWNED_ARGV_RUNS, fuzzRuns: 200 }),
    );
    const batchCases = fc.sample(
      fc.tuple(batchText, batchFlags),
      propertyOptions("the bin, random batches", { numRuns: SPAWNED_BATCH_RUNS, fuzzRuns: 120 }),
    );
    const cases = [
      ...argvCases.map((argv) => ({ argv: argv.map(withoutNul), stdin: "" })),
      ...batchCases.map(([text, flags]) => ({ argv: ["push", "--file", "-", ...flags], stdin: text })),
    ];
    const env = baseEnv({ FLASHDUTY_PUSH_URL: pushUrlFor(server.url) });
    await pool(cases, 4, async ({ argv, stdin }) => {
      const outcome = await runCliWithin(argv, env, { stdin, timeoutMs: SPAWN_LIMIT_MS }).catch(
        (error: unknown) => {
          throw new Error(`argv: ${JSON.stringify(argv)}: ${String(error)}`);
        },
      );
      expectSane(outcome, argv);
    });
  }, 60_000);
});
