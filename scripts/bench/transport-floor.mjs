// What a cancellable push costs on each runtime before the SDK does anything: bare fetch, fetch given a signal,
// fetch with a timer, fetch with a timeout (both), and the SDK, each in its own process (so no way's compiled
// code or garbage is paid by another), interleaved, sequential pushes to the mock in another process. It shows
// where table (a')'s budget is lost: in the timeout every push needs, or in the SDK's own work.
// Usage: node scripts/bench/transport-floor.mjs [--runs=3] [--pushes=10000] [--warmup=2000] [--runtimes=node20,bun]
//   [--concurrency=1]
//   (--runtimes: the runtimes' names without spaces, any case; all of them by default)
import { existsSync } from "node:fs";
import { childResult } from "./child-result.mjs";
import { startMockProcess } from "./mock-child.mjs";
import { BENCH_RUNTIMES } from "./runtime-overhead.mjs";
import { formatTable, median, round } from "./stats.mjs";
import { repoPath } from "./workspace.mjs";

const WAYS = [
  "bare fetch",
  "fetch with a signal",
  "fetch with a timer",
  "fetch with a timeout",
  "flash-call SDK",
];

const setting = (name, fallback) => {
  const given = process.argv.find((argument) => argument.startsWith(`--${name}=`));
  return given === undefined ? fallback : Number(given.slice(name.length + 3));
};
const runs = setting("runs", 3);
const pushes = setting("pushes", 10_000);
const warmup = setting("warmup", 2_000);
const concurrency = setting("concurrency", 1);
const named = process.argv.find((argument) => argument.startsWith("--runtimes="));
const compact = (name) => name.replaceAll(" ", "").toLowerCase();
const chosen =
  named === undefined ? undefined : new Set(named.slice("--runtimes=".length).split(",").map(compact));
const runtimes = BENCH_RUNTIMES.filter(
  (runtime) => chosen === undefined || chosen.has(compact(runtime.name)),
);

const mock = await startMockProcess({ rateLimit: false });
const rows = [];
try {
  for (const runtime of runtimes) {
    if (!existsSync(runtime.command)) {
      rows.push([runtime.name, "not installed (node runtimes/run.mjs installs it)", "", "", "", "", ""]);
      continue;
    }
    const cpu = new Map(WAYS.map((way) => [way, []]));
    for (let run = 0; run < runs; run++) {
      // The order rotates each run, so no way always runs first or last.
      for (let offset = 0; offset < WAYS.length; offset++) {
        const way = WAYS[(run + offset) % WAYS.length];
        const settings = JSON.stringify({ pushUrl: mock.pushUrl, way, pushes, warmup, concurrency });
        const result = await childResult(
          runtime.command,
          [...runtime.prefix, repoPath("scripts/bench/transport-floor-child.mjs"), settings],
          { env: { ...process.env, FLASHDUTY_INTEGRATION_KEY: "" } },
        );
        cpu.get(way).push(result.cpuPerPush);
      }
    }
    const bare = median(cpu.get("bare fetch"));
    rows.push([
      runtime.name,
      round(bare, 1),
      ...WAYS.slice(1).map((way) => {
        const values = cpu.get(way);
        const spread = values.map((value, index) => round(value / cpu.get("bare fetch")[index], 2));
        return `${round(median(values) / bare, 3)}× (${Math.min(...spread)}–${Math.max(...spread)})`;
      }),
    ]);
  }
} finally {
  await mock.close();
}
console.log(
  `CPU per push (${concurrency} at a time) vs bare fetch, each way in its own process: median of ${runs} runs of ${pushes} pushes (after ${warmup}), per-run spread`,
);
console.log(formatTable(["runtime", "bare fetch µs", ...WAYS.slice(1)], rows));
