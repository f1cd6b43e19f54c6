// (h) The spool at scale: one `flash-call push --file` batch during an outage (every connection reset), so every
// event is spooled — most of them queued behind an earlier event of their alert — timed per event at two sizes.
// A write that read the whole spool directory again per event made this quadratic: 4,000 events took 8× the time
// per event of 1,000.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { median, round } from "./stats.mjs";
import { ROOT, repoPath } from "./workspace.mjs";

/** Alerts the batch's events are spread over: each alert's first event is sent (and reset), the rest queue behind. */
const ALERTS = 10;

/** A server that resets every connection: Flashduty unreachable, as in an outage. */
function startOutage() {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.resetAndDestroy());
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      resolve({
        baseUrl: `http://127.0.0.1:${server.address().port}`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

/** Runs the batch once into a fresh spool; resolves with its wall time in ms once every event is on disk. */
async function spoolBatch(file, events, baseUrl) {
  const spool = await mkdtemp(join(tmpdir(), "flash-call-bench-spool-"));
  try {
    const started = performance.now();
    const code = await new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          repoPath("packages/cli/dist/bin.cjs"),
          "push",
          "--file",
          file,
          "--retries",
          "0",
          "--spool",
          spool,
          "-q",
        ],
        {
          cwd: ROOT,
          env: {
            PATH: process.env.PATH,
            FLASHDUTY_INTEGRATION_KEY: "benchspoolbenchspoolbenchspool01",
            FLASHDUTY_BASE_URL: baseUrl,
          },
          stdio: "ignore",
        },
      );
      child.on("error", reject);
      child.on("exit", resolve);
    });
    const elapsed = performance.now() - started;
    const written = (await readdir(spool)).filter((name) => name.endsWith(".json")).length;
    // Exit 3: not delivered, spooled. Anything else, or an event missing, is no measurement.
    if (code !== 3 || written !== events) {
      throw new Error(`the batch of ${events} exited ${code} with ${written} events spooled`);
    }
    return elapsed;
  } finally {
    await rm(spool, { recursive: true, force: true });
  }
}

/**
 * Times a batch of each size spooled during an outage, `rounds` times each, interleaved; the median ms per event
 * of each size, and the larger's against the smaller's (flat cost per event: about 1 or below, as start-up is
 * spread over more events).
 *
 * @param {{ sizes?: number[]; rounds?: number }} settings default 1,000 and 8,000 events, 3 rounds
 * @example const { rows, ratio } = await measureSpoolScale({});
 */
export async function measureSpoolScale({ sizes = [1_000, 8_000], rounds = 3 }) {
  if (!existsSync(repoPath("packages/cli/dist/bin.cjs"))) {
    return { unavailable: "not built (packages/cli/dist/bin.cjs missing)" };
  }
  const folder = await mkdtemp(join(tmpdir(), "flash-call-bench-batches-"));
  const outage = await startOutage();
  try {
    const files = new Map();
    for (const size of sizes) {
      const lines = Array.from({ length: size }, (_, index) =>
        JSON.stringify({
          title_rule: `event ${index}`,
          event_status: "Warning",
          alert_key: `alert-${index % ALERTS}`,
        }),
      );
      const file = join(folder, `batch-${size}.ndjson`);
      await writeFile(file, `${lines.join("\n")}\n`);
      files.set(size, file);
    }
    const times = new Map(sizes.map((size) => [size, []]));
    for (let round = 0; round < rounds; round++) {
      for (const size of round % 2 === 0 ? sizes : [...sizes].reverse()) {
        times.get(size).push(await spoolBatch(files.get(size), size, outage.baseUrl));
      }
    }
    const rows = sizes.map((size) => ({
      events: size,
      msPerEvent: round(median(times.get(size)) / size, 3),
    }));
    const first = rows[0].msPerEvent;
    const last = rows[rows.length - 1].msPerEvent;
    return { rows, rounds, ratio: round(last / first, 2) };
  } finally {
    await outage.close();
    await rm(folder, { recursive: true, force: true });
  }
}
