// (b) Alert storm: 1,000 distinct alerts at once against a mock that enforces Flashduty's limits.
import { round } from "./stats.mjs";
import { importBuilt } from "./workspace.mjs";

const JSON_HEADERS = { "content-type": "application/json" };
const GIVE_UP_MS = 120_000;

const stormEvent = (index) => ({
  title_rule: `storm: node ${index} unreachable`,
  event_status: "Critical",
  alert_key: `storm-${index}`,
  labels: { host: `node-${index}`, check: "ping" },
});

/** Settles every promise, with a deadline so a stuck client yields a row instead of a hung benchmark. */
async function settleAll(promises) {
  let timer;
  const deadline = new Promise((resolve) => {
    timer = setTimeout(() => resolve("timeout"), GIVE_UP_MS);
  });
  const outcome = await Promise.race([Promise.allSettled(promises), deadline]);
  clearTimeout(timer);
  return outcome;
}

/**
 * Sends `count` events at once, first as a naive `Promise.all` of bare fetches (no pacing, no retry), then through
 * the SDK's `enqueue` (default pacing 100/s and 1000/min, default retries); the mock is reset in between.
 *
 * @param {{ mock: Awaited<ReturnType<typeof import("./mock-child.mjs").startMockProcess>>; count?: number;
 *   perSecond?: number }} settings defaults 1000 events, 100/s (the floor is count / perSecond seconds)
 * @example const rows = await measureStorm({ mock });
 */
export async function measureStorm({ mock, count = 1000, perSecond = 100 }) {
  const events = Array.from({ length: count }, (_, index) => stormEvent(index));
  const floorMs = (count / perSecond) * 1000;
  // Strictly, the last full window of a 1 s sliding limit opens after (count / perSecond - 1) s.
  const strictFloorMs = (Math.ceil(count / perSecond) - 1) * 1000;
  const rows = [];

  await mock.reset();
  let started = performance.now();
  const naive = await settleAll(
    events.map(async (event) => {
      const response = await fetch(mock.pushUrl, {
        method: "POST",
        headers: JSON_HEADERS,
        body: JSON.stringify(event),
      });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(String(response.status));
    }),
  );
  rows.push(
    await storm("naive Promise.all(fetch)", naive, performance.now() - started, mock, floorMs, strictFloorMs),
  );

  const sdk = await importBuilt("packages/flash-call/dist/index.js");
  if (sdk === undefined) {
    rows.push({ client: "flash-call SDK enqueue", note: "not built (packages/flash-call/dist missing)" });
    return { rows, floorMs, strictFloorMs, count };
  }
  await mock.reset();
  const flashCall = sdk.createFlashCall({ pushUrl: mock.pushUrl, logLevel: "silent" });
  started = performance.now();
  const queued = await settleAll(events.map((event) => flashCall.enqueue(event)));
  const wall = performance.now() - started;
  rows.push(await storm("flash-call SDK enqueue", queued, wall, mock, floorMs, strictFloorMs));
  await flashCall.close();
  return { rows, floorMs, strictFloorMs, count };
}

async function storm(client, outcome, wallMs, mock, floorMs, strictFloorMs) {
  const seen = await mock.summary();
  const rejected =
    outcome === "timeout" ? undefined : outcome.filter((result) => result.status === "rejected");
  return {
    client,
    delivered: seen.distinctAlertKeys,
    duplicates: seen.events - seen.distinctAlertKeys,
    tooManyRequests: seen.tooManyRequests,
    otherFailures: seen.otherFailures,
    rejectedPromises: rejected === undefined ? "timeout" : rejected.length,
    wallMs: round(wallMs, 0),
    floorRatio: round(wallMs / floorMs, 3),
    strictFloorRatio: round(wallMs / strictFloorMs, 3),
  };
}
