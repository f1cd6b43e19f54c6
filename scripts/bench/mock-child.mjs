import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const mockProcessPath = fileURLToPath(new URL("./mock-process.mjs", import.meta.url));

/**
 * Starts the mock Flashduty (`startMockServer` from the built testing package) in a child process.
 *
 * @param {{ rateLimit?: false | { perSecond?: number; perMinute?: number } }} [options] default `{ rateLimit: false }`
 * @returns {Promise<{ pushUrl: string; reset(): Promise<void>; summary(): Promise<MockSummary>; close(): Promise<void> }>}
 * @example const mock = await startMockProcess({ rateLimit: { perSecond: 100, perMinute: 1000 } });
 */
export async function startMockProcess(options = { rateLimit: false }) {
  const child = spawn(process.execPath, [mockProcessPath, JSON.stringify(options)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  const [firstLine] = await Promise.race([
    once(lines, "line"),
    once(child, "exit").then(([code]) => {
      throw new Error(`the mock server process exited with code ${code} before it was ready`);
    }),
  ]);
  const { pushUrl, controlUrl } = JSON.parse(firstLine);
  const controlFetch = async (path, init) => {
    const response = await fetch(`${controlUrl}${path}`, init);
    return response.json();
  };
  return {
    pushUrl,
    async reset() {
      await controlFetch("/reset", { method: "POST" });
    },
    /** @returns {Promise<MockSummary>} */
    summary: () => controlFetch("/summary"),
    async close() {
      if (child.exitCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * What the mock saw since its last reset.
 * @typedef {{ events: number; distinctAlertKeys: number; requests: number; tooManyRequests: number; otherFailures: number }} MockSummary
 */
