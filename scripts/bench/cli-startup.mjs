// (c) CLI start-up: one push per process, the flash-call bin (compile cache warm, then off) against a bare node
// script and curl.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { median, round } from "./stats.mjs";
import { ROOT, repoPath } from "./workspace.mjs";

const BARE_NODE_SCRIPT = `
const response = await fetch(process.env.BENCH_PUSH_URL, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ title_rule: "T", event_status: "Info" }),
});
const body = await response.json();
if (response.status !== 200 || body.error) process.exit(1);
console.log(body.data.alert_key);
`;

/** Runs one command to its end; resolves with its wall time in ms, or rejects with its exit code and stderr. */
function timeRun(command, args, env) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      const elapsed = performance.now() - started;
      if (code === 0) resolve(elapsed);
      else reject(new Error(`exit ${code}: ${stderr.trim().split("\n").slice(-3).join(" / ")}`));
    });
  });
}

/**
 * Times one push per process for each command, `runs` times each, interleaved, and reports the median.
 * A command that is not available (CLI not built, curl not installed) gets a row saying so.
 *
 * @param {{ mock: { pushUrl: string }; runs?: number; node?: string }} settings default 20 runs, with the Node
 *   running this script (`node`: another Node binary, which runs both the CLI and the bare script)
 * @example const rows = await measureCliStartup({ mock });
 */
export async function measureCliStartup({ mock, runs = 20, node = process.execPath }) {
  const cliBin = repoPath("packages/cli/dist/bin.cjs");
  const curlAvailable = spawnSync("curl", ["--version"]).status === 0;
  const commands = [
    {
      name: "flash-call push (CLI)",
      available: existsSync(cliBin) ? undefined : "not built (packages/cli/dist/bin.cjs missing)",
      command: node,
      args: [cliBin, "push", "--title", "T", "--status", "Info"],
      env: { FLASHDUTY_PUSH_URL: mock.pushUrl, FLASHDUTY_INTEGRATION_KEY: "", FLASH_CALL_SPOOL: "" },
    },
    {
      // The first run after an install or a Node upgrade, or wherever the temp folder is not writable.
      name: "flash-call push, compile cache off",
      available: existsSync(cliBin) ? undefined : "not built (packages/cli/dist/bin.cjs missing)",
      command: node,
      args: [cliBin, "push", "--title", "T", "--status", "Info"],
      env: {
        FLASHDUTY_PUSH_URL: mock.pushUrl,
        FLASHDUTY_INTEGRATION_KEY: "",
        FLASH_CALL_SPOOL: "",
        NODE_DISABLE_COMPILE_CACHE: "1",
      },
    },
    {
      name: "bare node script (fetch)",
      command: node,
      args: ["--input-type=module", "-e", BARE_NODE_SCRIPT],
      env: { BENCH_PUSH_URL: mock.pushUrl },
    },
    {
      name: "curl",
      available: curlAvailable ? undefined : "curl not installed",
      command: "curl",
      args: ["-sS", "-o", "/dev/null", "-f", "-X", "POST", "-H", "content-type: application/json"].concat([
        "--data",
        JSON.stringify({ title_rule: "T", event_status: "Info" }),
        mock.pushUrl,
      ]),
      env: {},
    },
    { name: "node -e 0 (start-up floor, no push)", command: node, args: ["-e", "0"], env: {} },
  ];
  const samples = new Map(commands.map((entry) => [entry.name, []]));
  const failures = new Map();
  const runnable = commands.filter((entry) => entry.available === undefined);

  for (const entry of runnable) await timeRun(entry.command, entry.args, entry.env).catch(() => undefined);
  for (let run = 0; run < runs; run += 1) {
    for (const entry of runnable) {
      try {
        samples.get(entry.name).push(await timeRun(entry.command, entry.args, entry.env));
      } catch (error) {
        failures.set(entry.name, error.message);
      }
    }
  }

  const baseline = samples.get("bare node script (fetch)");
  const baselineMedian = baseline.length > 0 ? median(baseline) : Number.NaN;
  const rows = commands.map((entry) => {
    const times = samples.get(entry.name);
    if (entry.available !== undefined) return { command: entry.name, note: entry.available };
    if (times.length === 0)
      return { command: entry.name, note: `every run failed: ${failures.get(entry.name)}` };
    return {
      command: entry.name,
      medianMs: round(median(times), 1),
      ratio: round(median(times) / baselineMedian, 3),
      runs: times.length,
      ...(failures.has(entry.name) ? { note: `some runs failed: ${failures.get(entry.name)}` } : {}),
    };
  });
  return { rows, runs };
}
