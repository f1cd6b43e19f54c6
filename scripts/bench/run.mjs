// `pnpm bench`: the benchmark tables (per-push overhead on each runtime, storm, CLI start-up, queue, memory, size,
// fleet), with budgets marked PASS/FAIL (reported, never asserted), saved to bench-results/latest.json.
// Usage: node scripts/bench/run.mjs [--quick] [--long] (--long: table (a') with 3,000 pushes × 7 rounds, ~9 minutes)
//   [--only=overhead,runtimes,allocation,storm,cli,spool,queue,memory,size,fleet,cli-fleet] [--cli-processes=300]
//   [--fleet-timeout-ms=N] (the Redis pacer's store timeout in the fleet table; without it, the pacer's default)
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { formatKilobytes, formatSizeTable, measureBundles } from "../size/bundles.mjs";
import { measureCliInstall } from "../size/install-size.mjs";
import { printAllocation } from "./allocation.mjs";
import { measureCliFleet } from "./cli-fleet.mjs";
import { measureFleet, startRedis } from "./fleet.mjs";
import { startMockProcess } from "./mock-child.mjs";
import { measureOverhead } from "./overhead.mjs";
import { printCliStartup, printQueueTables, printRuntimeOverhead, SPEED_BUDGET } from "./speed-tables.mjs";
import { measureSpoolScale } from "./spool-scale.mjs";
import { formatTable, verdict } from "./stats.mjs";
import { measureStorm } from "./storm.mjs";
import { repoPath } from "./workspace.mjs";

const BUDGET = {
  sequential: 1.15,
  concurrent: 1.5,
  stormFloor: 1.1,
  fleetFloor: 1.1,
  spoolPerEvent: 1.2,
  ...SPEED_BUDGET,
};
const quick = process.argv.includes("--quick");
const long = process.argv.includes("--long");
const onlyArgument = process.argv.find((argument) => argument.startsWith("--only="));
const only = new Set(
  onlyArgument
    ? onlyArgument.slice("--only=".length).split(",")
    : [
        "overhead",
        "runtimes",
        "allocation",
        "storm",
        "cli",
        "spool",
        "queue",
        "memory",
        "size",
        "fleet",
        "cli-fleet",
      ],
);

const results = {
  date: new Date().toISOString(),
  machine: {
    node: process.version,
    cpus: cpus().length,
    model: cpus()[0]?.model,
    platform: process.platform,
  },
  budgets: BUDGET,
  quick,
};
const section = (title) => console.log(`\n## ${title}\n`);

if (only.has("overhead")) {
  section(
    "(a) Per-push overhead: mock server in a child process, median µs per push over interleaved rounds",
  );
  const mock = await startMockProcess({ rateLimit: false });
  try {
    const overhead = await measureOverhead(quick ? { mock, pushes: 300, rounds: 3, warmup: 100 } : { mock });
    results.overhead = overhead;
    const { pushes, concurrency, rounds } = overhead.settings;
    console.log(`${pushes} pushes per run, ${rounds} rounds, concurrency 1 and ${concurrency}\n`);
    console.log(
      formatTable(
        ["client", "sequential µs", "× fetch", `c=${concurrency} µs/push`, "× fetch"],
        overhead.rows.map((row) => [
          row.client,
          row.sequentialMicros,
          row.sequentialRatio,
          row.concurrentMicros,
          row.concurrentRatio,
        ]),
      ),
    );
    const sdk = overhead.rows.find((row) => row.client === "flash-call SDK");
    if (sdk === undefined) console.log("\nflash-call SDK: not built (packages/flash-call/dist missing)");
    else {
      console.log(
        `\nbudget sequential ≤ ${BUDGET.sequential}×: ${verdict(sdk.sequentialRatio <= BUDGET.sequential)} ` +
          `(${sdk.sequentialRatio}×); c=${concurrency} ≤ ${BUDGET.concurrent}×: ` +
          `${verdict(sdk.concurrentRatio <= BUDGET.concurrent)} (${sdk.concurrentRatio}×)`,
      );
    }
    const bare = overhead.rows.find((row) => row.client === "bare fetch");
    if (sdk !== undefined && bare !== undefined) {
      // Each round measures both clients close together: the spread of their per-round ratio shows the noise.
      const spread = (mode) => {
        const ratios = sdk[`${mode}Samples`].map((value, index) => value / bare[`${mode}Samples`][index]);
        return `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}×`;
      };
      console.log(
        `per-round SDK/bare-fetch ratios: sequential ${spread("sequential")}, c=${concurrency} ${spread("concurrent")}`,
      );
    }
    for (const problem of overhead.problems) console.log(`problem: ${problem}`);
  } finally {
    await mock.close();
  }
}

if (only.has("runtimes")) {
  const mock = await startMockProcess({ rateLimit: false });
  try {
    results.runtimes = await printRuntimeOverhead({ mock, quick, long, section });
  } finally {
    await mock.close();
  }
}

if (only.has("allocation")) {
  results.allocation = await printAllocation({ quick, section });
}

if (only.has("storm")) {
  section("(b) Alert storm: 1,000 events at once, mock enforcing 100/s and 1000/min");
  const mock = await startMockProcess({ rateLimit: { perSecond: 100, perMinute: 1000 } });
  try {
    const storm = await measureStorm({ mock });
    results.storm = storm;
    console.log(
      formatTable(
        [
          "client",
          "delivered",
          "429s",
          "other errors",
          "rejected",
          "wall ms",
          "× 10 s floor",
          "× 9 s strict",
          "budget",
        ],
        storm.rows.map((row) =>
          row.note !== undefined
            ? [row.client, row.note, "", "", "", "", "", "", ""]
            : [
                row.client,
                `${row.delivered}/${storm.count}`,
                row.tooManyRequests,
                row.otherFailures,
                row.rejectedPromises,
                row.wallMs,
                row.floorRatio,
                row.strictFloorRatio,
                verdict(
                  row.delivered === storm.count &&
                    row.tooManyRequests === 0 &&
                    row.floorRatio <= BUDGET.stormFloor,
                ),
              ],
        ),
      ),
    );
    console.log(
      "\nBudget: all delivered, zero 429s, wall ≤ 1.1× the 10 s floor. The strict floor is 9 s (batches at 0 … 9 s).\n" +
        "The naive client neither paces nor retries: its 429s are lost events.",
    );
  } finally {
    await mock.close();
  }
}

if (only.has("cli")) {
  const mock = await startMockProcess({ rateLimit: false });
  try {
    results.cliStartup = await printCliStartup({ mock, quick, section });
  } finally {
    await mock.close();
  }
}

if (only.has("spool")) {
  section(
    "(h) Spool at scale: one `push --file` batch during an outage (every connection reset), every event spooled, median ms per event",
  );
  const spool = await measureSpoolScale(quick ? { sizes: [500, 2_000], rounds: 1 } : {});
  results.spoolScale = spool;
  if (spool.unavailable !== undefined) console.log(`not measured: ${spool.unavailable}`);
  else {
    console.log(
      `${spool.rounds} rounds, interleaved; events spread over 10 alerts, most queued behind their alert\n`,
    );
    console.log(
      formatTable(
        ["events", "ms per event"],
        spool.rows.map((row) => [row.events, row.msPerEvent]),
      ),
    );
    const last = spool.rows[spool.rows.length - 1].events;
    console.log(
      `\nper event at ${last} / at ${spool.rows[0].events}: ${spool.ratio} (budget ≤ ${BUDGET.spoolPerEvent}) ${verdict(spool.ratio <= BUDGET.spoolPerEvent)}`,
    );
  }
}

if (only.has("queue") || only.has("memory")) {
  Object.assign(results, await printQueueTables({ only, quick, section }));
}

if (only.has("size")) {
  section(
    "(d) Size: esbuild, minified ESM, gzip -9 (1 kB = 1000 bytes); the product's targets, CI ceilings enforced by `pnpm size`",
  );
  const bundles = await measureBundles();
  results.size = { bundles };
  console.log(formatSizeTable(bundles));

  try {
    const install = measureCliInstall();
    results.size.cliInstall = install;
    console.log(
      `\n@flash-call/cli install (packed tarballs installed with npm --omit=dev, node_modules walked): ` +
        `${formatKilobytes(install.total.bytes)} apparent, ${formatKilobytes(install.total.blocks)} on disk, ` +
        `${install.total.files} files; the cli tarball itself is ${formatKilobytes(install.tarballBytes)}\n`,
    );
    console.log(
      formatTable(
        ["package", "files", "bytes"],
        install.packages.map((entry) => [entry.name, entry.files, formatKilobytes(entry.bytes)]),
      ),
    );
  } catch (error) {
    results.size.cliInstall = { error: error.message };
    console.log(`\n@flash-call/cli install size: not measured (${error.message.split("\n")[0]})`);
  }
}

if (only.has("fleet")) {
  section(
    "(e) Fleet: 8 processes × 250 events on one key at once, mock enforcing 100/s and 1000/min, without and with the Redis pacer",
  );
  const mock = await startMockProcess({ rateLimit: { perSecond: 100, perMinute: 1000 } });
  try {
    const timeoutArgument = process.argv.find((argument) => argument.startsWith("--fleet-timeout-ms="));
    const fleet = await measureFleet({
      mock,
      ...(timeoutArgument === undefined ? {} : { timeoutMs: Number(timeoutArgument.split("=")[1]) }),
    });
    results.fleet = fleet;
    console.log(
      formatTable(
        [
          "pacing",
          "delivered",
          "429s",
          "other errors",
          "not delivered",
          "store fallbacks",
          "wall ms",
          "× floor",
          "budget",
        ],
        fleet.rows.map((row) => [
          row.client,
          `${row.delivered}/${fleet.count}`,
          row.tooManyRequests,
          row.otherFailures,
          row.failed === "" ? "0" : row.failed,
          row.client.startsWith("Redis") ? row.fallbacks : "-",
          row.wallMs,
          row.floorRatio,
          row.client.startsWith("Redis")
            ? verdict(
                row.delivered === fleet.count &&
                  row.tooManyRequests === 0 &&
                  row.floorRatio <= BUDGET.fleetFloor,
              )
            : "report",
        ]),
      ),
    );
    const timeout = fleet.timeoutMs === "default" ? "the pacer's default" : `${fleet.timeoutMs} ms`;
    console.log(`\nRedis pacer store timeout: ${timeout}; fallbackShare 1/8 per process.`);
    const store = fleet.rows.find((row) => row.store !== undefined)?.store;
    if (store !== undefined) {
      console.log(
        `Store round trips as the processes saw them (${store.calls} calls): median ${store.p50Ms} ms, ` +
          `p99 ${store.p99Ms} ms, max ${store.maxMs} ms: a store timeout below these counts a busy Redis as down.`,
      );
    }
    console.log(
      `\nBudget with the Redis pacer: all ${fleet.count} delivered, zero 429s, wall ≤ ${BUDGET.fleetFloor}× the ` +
        `${fleet.floorMs / 1000} s floor (one-second batches of 100: 0 … 9 s fill the minute, the next ten batches ` +
        "go once the first has aged out of it, 60 … 69 s). Without it, every process believes it has the whole budget.",
    );
  } finally {
    await mock.close();
  }
}

if (only.has("cli-fleet")) {
  const processesArgument = process.argv.find((argument) => argument.startsWith("--cli-processes="));
  const processes = Number(processesArgument?.slice("--cli-processes=".length) ?? (quick ? 50 : 300));
  section(
    `(f) CLI fleet: ${processes} flash-call push processes at once on one key, mock enforcing 100/s and 1000/min`,
  );
  const mock = await startMockProcess({ rateLimit: { perSecond: 100, perMinute: 1000 } });
  const redis = await startRedis();
  try {
    const cliFleet = await measureCliFleet({ mock, redisUrl: redis.url, processes });
    results.cliFleet = cliFleet;
    if (cliFleet.note !== undefined) console.log(cliFleet.note);
    console.log(
      formatTable(
        ["pacing", "processes", "exit 0", "delivered", "429s", "warned: Redis failed", "wall ms", "budget"],
        cliFleet.rows.map((row) => [
          row.pacing,
          row.processes,
          row.exitedZero,
          row.delivered,
          row.tooManyRequests,
          row.fellBack,
          row.wallMs,
          row.pacing.startsWith("FLASH_CALL_REDIS_URL")
            ? verdict(row.exitedZero === row.processes && row.tooManyRequests === 0)
            : "report",
        ]),
      ),
    );
    console.log("\nBudget with FLASH_CALL_REDIS_URL: every process exits 0, zero 429s.");
  } finally {
    await redis.stop();
    await mock.close();
  }
}

mkdirSync(repoPath("bench-results"), { recursive: true });
writeFileSync(repoPath("bench-results/latest.json"), `${JSON.stringify(results, null, 2)}\n`);
console.log("\nsaved bench-results/latest.json");
