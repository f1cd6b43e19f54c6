// One queue measurement in a fresh process (run with --expose-gc), printed as one JSON line:
//   node --expose-gc queue-child.mjs drain <queued>   µs per event to enqueue <queued> events and drain them (canned fetch)
//   node --expose-gc queue-child.mjs memory <queued>  heap bytes per event held by <queued> enqueued events that wait on
//                                                     a server that accepts and never answers, and the event's own size
import { createServer } from "node:http";
import { importBuilt } from "./workspace.mjs";

const [mode, queuedArgument] = process.argv.slice(2);
const queued = Number(queuedArgument);
const sdk = await importBuilt("packages/flash-call/dist/index.js");
if (sdk === undefined) throw new Error("packages/flash-call is not built");
const MIN_EVENTS = 50_000;
const KEY = "queuebench0123456789abcdef";

/** The event pushed: one of 512 alerts (so per-alert ordering is exercised), labels as a service would send. */
const makeEvent = (index) => ({
  title_rule: "bench: disk usage high",
  event_status: "Warning",
  alert_key: `queue-${index & 511}`,
  labels: { host: "db-1", service: "postgres" },
});

const collect = () => {
  for (let round = 0; round < 4; round += 1) globalThis.gc();
  return process.memoryUsage().heapUsed;
};

/** A canned success, as Flashduty answers: no network, so only the SDK and the queue are timed. */
const cannedFetch = async () =>
  new Response('{"request_id":"r","data":{"alert_key":"queue-0"}}', {
    status: 200,
    headers: { "content-type": "application/json" },
  });

async function drain() {
  const flashCall = sdk.createFlashCall({
    integrationKey: KEY,
    fetch: cannedFetch,
    rateLimit: false,
    maxRetries: 0,
    logLevel: "silent",
    maxQueue: queued + 10_000,
  });
  // Warm-up: the same path, so the JIT has compiled it before the timed run.
  for (let index = 0; index < 5000; index += 1) flashCall.enqueue(makeEvent(index));
  await flashCall.flush();
  collect();
  // A small queue is filled and drained again until as many events as the largest one have gone through, so every
  // size is timed over a similar stretch (and the same noise) of the machine.
  const repeats = Math.max(1, Math.round(MIN_EVENTS / queued));
  const started = performance.now();
  for (let repeat = 0; repeat < repeats; repeat += 1) {
    for (let index = 0; index < queued; index += 1) flashCall.enqueue(makeEvent(index));
    const { delivered } = await flashCall.flush();
    if (delivered !== queued) throw new Error(`delivered ${delivered} of ${queued}`);
  }
  const elapsed = performance.now() - started;
  return { queued, microsPerEvent: (elapsed * 1000) / (queued * repeats) };
}

async function memory() {
  const sockets = new Set();
  const server = createServer(() => {});
  server.on("connection", (socket) => sockets.add(socket));
  await new Promise((listening) => server.listen(0, "127.0.0.1", listening));
  const flashCall = sdk.createFlashCall({
    integrationKey: KEY,
    baseUrl: `http://127.0.0.1:${server.address().port}`,
    rateLimit: false,
    maxRetries: 0,
    logLevel: "silent",
    timeoutMs: 3_600_000,
    maxQueue: queued + 100,
  });
  // The events themselves, held the same way (an array slot each), measured first.
  let before = collect();
  let held = new Array(queued);
  for (let index = 0; index < queued; index += 1) held[index] = makeEvent(index);
  const eventBytes = (collect() - before) / queued;
  // Read after the measurement, so the array is live until then (V8 may free a variable that is never read again).
  if (held.length !== queued) throw new Error("lost the events");
  held = undefined;
  // Let the first pushes reach the server, so the in-flight ones (concurrency 16) are in the baseline.
  for (let index = 0; index < 64; index += 1) flashCall.enqueue(makeEvent(index));
  await new Promise((done) => setTimeout(done, 200));
  before = collect();
  for (let index = 0; index < queued; index += 1) flashCall.enqueue(makeEvent(index));
  const perEvent = (collect() - before) / queued;
  return { queued, bytesPerEvent: perEvent, eventBytes, beyondEvent: perEvent - eventBytes };
}

const result = mode === "drain" ? await drain() : await memory();
process.stdout.write(`${JSON.stringify(result)}\n`);
// The memory run leaves events waiting on purpose: the SDK says so on stderr, which the parent ignores.
process.exit(0);
