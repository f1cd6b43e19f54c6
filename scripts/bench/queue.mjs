// (e) Queue drain per event by queue length, and (f) heap per queued event: each measurement in a fresh process
// (queue-child.mjs, with --expose-gc), sizes interleaved over rounds, median reported with the spread.
import { spawnCollect } from "../../test-support/spawn-collect.mjs";
import { median, round } from "./stats.mjs";
import { repoPath } from "./workspace.mjs";

async function measureOnce(mode, queued) {
  // The memory run exits with events still queued, and the SDK says so on stderr: not a failure.
  const { status, stdout, stderr } = await spawnCollect(process.execPath, [
    "--expose-gc",
    repoPath("scripts/bench/queue-child.mjs"),
    mode,
    String(queued),
  ]);
  if (status === 0 && stdout.trim() !== "") return JSON.parse(stdout.trim());
  throw new Error(`queue-child ${mode} ${queued}: exit ${status}: ${stderr.trim().split("\n").at(-1)}`);
}

const spreadOf = (values, decimals) =>
  `${round(Math.min(...values), decimals)}–${round(Math.max(...values), decimals)}`;

/**
 * Drain cost per event (µs, canned fetch) at each queue length, with each length's ratio to the first.
 *
 * @param {{ sizes?: number[]; rounds?: number }} [settings] default 1k/10k/100k/200k, 3 rounds
 * @example const drain = await measureQueueDrain();
 */
export async function measureQueueDrain({ sizes = [1_000, 10_000, 100_000, 200_000], rounds = 3 } = {}) {
  const samples = new Map(sizes.map((size) => [size, []]));
  for (let roundIndex = 0; roundIndex < rounds; roundIndex += 1) {
    for (const size of sizes) samples.get(size).push((await measureOnce("drain", size)).microsPerEvent);
  }
  const base = median(samples.get(sizes[0]));
  const rows = sizes.map((size) => {
    const values = samples.get(size);
    return {
      queued: size,
      microsPerEvent: round(median(values), 1),
      spread: spreadOf(values, 1),
      ratio: round(median(values) / base, 3),
    };
  });
  return { rows, rounds };
}

/**
 * Heap bytes per queued event (forced GC, a server that never answers), beyond the event object itself, at each
 * queue length: equal figures mean the cost is linear.
 *
 * @param {{ sizes?: number[]; rounds?: number }} [settings] default 25k/50k/100k, 3 rounds
 * @example const memory = await measureQueueMemory();
 */
export async function measureQueueMemory({ sizes = [25_000, 50_000, 100_000], rounds = 3 } = {}) {
  const samples = new Map(sizes.map((size) => [size, []]));
  for (let roundIndex = 0; roundIndex < rounds; roundIndex += 1) {
    for (const size of sizes) samples.get(size).push(await measureOnce("memory", size));
  }
  const rows = sizes.map((size) => {
    const results = samples.get(size);
    const beyond = results.map((result) => result.beyondEvent);
    return {
      queued: size,
      bytesPerEvent: round(median(results.map((result) => result.bytesPerEvent)), 0),
      eventBytes: round(median(results.map((result) => result.eventBytes)), 0),
      beyondEvent: round(median(beyond), 0),
      spread: spreadOf(beyond, 0),
    };
  });
  return { rows, rounds };
}
