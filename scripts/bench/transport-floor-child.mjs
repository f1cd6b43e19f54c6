// Runs under one runtime of transport-floor.mjs: one way of pushing, `pushes` times after a warm-up, and prints the
// CPU of this process per push as one JSON line. One way per process, so that no way's compiled code or garbage
// is paid by another. Usage: <runtime> transport-floor-child.mjs <settings JSON>
//   settings: { pushUrl, way, pushes, warmup, concurrency }
import { BENCH_EVENT, failIfRejected } from "./overhead.mjs";

const { pushUrl, way, pushes, warmup, concurrency = 1 } = JSON.parse(process.argv[2] ?? process.argv[1]);

const post = (signal) =>
  fetch(pushUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(BENCH_EVENT),
    ...(signal === undefined ? {} : { signal }),
  });
const sdk =
  way === "flash-call SDK"
    ? await import(new URL("../../packages/flash-call/dist/index.js", import.meta.url).href)
    : undefined;
const instance = sdk?.createFlashCall({ pushUrl, rateLimit: false, maxRetries: 0, logLevel: "silent" });

/** Each way, from bare fetch up to the SDK, adding one thing at a time. */
const WAYS = {
  "bare fetch": async () => {
    const response = await post(undefined);
    failIfRejected(response.status, await response.json());
  },
  // What following a signal costs by itself: no timer, nothing aborts it.
  "fetch with a signal": async () => {
    const response = await post(new AbortController().signal);
    failIfRejected(response.status, await response.json());
  },
  // A timer set and cleared per push, with no signal given to fetch.
  "fetch with a timer": async () => {
    const timer = setTimeout(() => {}, 10_000);
    try {
      const response = await post(undefined);
      failIfRejected(response.status, await response.json());
    } finally {
      clearTimeout(timer);
    }
  },
  // A timeout that cancels the request: the least a push that cannot hang needs.
  "fetch with a timeout": async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 10_000);
    try {
      const response = await post(controller.signal);
      failIfRejected(response.status, await response.json());
    } finally {
      clearTimeout(timer);
    }
  },
  "flash-call SDK": () => instance.push(BENCH_EVENT),
};

const push = WAYS[way];
if (push === undefined) throw new Error(`unknown way ${way}`);
/** `count` pushes, `concurrency` at a time. */
async function pushMany(count) {
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started += 1;
      await push();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

await pushMany(warmup);
const before = process.cpuUsage();
await pushMany(pushes);
const spent = process.cpuUsage(before);
await instance?.close();
process.stdout.write(`${JSON.stringify({ way, cpuPerPush: (spent.user + spent.system) / pushes })}\n`);
