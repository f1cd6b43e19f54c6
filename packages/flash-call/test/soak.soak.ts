// The soak run (`pnpm test:soak`, run by CI): 20,000 events through `enqueue` against the real mock server with
// 10% random faults and a strict rate limit. Every event must be delivered exactly once, memory must stay
// bounded, and close() must resolve.
import { startMockServer } from "@flash-call/testing";
import { expect, test } from "vitest";
import { createFlashCall } from "../src/flash-call.js";

const EVENTS = 20_000;
const IN_FLIGHT = 1_000;
const RATE = { perSecond: 2_000, perMinute: 200_000 };

test(`soak: ${EVENTS} events, 10% faults, strict rate limit: each delivered exactly once`, async () => {
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const mock = await startMockServer({
    rateLimit: RATE,
    chaos: {
      rate: 0.1,
      random,
      faults: [
        "InternalError",
        { kind: "error", code: "RequestTooFrequently", retryAfter: 0 },
        { kind: "reset" },
        { kind: "html", status: 502 },
        { kind: "status", status: 503 },
        { kind: "truncated" },
        { kind: "error-in-200", code: "InternalError" },
        { kind: "delay", ms: 20 },
      ],
    },
  });
  let retries = 0;
  const flashduty = createFlashCall({
    pushUrl: mock.pushUrl,
    rateLimit: RATE,
    concurrency: 32,
    maxQueue: IN_FLIGHT,
    maxRetries: 10,
    backoff: { baseMs: 5, maxMs: 50 },
    logLevel: "silent",
    onRetry: () => void retries++,
  });
  // Keep only the counters in the mock, so the RSS measured is the SDK's, not the mock's record of 20,000 events.
  const seen = new Map<string, number>();
  mock.onEvent((event) => seen.set(event.alert_key, (seen.get(event.alert_key) ?? 0) + 1));

  const started = Date.now();
  let peakRss = process.memoryUsage().rss;
  let failed = 0;
  let inFlight = 0;
  let wake: (() => void) | undefined;
  for (let index = 0; index < EVENTS; index++) {
    while (inFlight >= IN_FLIGHT) await new Promise<void>((resume) => (wake = resume));
    inFlight++;
    flashduty
      .enqueue({ title_rule: `soak ${index}`, event_status: "Warning", alert_key: `soak-${index}` })
      .catch(() => void failed++)
      .finally(() => {
        inFlight--;
        wake?.();
        wake = undefined;
      });
    if (index % 1000 === 0) {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      mock.reset(); // drops the mock's own records; `seen` keeps the counts
    }
  }
  const closed = await flashduty.close();
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  await mock.close();

  const duplicates = [...seen.values()].filter((count) => count > 1).length;
  console.log(
    `soak: ${seen.size} delivered, ${failed} failed, ${duplicates} duplicated, ${retries} retries, ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s, peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
  );
  expect(failed).toBe(0);
  expect(closed.failed).toBe(0);
  expect(seen.size).toBe(EVENTS);
  expect(duplicates).toBe(0);
  expect(retries).toBeGreaterThan(EVENTS * 0.05);
  expect(peakRss).toBeLessThan(512 * 2 ** 20);
}, 300_000);
