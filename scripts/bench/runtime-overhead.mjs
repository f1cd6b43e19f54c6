// (a') Per-push CPU on every runtime users run: the SDK against bare fetch in one process per runtime, the mock
// in another (so only the client's own CPU is counted).
import { existsSync } from "node:fs";
import { childResult } from "./child-result.mjs";
import { median, round } from "./stats.mjs";
import { repoPath } from "./workspace.mjs";

const TOOLS = repoPath("runtimes/.cache/toolchain/node_modules");

/** The runtimes of the matrix (runtimes/run.mjs installs them): name, command, arguments before the script. */
export const BENCH_RUNTIMES = [
  { name: "Node 20", command: process.execPath, prefix: [] },
  { name: "Node 22", command: `${TOOLS}/node22/bin/node`, prefix: [] },
  { name: "Node 24", command: `${TOOLS}/node24/bin/node`, prefix: [] },
  { name: "Node 26", command: `${TOOLS}/node26/bin/node`, prefix: [] },
  { name: "Bun", command: `${TOOLS}/bun/bin/bun.exe`, prefix: ["run"] },
];

function runChild(runtime, settings) {
  return childResult(
    runtime.command,
    [...runtime.prefix, repoPath("scripts/bench/overhead-child.mjs"), JSON.stringify(settings)],
    { env: { ...process.env, FLASHDUTY_INTEGRATION_KEY: "" } },
  );
}

/**
 * CPU µs per push of the SDK (its own key, the key found in the environment as `pushAlert` finds it, and the push
 * URL named by each call) and of
 * bare fetch, on each runtime, sequential and at `concurrency`, median over interleaved rounds; with ratios to
 * bare fetch and their spread over the rounds, and (not budgeted) to fetch given a timeout as the SDK gives one. A runtime that is not installed gets a row saying so.
 *
 * @param {{ mock: { pushUrl: string }; pushes?: number; concurrency?: number; rounds?: number; warmup?: number }} settings
 *   defaults 1000 pushes, 32, 5 rounds, 300
 * @example const table = await measureRuntimeOverhead({ mock });
 */
export async function measureRuntimeOverhead({
  mock,
  pushes = 1000,
  concurrency = 32,
  rounds = 5,
  warmup = 300,
}) {
  const rows = [];
  for (const runtime of BENCH_RUNTIMES) {
    if (!existsSync(runtime.command)) {
      rows.push({ runtime: runtime.name, note: "not installed (node runtimes/run.mjs installs it)" });
      continue;
    }
    let result;
    try {
      result = await runChild(runtime, { pushUrl: mock.pushUrl, pushes, concurrency, rounds, warmup });
    } catch (error) {
      rows.push({ runtime: runtime.name, note: `failed: ${error.message}` });
      continue;
    }
    const bare = result.samples["bare fetch"];
    const timed = result.samples["fetch with a timeout"];
    for (const client of ["flash-call SDK", "SDK, key from environment", "SDK, key named by the call"]) {
      const own = result.samples[client];
      const ratios = (mode) => own[mode].map((value, index) => value / bare[mode][index]);
      const spread = (mode) =>
        `${round(Math.min(...ratios(mode)), 2)}–${round(Math.max(...ratios(mode)), 2)}`;
      const toTimed = (mode) => round(median(own[mode]) / median(timed[mode]), 3);
      rows.push({
        runtime: result.version,
        client,
        bareSequential: round(median(bare.sequential), 1),
        sequential: round(median(own.sequential), 1),
        sequentialRatio: round(median(own.sequential) / median(bare.sequential), 3),
        sequentialSpread: spread("sequential"),
        bareConcurrent: round(median(bare.concurrent), 1),
        concurrent: round(median(own.concurrent), 1),
        concurrentRatio: round(median(own.concurrent) / median(bare.concurrent), 3),
        concurrentSpread: spread("concurrent"),
        // The same push against fetch given a timeout as the SDK gives one (a controller and a timer).
        sequentialToTimed: toTimed("sequential"),
        concurrentToTimed: toTimed("concurrent"),
        budget: runtime.name === "Bun" ? 1.2 : 1.1,
      });
    }
  }
  return { rows, settings: { pushes, concurrency, rounds, warmup } };
}
