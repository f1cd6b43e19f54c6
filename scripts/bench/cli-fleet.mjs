// (f) CLI fleet: many `flash-call push` processes started at once on one key (an OCP alarm storm), against a mock
// enforcing 100/s and 1000/min, sharing the pacing through Redis with FLASH_CALL_REDIS_URL, and without it.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { round } from "./stats.mjs";
import { repoPath } from "./workspace.mjs";

/** Runs one `flash-call push`; resolves with its exit code and whether it warned that Redis failed. */
function push(index, env) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        repoPath("packages/cli/dist/bin.cjs"),
        "push",
        "--title",
        `ocp storm ${index}`,
        "--status",
        "Critical",
      ].concat(["--alert-key", `ocp-${index}`]),
      { env: { PATH: process.env.PATH, ...env }, stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", () => resolve({ code: -1, fellBack: false }));
    child.on("close", (code) => resolve({ code, fellBack: stderr.includes("pacing store failed") }));
  });
}

/**
 * Starts `processes` CLI pushes at once, once with the Redis pacer and once without, the mock reset in between.
 *
 * @param {{ mock: Awaited<ReturnType<typeof import("./mock-child.mjs").startMockProcess>>; redisUrl: string;
 *   processes?: number }} settings default 300 processes
 * @example const table = await measureCliFleet({ mock, redisUrl, processes: 300 });
 */
export async function measureCliFleet({ mock, redisUrl, processes = 300 }) {
  if (!existsSync(repoPath("packages/cli/dist/bin.cjs"))) return { rows: [], note: "CLI not built" };
  const rows = [];
  for (const [pacing, extra] of [
    ["FLASH_CALL_REDIS_URL (shared)", { FLASH_CALL_REDIS_URL: redisUrl }],
    ["in-process pacing only", {}],
  ]) {
    await mock.reset();
    const started = performance.now();
    const runs = await Promise.all(
      Array.from({ length: processes }, (_, index) =>
        push(index, { FLASHDUTY_PUSH_URL: mock.pushUrl, ...extra }),
      ),
    );
    const wallMs = performance.now() - started;
    const seen = await mock.summary();
    rows.push({
      pacing,
      processes,
      exitedZero: runs.filter((run) => run.code === 0).length,
      delivered: seen.distinctAlertKeys,
      tooManyRequests: seen.tooManyRequests,
      fellBack: runs.filter((run) => run.fellBack).length,
      wallMs: round(wallMs, 0),
    });
  }
  return { rows };
}
