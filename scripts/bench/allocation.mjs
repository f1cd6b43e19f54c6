// Table (g) of `pnpm bench`: JS heap bytes the SDK allocates per prepared event and per push (with a canned fetch:
// no network), on the Node running the bench. Garbage is CPU on every runtime: a loop of real pushes pays for what
// each one leaves behind. Reported, no budget.
// Measured in a child Node whose young generation is large enough that no collection runs while it counts: the
// heap's growth over many calls, divided by their number, is what each call allocated.
import { pathToFileURL } from "node:url";
import v8 from "node:v8";
import { childResult } from "./child-result.mjs";
import { BENCH_EVENT } from "./overhead.mjs";
import { formatTable } from "./stats.mjs";
import { repoPath } from "./workspace.mjs";

/** The child's flags: `gc()` to start each count from a collected heap, and 1 GB semi-spaces so none runs during it. */
export const ALLOCATION_FLAGS = ["--expose-gc", "--max-semi-space-size=1024", "--min-semi-space-size=1024"];

const CHANGE = Object.freeze({
  title: "Deploy billing v2.4.1",
  change_status: "Done",
  change_key: "deploy-1234",
  labels: Object.freeze({ service: "billing", env: "prod" }),
});

/**
 * Heap bytes per call of `operation`, over `calls` calls after a warm-up, median of three rounds (a round may
 * include the optimising compiler's own allocations). Only an asynchronous operation is awaited: an await would
 * add a promise of the loop's own to what a synchronous one is counted for.
 */
async function bytesPerCall(operation, calls, asynchronous) {
  const run = asynchronous
    ? async (count) => {
        for (let index = 0; index < count; index++) await operation();
      }
    : (count) => {
        for (let index = 0; index < count; index++) operation();
      };
  await run(calls / 2);
  const rounds = [];
  for (let round = 0; round < 3; round++) {
    globalThis.gc();
    globalThis.gc();
    const before = v8.getHeapStatistics().used_heap_size;
    await run(calls);
    rounds.push((v8.getHeapStatistics().used_heap_size - before) / calls);
  }
  return Math.round(rounds.sort((left, right) => left - right)[1]);
}

/** Runs in the child: measures each row and prints them as one JSON line. */
async function measureInChild(calls) {
  const sdk = await import(pathToFileURL(repoPath("packages/flash-call/dist/index.js")).href);
  const answer = JSON.stringify({
    request_id: "0123456789abcdef0123456789abcdef",
    data: { alert_key: BENCH_EVENT.alert_key },
  });
  const response = {
    status: 200,
    ok: true,
    type: "basic",
    redirected: false,
    headers: { get: (name) => (name === "content-length" ? String(answer.length) : null) },
    body: null,
    text: async () => answer,
  };
  const cannedFetch = async () => response;
  // A key the canned answer does not hold: an answer echoing the key takes the redacting path, not the usual one.
  const client = sdk.createFlashCall({
    pushUrl: "http://127.0.0.1:9/event/push/alert/standard?integration_key=9f8e7d6c5b4a39281706f5e4d3c2b1a0",
    rateLimit: false,
    maxRetries: 0,
    logLevel: "silent",
    fetch: cannedFetch,
  });
  // A push that failed would measure the error path: each one must come back with the canned answer.
  const push = async () => {
    const result = await client.push(BENCH_EVENT);
    if (result.request_id === undefined) throw new Error("the push did not return the canned answer");
  };
  const rows = [
    ["prepareEvent: the bench alert, 4 labels", () => sdk.prepareEvent(BENCH_EVENT), false],
    ["prepareChange: a change, 2 labels", () => sdk.prepareChange(CHANGE), false],
    ["push: the bench alert, canned fetch", push, true],
    ["for scale: JSON.stringify of the alert", () => JSON.stringify(BENCH_EVENT), false],
    ["for scale: awaiting the canned fetch alone", cannedFetch, true],
  ];
  const measured = [];
  for (const [operation, run, asynchronous] of rows) {
    measured.push({ operation, bytes: await bytesPerCall(run, calls, asynchronous) });
  }
  console.log(JSON.stringify(measured));
}

/** Spawns this file on the Node running the bench, with the allocation flags; resolves to its rows. */
function measureInNode(calls) {
  return childResult(
    process.execPath,
    [...ALLOCATION_FLAGS, repoPath("scripts/bench/allocation.mjs"), String(calls)],
    { env: { ...process.env, FLASHDUTY_INTEGRATION_KEY: "" } },
  );
}

/**
 * Prints table (g): heap bytes allocated per prepareEvent, prepareChange and push (canned fetch), with
 * JSON.stringify of the same event and the canned fetch alone for scale. Reported, no budget.
 *
 * @param {{ quick: boolean; section: (title: string) => void }} settings quick: 5,000 calls per round, else 20,000
 * @example results.allocation = await printAllocation({ quick, section });
 */
export async function printAllocation({ quick, section }) {
  section(`(g) Allocation: JS heap bytes per call on Node ${process.version}, no GC while counting`);
  const calls = quick ? 5_000 : 20_000;
  try {
    const rows = await measureInNode(calls);
    console.log(`${calls} calls per round, median of 3 rounds; node ${ALLOCATION_FLAGS.join(" ")}\n`);
    console.log(
      formatTable(
        ["operation", "bytes / call"],
        rows.map((row) => [row.operation, row.bytes]),
      ),
    );
    return { node: process.version, flags: ALLOCATION_FLAGS, calls, rows };
  } catch (error) {
    console.log(`not measured (${error.message}): build first (pnpm build)`);
    return { node: process.version, error: error.message };
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await measureInChild(Number(process.argv[2] ?? 20_000));
}
