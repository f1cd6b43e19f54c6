import { once } from "node:events";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type MockServer, startMockServer } from "@flash-call/testing/server";
import { afterAll, beforeAll, expect, test } from "vitest";
import { runSeed } from "../../../test-support/fast-check.js";
import { baseEnv, neverPrint, runCliWithin, type TimedCliRun } from "./run-cli.js";

// Crash test for the spool: SIGKILL `flash-call push --spool` and `flash-call flush` at random moments, then
// check that nothing spooled is lost, corrupt or delivered twice, that every push the server saw is delivered
// or spooled (write-ahead), and that the key never reaches the disk.

const KEY = "spool-durability-key-4b1e8d0c92";
/** Pushes made with this key fail (InternalError, retryable), so they spool; flushes use {@link KEY}. */
const FAILING_KEY = "spool-durability-fail-7e0d2c4b18";
const ITERATIONS = 20;
/** The run's shared seed (test-support/fast-check.ts), so a failure replays with FAST_CHECK_SEED=<seed>. */
const SEED = runSeed;
const HARD_LIMIT_MS = 20_000;

const SPOOL_NAME = /^\d{15}-\d+-\d{6}-[0-9a-f]{8}-(?:k[0-9a-f]{16}|n)\.json$/;
const CLAIM_NAME = /^\.claimed-(\d+)-(\d{15}-\d+-\d{6}-[0-9a-f]{8}-(?:k[0-9a-f]{16}|n)\.json)$/;
const TEMP_NAME = /^\.tmp-\d+-\d{15}-\d+-\d{6}-[0-9a-f]{8}-(?:k[0-9a-f]{16}|n)\.json$/;

/** mulberry32: a tiny seeded generator of uniform numbers in [0, 1). */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

let sink: MockServer;
let failing: MockServer;
let front: Server;
/** The one base URL every push and flush uses: a flush sends only to the destination an event was spooled for. */
let frontUrl: string;
/** Requests `front` is still forwarding: awaited before the spool is checked, instead of sleeping. */
const forwarding = new Set<Promise<void>>();
/** alert_key of every push request `front` received for {@link FAILING_KEY} (each must end delivered or spooled). */
const seenPushes = new Set<string>();
let spool: string;

/**
 * One destination in front of two mocks: requests with {@link FAILING_KEY} go to `failing` (InternalError to
 * everything), the others to `sink`. So a push can fail and be spooled for the very base URL a flush sends to.
 */
async function startFront(): Promise<void> {
  front = createServer((incoming, outgoing) => {
    const work = (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const url = new URL(incoming.url ?? "/", "http://127.0.0.1");
      const failingPush = url.searchParams.get("integration_key") === FAILING_KEY;
      if (failingPush) {
        try {
          seenPushes.add(String(JSON.parse(body.toString("utf8")).alert_key));
        } catch {}
      }
      const target = failingPush ? failing : sink;
      try {
        const answer = await fetch(`${target.url}${url.pathname}${url.search}`, {
          method: incoming.method ?? "POST",
          headers: { "content-type": String(incoming.headers["content-type"] ?? "application/json") },
          body,
        });
        const text = await answer.text();
        outgoing.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "" });
        outgoing.end(text);
      } catch {
        outgoing.destroy();
      }
    })();
    forwarding.add(work);
    void work.finally(() => forwarding.delete(work));
  });
  front.listen(0, "127.0.0.1");
  await once(front, "listening");
  frontUrl = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
}

/** Waits until every request `front` received has been answered by its mock (and so recorded). */
async function forwarded(): Promise<void> {
  while (forwarding.size > 0) await Promise.all([...forwarding]);
}

beforeAll(async () => {
  neverPrint(KEY);
  neverPrint(FAILING_KEY);
  sink = await startMockServer({ integrationKeys: [KEY], rateLimit: false });
  failing = await startMockServer({
    integrationKeys: [KEY, FAILING_KEY],
    rateLimit: false,
    chaos: { rate: 1, faults: ["InternalError"] },
  });
  await startFront();
  spool = join(await mkdtemp(join(tmpdir(), "flash-call-durability-")), "spool");
});
afterAll(async () => {
  front.closeAllConnections();
  front.close();
  await sink.close();
  await failing.close();
});

interface SpoolScan {
  /** alert_key of every complete entry, by spool name (claimed files under their original name). */
  entries: Map<string, string>;
  /** Claimed files: spool name → claiming pid. */
  claims: Map<string, number>;
  temps: string[];
}

/**
 * Reads every file in the spool: each must be a complete entry (spool or claim file: JSON holding an event
 * with an alert_key) or a writer's temp file (which `flush` deletes once its writer is dead), and none may
 * hold the key, raw or URL-encoded.
 */
async function scanSpool(): Promise<SpoolScan> {
  const scan: SpoolScan = { entries: new Map(), claims: new Map(), temps: [] };
  const names = await readdir(spool).catch(() => [] as string[]);
  for (const name of names) {
    let text: string;
    try {
      text = await readFile(join(spool, name), "utf8");
    } catch {
      continue; // A file renamed or deleted between readdir and read: a process is still at work.
    }
    expect(text, name).not.toContain(KEY);
    expect(text, name).not.toContain(encodeURIComponent(KEY));
    if (TEMP_NAME.test(name)) {
      scan.temps.push(name);
      continue;
    }
    const claim = CLAIM_NAME.exec(name);
    const original = claim?.[2] ?? name;
    expect(SPOOL_NAME.test(original), `unexpected file in the spool: ${name}`).toBe(true);
    const entry = JSON.parse(text) as { format?: unknown; event?: { alert_key?: unknown } };
    expect(entry.format, name).toBe("flash-call-spool/1");
    expect(typeof entry.event?.alert_key, name).toBe("string");
    scan.entries.set(original, String(entry.event?.alert_key));
    if (claim) scan.claims.set(original, Number(claim[1]));
  }
  return scan;
}

function deliveries(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const event of sink.events) counts.set(event.alert_key, (counts.get(event.alert_key) ?? 0) + 1);
  return counts;
}

test(`SIGKILL while spooling and flushing loses nothing and sends nothing twice (seed ${SEED})`, async () => {
  const random = seeded(SEED);
  const between = (low: number, high: number) => Math.floor(low + random() * (high - low));
  /** Every event ever seen complete in the spool: spool name → alert_key. */
  const known = new Map<string, string>();
  /** Keys a killed flush had delivered but not yet deleted: a redelivery of these is expected (see below). */
  /** How many times each key was left claimed by a run killed after Flashduty accepted it: each may add one send. */
  const ackWindow = new Map<string, number>();
  const openWindow = (key: string) => ackWindow.set(key, (ackWindow.get(key) ?? 0) + 1);
  // A key can be sent again only after a run that sent it was killed before deleting its file, so each killed run
  // of a phase opens one window for every key that phase delivered: a sound bound, whatever the kill's timing.
  const openWindowsFor = (before: Map<string, number>, killed: number) => {
    for (const [key, times] of deliveries()) {
      if (times > (before.get(key) ?? 0)) for (let run = 0; run < killed; run++) openWindow(key);
    }
  };
  const generated = new Set<string>();
  let killedRuns = 0;

  const check = async (label: string) => {
    const scan = await scanSpool();
    for (const [name, key] of scan.entries) known.set(name, key);
    const delivered = deliveries();
    for (const [name, key] of known) {
      expect(
        scan.entries.has(name) || delivered.has(key),
        `${label}: ${name} (${key}) is neither in the spool nor delivered`,
      ).toBe(true);
    }
    return scan;
  };

  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    // Spool: a push (one event, or a batch of up to 5) that cannot be delivered, killed at a random moment
    // or left to finish.
    const count = between(1, 6);
    const keys = Array.from({ length: count }, (_, index) => `durable-${iteration}-${index}`);
    for (const key of keys) generated.add(key);
    // Most pushes fail and spool; some are delivered directly (their write-ahead copy then deleted).
    const delivering = random() < 0.3;
    const destination = {
      FLASHDUTY_INTEGRATION_KEY: delivering ? KEY : FAILING_KEY,
      FLASHDUTY_BASE_URL: frontUrl,
    };
    const killSpool = random() < 0.7 ? between(20, 250) : undefined;
    const beforePush = deliveries();
    const common = ["--retries", "0", "--timeout", "30000", "--spool", spool];
    const push: TimedCliRun =
      count === 1
        ? await runCliWithin(
            ["push", "-t", "durable", "-s", "Critical", "-k", keys[0] ?? "", ...common],
            baseEnv(destination),
            {
              killAfterMs: killSpool,
              timeoutMs: HARD_LIMIT_MS,
            },
          )
        : await runCliWithin(["push", "--file", "-", ...common], baseEnv(destination), {
            stdin: keys
              .map((key) =>
                JSON.stringify({ title_rule: "durable", event_status: "Warning", alert_key: key }),
              )
              .join("\n"),
            killAfterMs: killSpool,
            timeoutMs: HARD_LIMIT_MS,
          });
    await forwarded();
    if (push.signal !== "SIGKILL") expect(push.code, push.stderr).toBe(delivering ? 0 : 3);
    const acknowledged = [...push.stderr.matchAll(/spooled as (\S+\.json)/g)].map((match) => match[1]);
    const afterPush = await check(`iteration ${iteration}, after push`);
    for (const name of acknowledged) {
      expect(afterPush.entries.has(name ?? ""), `acknowledged ${name} is in the spool`).toBe(true);
    }
    // Write-ahead: an event whose push reached the server is on disk (or delivered), killed or not.
    const spooledKeys = new Set(afterPush.entries.values());
    for (const key of keys.filter((candidate) => seenPushes.has(candidate))) {
      expect(
        spooledKeys.has(key) || deliveries().has(key),
        `${key} was pushed, so spooled or delivered`,
      ).toBe(true);
    }
    if (push.signal === "SIGKILL") {
      killedRuns += 1;
      // Killed after Flashduty accepted the push but before its write-ahead copy was deleted: the next flush
      // sends that copy again.
      openWindowsFor(beforePush, 1);
    }

    const beforeFlush = deliveries();
    // Flush: the sink answers slowly (each request delayed), one or two flushes at once, killed at random.
    const pending = afterPush.entries.size;
    sink.failNext(Array.from({ length: pending }, () => ({ kind: "delay" as const, ms: between(50, 250) })));
    const flushes = random() < 0.3 ? 2 : 1;
    const runs = await Promise.all(
      Array.from({ length: flushes }, () =>
        runCliWithin(
          ["flush", "--spool", spool, "--retries", "0", "--timeout", "30000"],
          baseEnv({ FLASHDUTY_INTEGRATION_KEY: KEY, FLASHDUTY_BASE_URL: frontUrl }),
          { killAfterMs: random() < 0.8 ? between(30, 600) : undefined, timeoutMs: HARD_LIMIT_MS },
        ),
      ),
    );
    // The mock records an event when it answers: wait for every forwarded request to be answered.
    await forwarded();
    await check(`iteration ${iteration}, after flush`);
    let killedFlushes = 0;
    for (const run of runs) {
      if (run.signal === "SIGKILL") {
        killedRuns += 1;
        killedFlushes += 1;
      } else {
        expect([0, 3], run.stderr).toContain(run.code);
      }
    }
    // Killed between Flashduty's answer and deleting the file: the claim survives and a later flush sends it
    // again. No at-least-once spool can close that window; Flashduty (and the mock) fold the repeat into the
    // same alert by its alert_key.
    openWindowsFor(beforeFlush, killedFlushes);
  }

  // A clean flush recovers dead claims, deletes dead temp files and delivers the rest.
  const final = await runCliWithin(
    ["flush", "--spool", spool, "--timeout", "30000"],
    baseEnv({ FLASHDUTY_INTEGRATION_KEY: KEY, FLASHDUTY_BASE_URL: frontUrl }),
    { timeoutMs: HARD_LIMIT_MS },
  );
  expect(final.code, final.stderr).toBe(0);
  expect(await readdir(spool)).toEqual([]);

  const delivered = deliveries();
  for (const [name, key] of known) expect(delivered.has(key), `${name} (${key}) was delivered`).toBe(true);
  for (const [key, times] of delivered) {
    expect(generated.has(key), `${key} was generated by this test`).toBe(true);
    const windows = ackWindow.get(key) ?? 0;
    expect(times, `${key} delivered once, plus once per kill between answer and delete`).toBeLessThanOrEqual(
      1 + windows,
    );
  }
  expect(sink.alerts.size).toBe(delivered.size);
  // The run is only a crash test if the kills landed: most runs must have been killed, and plenty spooled.
  expect(killedRuns).toBeGreaterThanOrEqual(ITERATIONS / 4);
  expect(known.size).toBeGreaterThanOrEqual(ITERATIONS / 2);
  console.info(
    `spool durability (seed ${SEED}): ${killedRuns} runs killed, ${known.size} events spooled, ` +
      `${delivered.size} delivered, ${ackWindow.size} delivered by a run that was then killed (each may be sent again)`,
  );
}, 120_000);
