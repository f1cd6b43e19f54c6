import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { createFlashCall } from "../src/flash-call.js";
import { startHeldServer } from "./held-server.js";

const fixture = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "exit-with-queue.mjs");
const key = "exit0test0key0a1b2c3d4e5f6a7b8c9d0";

/** Runs the fixture (it uses the built SDK) and collects what it wrote. */
const run = (mode: string) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [fixture, mode, key], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });

const keyFragments = Array.from({ length: key.length - 7 }, (_, start) => key.slice(start, start + 8));

describe("an exit with events still queued is never silent", () => {
  test("process.exit() with enqueued events pending writes one line with their count to stderr", async () => {
    const { code, stdout, stderr } = await run("pending");
    expect(code).toBe(0);
    expect(stdout).toContain("exit listeners added: 1");
    const lines = stderr.split("\n").filter((line) => line.includes("[flash-call]"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/exiting with 3 enqueued event\(s\) not delivered yet/);
    expect(lines[0]).toContain("close()");
    expect(stderr).not.toContain("secret-content");
    for (const fragment of keyFragments) expect(stderr).not.toContain(fragment);
  });

  test("the line goes through the instance's logger, even at logLevel silent", async () => {
    const { stderr } = await run("custom-logger");
    expect(stderr).toMatch(/^custom logger: \[flash-call\] .*exiting with 3 enqueued event\(s\)/m);
  });

  test("once the queue has drained, the listener is gone and exit says nothing", async () => {
    const { code, stdout, stderr } = await run("drained");
    expect(code).toBe(0);
    expect(stdout).toContain("exit listeners added: 0");
    expect(stderr).toBe("");
  });
});

test("many instances with pending work add one exit listener between them, removed when all have drained", async () => {
  const server = await startHeldServer();
  const before = process.listenerCount("exit");
  const instances = Array.from({ length: 40 }, () =>
    createFlashCall({ pushUrl: server.pushUrl, logLevel: "silent", rateLimit: false }),
  );
  const sent = instances.map((instance) => instance.enqueue({ title_rule: "t", event_status: "Info" }));
  await server.arrived(instances.length);
  expect(process.listenerCount("exit")).toBe(before + 1);
  server.acceptAll();
  await Promise.all(sent);
  await Promise.all(instances.map((instance) => instance.flush()));
  expect(process.listenerCount("exit")).toBe(before);
  await server.close();
});
