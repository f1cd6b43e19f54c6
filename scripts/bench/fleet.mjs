// (e) Fleet: 8 processes × 250 events on one key at once, against a mock enforcing 100/s and 1000/min, each
// process pacing itself alone, then all sharing the Redis pacer (@flash-call/redis) through a real redis-server.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { round } from "./stats.mjs";

const childPath = fileURLToPath(new URL("./fleet-child.mjs", import.meta.url));

/**
 * The least wall time for `count` requests under both windows, sent in one-second batches of `perSecond`: a
 * minute's worth goes in its first seconds, and the next batch only once the first has aged out of the minute.
 * 2,000 at 100/s and 1,000/min: batches at 0 … 9 s, then 60 … 69 s, so the last is sent at 69 s.
 *
 * @example strictFloorMs(2000, 100, 1000) // 69000
 */
export function strictFloorMs(count, perSecond, perMinute) {
  const batches = Math.ceil(count / perSecond);
  const batchesPerMinute = Math.floor(perMinute / perSecond);
  const last = batches - 1;
  return (Math.floor(last / batchesPerMinute) * 60 + (last % batchesPerMinute)) * 1000;
}

/** A redis-server on a free port of 127.0.0.1, nothing written to disk; `stop()` ends it. */
export async function startRedis() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let output = "";
  await new Promise((resolve, reject) => {
    child.on("error", reject);
    child.stdout.on("data", (chunk) => {
      output += chunk;
      if (output.includes("Ready to accept connections")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * The spread of the store calls' round trips (ms, as each process saw them), or `undefined` without a store.
 *
 * @example storeTimes([2, 3, 40]) // { calls: 3, p50Ms: 3, p99Ms: 40, maxMs: 40 }
 */
export function storeTimes(times) {
  if (times.length === 0) return undefined;
  const sorted = times.toSorted((left, right) => left - right);
  const at = (share) => sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))];
  return { calls: sorted.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: sorted.at(-1) };
}

/** Starts `processes` fleet children, lets them go at once, and resolves with their outcomes and the wall time. */
async function runFleet({ mock, processes, perProcess, redisUrl, timeoutMs }) {
  const children = Array.from({ length: processes }, (_, index) => {
    const child = spawn(
      process.execPath,
      [
        childPath,
        JSON.stringify({
          pushUrl: mock.pushUrl,
          redisUrl,
          count: perProcess,
          process: index,
          processes,
          timeoutMs,
        }),
      ],
      { stdio: ["pipe", "pipe", "inherit"] },
    );
    const lines = createInterface({ input: child.stdout });
    const next = () =>
      Promise.race([
        once(lines, "line").then(([line]) => line),
        once(child, "exit").then(([code]) => {
          throw new Error(`fleet process ${index} exited with ${code}`);
        }),
      ]);
    return { child, next };
  });
  const ready = children.map(({ next }) => next());
  await Promise.all(ready);
  const done = children.map(({ next }) => next().then((line) => JSON.parse(line)));
  const started = performance.now();
  for (const { child } of children) child.stdin.write("go\n");
  const outcomes = await Promise.all(done);
  const wallMs = performance.now() - started;
  await Promise.all(children.map(({ child }) => (child.exitCode === null ? once(child, "exit") : undefined)));
  return { outcomes, wallMs };
}

/**
 * The fleet table: the same load without and with the Redis pacer, the mock reset in between.
 *
 * @param {{ mock: Awaited<ReturnType<typeof import("./mock-child.mjs").startMockProcess>>; processes?: number;
 *   perProcess?: number; timeoutMs?: number }} settings defaults 8 processes × 250 events, the pacer's own
 *   default store timeout
 * @example const fleet = await measureFleet({ mock });
 */
export async function measureFleet({ mock, processes = 8, perProcess = 250, timeoutMs }) {
  const count = processes * perProcess;
  const floorMs = strictFloorMs(count, 100, 1000);
  const rows = [];
  const redis = await startRedis();
  try {
    for (const [client, redisUrl] of [
      ["in-process pacing only", undefined],
      ["Redis pacer (@flash-call/redis)", redis.url],
    ]) {
      await mock.reset();
      const { outcomes, wallMs } = await runFleet({ mock, processes, perProcess, redisUrl, timeoutMs });
      const seen = await mock.summary();
      const failures = {};
      for (const outcome of outcomes) {
        for (const [code, times] of Object.entries(outcome.codes))
          failures[code] = (failures[code] ?? 0) + times;
      }
      rows.push({
        client,
        delivered: seen.distinctAlertKeys,
        tooManyRequests: seen.tooManyRequests,
        otherFailures: seen.otherFailures,
        failed: Object.entries(failures)
          .map(([code, times]) => `${times} ${code}`)
          .join(", "),
        fallbacks: outcomes.reduce((sum, outcome) => sum + outcome.fallbacks, 0),
        store: storeTimes(outcomes.flatMap((outcome) => outcome.storeMs)),
        wallMs: round(wallMs, 0),
        floorRatio: round(wallMs / floorMs, 3),
      });
    }
  } finally {
    await redis.stop();
  }
  return { rows, count, processes, perProcess, floorMs, timeoutMs: timeoutMs ?? "default" };
}
