import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

const fixture = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "exits-by-itself.mjs");

test("after retries, timeouts, an abort and a drained queue, the process exits by itself", async () => {
  const child = spawn(process.execPath, [fixture], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exit = await new Promise<{ code: number | null; lingeredMs: number }>((resolve) => {
    let doneAt = 0;
    child.stdout.on("data", () => {
      if (output.includes("done:")) doneAt ||= Date.now();
    });
    const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.on("exit", (code) => {
      clearTimeout(killer);
      resolve({ code, lingeredMs: doneAt ? Date.now() - doneAt : -1 });
    });
  });
  expect(output).toContain("done: 14 events");
  expect(exit.code).toBe(0);
  // Nothing kept the event loop alive once the work was done: a leaked 30 s Retry-After wait or 10 s timer would
  // hold it for that long; the bound leaves a loaded machine seconds to tear down.
  expect(exit.lingeredMs).toBeGreaterThanOrEqual(0);
  expect(exit.lingeredMs).toBeLessThan(5000);
});
