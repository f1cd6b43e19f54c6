// One process of the fleet benchmark: an SDK instance (with the Redis pacer when given a Redis URL) that enqueues
// its share of the events on the signal "go" (a line on stdin), then prints one JSON line with its outcome.
// Usage (started by fleet.mjs): node fleet-child.mjs '{"pushUrl","redisUrl"?,"count","process","processes","timeoutMs"?}'
import { createInterface } from "node:readline";
import { importBuilt, importFrom } from "./workspace.mjs";

const { pushUrl, redisUrl, count, process: index, processes, timeoutMs } = JSON.parse(process.argv[2]);
const sdk = await importBuilt("packages/flash-call/dist/index.js");
let pacer;
let redis;
let fallbacks = 0;
const storeMs = [];
if (redisUrl !== undefined) {
  const { createRedisPacer } = await importBuilt("packages/redis/dist/index.js");
  // The redis client is a devDependency of @flash-call/redis: resolved from there.
  const { createClient } = await importFrom("packages/redis", "redis");
  redis = createClient({ url: redisUrl });
  redis.on("error", () => {});
  await redis.connect();
  // Its two lines (store down, store back) go to stderr: stdout carries the outcome.
  const logger = {
    warn: (line) => {
      fallbacks++;
      console.error(line);
    },
    info: (line) => console.error(line),
  };
  // Each store call's round trip as this process sees it (its own event loop's delays included, as the pacer's
  // timer sees them): what the store timeout is measured against.
  const timedClient = {
    async sendCommand(command) {
      const started = performance.now();
      try {
        return await redis.sendCommand(command);
      } finally {
        storeMs.push(Math.round((performance.now() - started) * 10) / 10);
      }
    },
  };
  // Should the store be slow on this loaded machine, each process falls back to its 1/N share of the budget.
  pacer = createRedisPacer(timedClient, {
    logger,
    fallbackShare: 1 / processes,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}
const flashCall = sdk.createFlashCall({
  pushUrl,
  logLevel: "silent",
  ...(pacer === undefined ? {} : { rateLimit: { pacer } }),
});
const lines = createInterface({ input: process.stdin });
process.stdout.write("ready\n");
for await (const line of lines) if (line === "go") break;
const outcomes = await Promise.allSettled(
  Array.from({ length: count }, (_, event) =>
    flashCall.enqueue({
      title_rule: `fleet: process ${index} event ${event}`,
      event_status: "Critical",
      alert_key: `fleet-${index}-${event}`,
    }),
  ),
);
await flashCall.close();
const codes = {};
for (const outcome of outcomes) {
  if (outcome.status === "rejected")
    codes[outcome.reason?.code ?? "?"] = (codes[outcome.reason?.code ?? "?"] ?? 0) + 1;
}
process.stdout.write(
  `${JSON.stringify({ delivered: outcomes.filter((outcome) => outcome.status === "fulfilled").length, codes, fallbacks, storeMs })}\n`,
);
redis?.destroy();
process.exit(0);
