// The tables of `pnpm bench` that hold the SDK and the CLI to "fast at every scale": CPU per push on every runtime
// (a'), CLI start-up on Node 20 and 22 (c), queue drain by length (e) and heap per queued event (f).
import { existsSync } from "node:fs";
import { measureCliStartup } from "./cli-startup.mjs";
import { measureQueueDrain, measureQueueMemory } from "./queue.mjs";
import { BENCH_RUNTIMES, measureRuntimeOverhead } from "./runtime-overhead.mjs";
import { formatTable, verdict } from "./stats.mjs";

/** The budgets of these tables: ratios to a baseline measured in the same run, and bytes per queued event. */
export const SPEED_BUDGET = {
  cpuPerPushNode: 1.1,
  cpuPerPushBun: 1.2,
  cliStartup: 0.6,
  queueDrain: 1.2,
  queueBytesBeyondEvent: 600,
};

/**
 * Prints table (a'): CPU µs per push of the SDK and of bare fetch on each runtime, with the budget per row;
 * `long` runs 3,000 pushes × 7 rounds (rounds vary less) instead of 1,000 × 5. @default 1,000 × 5
 * @example results.runtimes = await printRuntimeOverhead({ mock, quick, long, section });
 */
export async function printRuntimeOverhead({ mock, quick, long, section }) {
  section(
    "(a') Per-push CPU by runtime: client process CPU (user + system) µs per push, median over rounds (clients take turns of 200 pushes)",
  );
  const table = await measureRuntimeOverhead(
    quick
      ? { mock, pushes: 300, rounds: 3, warmup: 100 }
      : long
        ? { mock, pushes: 3000, rounds: 7, warmup: 1000 }
        : { mock },
  );
  const { pushes, concurrency, rounds } = table.settings;
  console.log(
    `${pushes} pushes per run, ${rounds} rounds, concurrency 1 and ${concurrency}; pacing and retries off; ` +
      "spread = lowest–highest per-round ratio\n",
  );
  console.log(
    formatTable(
      [
        "runtime",
        "client",
        "fetch µs",
        "SDK µs",
        "× fetch",
        "spread",
        `c=${concurrency} fetch`,
        "SDK",
        "× fetch",
        "spread",
        "× fetch+timeout seq / c",
        "budget",
      ],
      table.rows.map((row) =>
        row.note !== undefined
          ? [row.runtime, row.note, "", "", "", "", "", "", "", "", "", ""]
          : [
              row.runtime,
              row.client,
              row.bareSequential,
              row.sequential,
              row.sequentialRatio,
              row.sequentialSpread,
              row.bareConcurrent,
              row.concurrent,
              row.concurrentRatio,
              row.concurrentSpread,
              `${row.sequentialToTimed} / ${row.concurrentToTimed}`,
              `≤ ${row.budget}×: ${verdict(row.sequentialRatio <= row.budget && row.concurrentRatio <= row.budget)}`,
            ],
      ),
    ),
  );
  return table;
}

/**
 * Prints table (c) on Node 20 (the Node running the bench) and Node 22 (the matrix's; a line saying so when it is
 * not installed): one push per process, the CLI against a bare `node` script doing one fetch on the same Node, 20
 * interleaved runs each, median. The CLI runs with its compile cache warm (as from the second run on) and cold.
 * @example results.cliStartup = await printCliStartup({ mock, quick, section });
 */
export async function printCliStartup({ mock, quick, section }) {
  section("(c) CLI start-up: one push per process, median wall time");
  const node22 = BENCH_RUNTIMES.find((runtime) => runtime.name === "Node 22");
  const nodes = [
    { name: `Node ${process.version}`, node: process.execPath },
    // Both the CLI and the bare script run on this Node: its fetch costs differ from Node 20's.
    { name: node22.name, node: node22.command },
  ];
  const results = {};
  for (const { name, node } of nodes) {
    if (!existsSync(node)) {
      results[name] = { rows: [], note: "not installed (node runtimes/run.mjs installs it)" };
      console.log(`${name}: not measured, not installed (node runtimes/run.mjs installs it)\n`);
      console.log(`budget ≤ ${SPEED_BUDGET.cliStartup}× bare node: not measured\n`);
      continue;
    }
    const startup = await measureCliStartup({ mock, runs: quick ? 5 : 20, node });
    results[name] = startup;
    console.log(`${name}:\n`);
    console.log(
      formatTable(
        ["command", "median ms", "× bare node", "runs", "note"],
        startup.rows.map((row) => [
          row.command,
          row.medianMs ?? "-",
          row.ratio ?? "-",
          row.runs ?? 0,
          row.note ?? "",
        ]),
      ),
    );
    // The budget holds the CLI as a cron job or an alert hook meets it: compile cache warm.
    const cli = startup.rows.find((row) => row.command === "flash-call push (CLI)");
    const cold = startup.rows.find((row) => row.command === "flash-call push, compile cache off");
    console.log(
      cli?.ratio === undefined
        ? "\nbudget: not measured (CLI not runnable)\n"
        : `\nbudget ≤ ${SPEED_BUDGET.cliStartup}× bare node: ${verdict(cli.ratio <= SPEED_BUDGET.cliStartup)} (${cli.ratio}×; ` +
            `compile cache off ${cold?.ratio ?? "-"}×)\n`,
    );
  }
  return results;
}

/**
 * Prints tables (e) queue drain per event by queue length and (f) heap bytes per queued event.
 * @example Object.assign(results, await printQueueTables({ only, quick, section }));
 */
export async function printQueueTables({ only, quick, section }) {
  const results = {};
  if (only.has("queue")) {
    section("(e) Queue drain: µs per event to enqueue N events and drain them, canned fetch (no network)");
    const drain = await measureQueueDrain(quick ? { rounds: 1 } : {});
    results.queueDrain = drain;
    console.log(
      `fresh process per measurement, sizes interleaved, ${drain.rounds} round(s); small queues are refilled until 50,000 events have passed\n`,
    );
    console.log(
      formatTable(
        ["queued", "µs per event", "spread", "× 1k"],
        drain.rows.map((row) => [row.queued, row.microsPerEvent, row.spread, row.ratio]),
      ),
    );
    const largest = drain.rows.at(-1);
    console.log(
      `\nbudget ${largest.queued} queued ≤ ${SPEED_BUDGET.queueDrain}× 1k queued: ` +
        `${verdict(largest.ratio <= SPEED_BUDGET.queueDrain)} (${largest.ratio}×)`,
    );
  }
  if (only.has("memory")) {
    section(
      "(f) Memory: heap bytes per queued event (forced GC), waiting on a server that accepts and never answers",
    );
    const memory = await measureQueueMemory(quick ? { rounds: 1 } : {});
    results.queueMemory = memory;
    console.log(
      formatTable(
        ["queued", "bytes per event", "the event itself", "beyond the event", "spread"],
        memory.rows.map((row) => [
          row.queued,
          row.bytesPerEvent,
          row.eventBytes,
          row.beyondEvent,
          row.spread,
        ]),
      ),
    );
    const largest = memory.rows.at(-1);
    const perEvent = memory.rows.map((row) => row.beyondEvent);
    const linear = Math.max(...perEvent) <= Math.min(...perEvent) * 1.1;
    console.log(
      `\nbudget ≤ ${SPEED_BUDGET.queueBytesBeyondEvent} bytes beyond the event at ${largest.queued}: ` +
        `${verdict(largest.beyondEvent <= SPEED_BUDGET.queueBytesBeyondEvent)} (${largest.beyondEvent}); ` +
        `linear (every length within 10% of the others): ${verdict(linear)}`,
    );
  }
  return results;
}
