// (a) Per-push overhead: the SDK against three bare clients posting the same JSON, in interleaved rounds.
import { PUSH_PATH } from "../../packages/core/dist/index.js";
import { median, round } from "./stats.mjs";
import { importBuilt, importFrom } from "./workspace.mjs";

/** The event every client sends; one fixed alert_key keeps the mock's alert store from growing. */
export const BENCH_EVENT = Object.freeze({
  title_rule: "bench: disk usage high on db-1",
  event_status: "Warning",
  alert_key: "bench-overhead",
  description: "Disk /var/lib/postgresql is 91% full (threshold 90%).",
  labels: Object.freeze({ host: "db-1", service: "postgres", region: "eu-1", team: "storage" }),
});

const JSON_HEADERS = { "content-type": "application/json" };

/**
 * Throws unless the mock accepted a push: a bench of pushes that failed would measure failures.
 * @param {number} status @param {unknown} body
 * @example failIfRejected(response.status, await response.json());
 */
export const failIfRejected = (status, body) => {
  if (status !== 200 || body?.error !== undefined) {
    throw new Error(`the mock answered ${status}: ${JSON.stringify(body)}`);
  }
};

/**
 * The four clients, each a `push(event)` that resolves once the answer is read and checked.
 * The SDK is missing (undefined) when packages/flash-call has not been built.
 */
async function createClients(pushUrl) {
  const url = new URL(pushUrl);
  const integrationKey = url.searchParams.get("integration_key");
  const { createClient } = await import("../../packages/core/dist/index.js");
  const undici = await importFrom("packages/flash-call", "undici");
  const sdkModule = await importBuilt("packages/flash-call/dist/index.js");
  const openapiClient = createClient({ baseUrl: url.origin });

  const clients = [
    {
      name: "bare fetch",
      async push(event) {
        const response = await fetch(pushUrl, {
          method: "POST",
          headers: JSON_HEADERS,
          body: JSON.stringify(event),
        });
        failIfRejected(response.status, await response.json());
      },
    },
    {
      name: "openapi-fetch (core)",
      async push(event) {
        const { data, error, response } = await openapiClient.POST(PUSH_PATH, {
          params: { query: { integration_key: integrationKey } },
          body: event,
        });
        failIfRejected(response.status, data ?? error);
      },
    },
    {
      name: "undici.request",
      async push(event) {
        const { statusCode, body } = await undici.request(pushUrl, {
          method: "POST",
          headers: JSON_HEADERS,
          body: JSON.stringify(event),
        });
        failIfRejected(statusCode, await body.json());
      },
    },
  ];
  if (sdkModule !== undefined) {
    const flashCall = sdkModule.createFlashCall({
      pushUrl,
      rateLimit: false,
      maxRetries: 0,
      logLevel: "silent",
    });
    clients.unshift({
      name: "flash-call SDK",
      push: (event) => flashCall.push(event),
      close: () => flashCall.close(),
    });
  }
  return { clients, sdkBuilt: sdkModule !== undefined };
}

/** Runs `count` pushes with `concurrency` workers; returns the wall time in ms. */
async function timePushes(client, count, concurrency) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      await client.push(BENCH_EVENT);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return performance.now() - started;
}

/**
 * Measures every client sequentially and at `concurrency`, in `rounds` interleaved rounds (the order rotates
 * each round so no client always runs first or last); reports the median µs per push and the ratio to bare fetch.
 *
 * @param {{ mock: Awaited<ReturnType<typeof import("./mock-child.mjs").startMockProcess>>; pushes?: number;
 *   concurrency?: number; rounds?: number; warmup?: number }} settings defaults 2000 pushes, 32, 7 rounds, 300
 * @example const rows = await measureOverhead({ mock });
 */
export async function measureOverhead({ mock, pushes = 2000, concurrency = 32, rounds = 7, warmup = 300 }) {
  const { clients, sdkBuilt } = await createClients(mock.pushUrl);
  const samples = new Map(clients.map((client) => [client.name, { sequential: [], concurrent: [] }]));
  const problems = [];

  for (const client of clients) {
    await timePushes(client, warmup, 1);
    await timePushes(client, warmup, concurrency);
  }
  for (let roundIndex = 0; roundIndex < rounds; roundIndex += 1) {
    for (const mode of ["sequential", "concurrent"]) {
      for (let offset = 0; offset < clients.length; offset += 1) {
        const client = clients[(roundIndex + offset) % clients.length];
        await mock.reset();
        const wall = await timePushes(client, pushes, mode === "sequential" ? 1 : concurrency);
        const seen = await mock.summary();
        if (seen.events !== pushes)
          problems.push(`${client.name} ${mode}: the mock saw ${seen.events}/${pushes}`);
        samples.get(client.name)[mode].push((wall * 1000) / pushes);
      }
    }
  }
  for (const client of clients) await client.close?.();

  const baseline = samples.get("bare fetch");
  const baselineSequential = median(baseline.sequential);
  const baselineConcurrent = median(baseline.concurrent);
  const rows = clients.map((client) => {
    const { sequential, concurrent } = samples.get(client.name);
    return {
      client: client.name,
      sequentialMicros: round(median(sequential), 1),
      sequentialRatio: round(median(sequential) / baselineSequential, 3),
      concurrentMicros: round(median(concurrent), 1),
      concurrentRatio: round(median(concurrent) / baselineConcurrent, 3),
      sequentialSamples: sequential.map((value) => round(value, 1)),
      concurrentSamples: concurrent.map((value) => round(value, 1)),
    };
  });
  return { rows, sdkBuilt, problems, settings: { pushes, concurrency, rounds, warmup } };
}
