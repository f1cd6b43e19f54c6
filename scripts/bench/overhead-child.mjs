// Runs under each runtime of table (a'): the SDK's CPU per push against bare fetch, in this process only (the mock
// answers from another process). Prints one JSON line. Usage: <runtime> overhead-child.mjs <settings JSON>
//   settings: { pushUrl, pushes, concurrency, rounds, warmup }
import { BENCH_EVENT, failIfRejected } from "./overhead.mjs";

const { pushUrl, pushes, concurrency, rounds, warmup } = JSON.parse(process.argv[2] ?? process.argv[1]);
const sdk = await import(new URL("../../packages/flash-call/dist/index.js", import.meta.url).href);

const own = sdk.createFlashCall({ pushUrl, rateLimit: false, maxRetries: 0, logLevel: "silent" });
// The key found as pushAlert finds it: the same resolution (setKey, then the environment) at every push.
process.env.FLASHDUTY_PUSH_URL = pushUrl;
const fromEnvironment = sdk.createFlashCall({ rateLimit: false, maxRetries: 0, logLevel: "silent" });
// The destination named by each call, as a router sending for many teams names each push's key.
const perCall = sdk.createFlashCall({ rateLimit: false, maxRetries: 0, logLevel: "silent" });
const callOptions = { pushUrl };

const clients = [
  {
    name: "bare fetch",
    async push(event) {
      const response = await fetch(pushUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(event),
      });
      failIfRejected(response.status, await response.json());
    },
  },
  {
    // Bare fetch with the guarantee the SDK gives every push: a timeout that cancels the request. Not the budget's
    // reference (that stays bare fetch); shown beside it so what the guarantee costs is not blamed on the SDK.
    name: "fetch with a timeout",
    async push(event) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 10_000);
      try {
        const response = await fetch(pushUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(event),
          signal: controller.signal,
        });
        failIfRejected(response.status, await response.json());
      } finally {
        clearTimeout(timer);
      }
    },
  },
  { name: "flash-call SDK", push: (event) => own.push(event) },
  { name: "SDK, key from environment", push: (event) => fromEnvironment.push(event) },
  { name: "SDK, key named by the call", push: (event) => perCall.push(event, callOptions) },
];

/** CPU time of this process (user + system), in µs, spent on `count` pushes with `workers` at once. */
async function cpuOfPushes(client, count, workers) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      await client.push(BENCH_EVENT);
    }
  };
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: workers }, worker));
  const spent = process.cpuUsage(before);
  return spent.user + spent.system;
}

// Pushes per turn: within a round the clients take turns of this many pushes, so that a slow spell of the machine
// (another process, a frequency change) falls on every client alike instead of on the one whose long run it hit.
const TURN = 200;

/** CPU µs per push of each client over one round of `pushes` each, taken in interleaved turns. */
async function roundOf(round, workers) {
  const spent = new Map(clients.map((client) => [client.name, 0]));
  for (let turn = 0; turn * TURN < pushes; turn += 1) {
    const count = Math.min(TURN, pushes - turn * TURN);
    // The order rotates each turn and round, so no client always runs first or last.
    for (let offset = 0; offset < clients.length; offset += 1) {
      const client = clients[(round + turn + offset) % clients.length];
      spent.set(client.name, spent.get(client.name) + (await cpuOfPushes(client, count, workers)));
    }
  }
  return new Map([...spent].map(([name, cpu]) => [name, cpu / pushes]));
}

for (const client of clients) {
  await cpuOfPushes(client, warmup, 1);
  await cpuOfPushes(client, warmup, concurrency);
}
const samples = Object.fromEntries(
  clients.map((client) => [client.name, { sequential: [], concurrent: [] }]),
);
for (let round = 0; round < rounds; round += 1) {
  for (const mode of ["sequential", "concurrent"]) {
    const perPush = await roundOf(round, mode === "sequential" ? 1 : concurrency);
    for (const [name, cpu] of perPush) samples[name][mode].push(cpu);
  }
}
await own.close();
await fromEnvironment.close();
await perCall.close();
process.stdout.write(`${JSON.stringify({ version: versionOf(), samples })}\n`);

function versionOf() {
  if (typeof globalThis.Bun !== "undefined") return `Bun ${globalThis.Bun.version}`;
  return `Node ${process.version}`;
}
