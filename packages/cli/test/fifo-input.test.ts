// `push --file FIFO`: the real bin reading a named pipe, waiting for its writer the way `cat` does, yet stoppable.
import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, readlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { baseEnv } from "./run-cli.js";
import { spawnCli } from "./spawn-cli.js";

async function fifo(): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), "flash-call-fifo-")), "events.fifo");
  expect(spawnSync("mkfifo", [path]).status).toBe(0);
  return path;
}

/** Resolves once process `pid` holds `path` open: it is then waiting for a writer, not still starting. */
async function holdsOpen(pid: number, path: string): Promise<void> {
  for (;;) {
    const links = await Promise.all(
      (await readdir(`/proc/${pid}/fd`)).map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => "")),
    );
    if (links.includes(path)) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

// /proc and mkfifo: Linux only.
describe.runIf(process.platform === "linux")("push --file with a named pipe", () => {
  it("waits for the writer and reads what it writes", async () => {
    const path = await fifo();
    const cli = spawnCli(["push", "--file", path, "--dry-run"], baseEnv());
    await holdsOpen(cli.pid, path);
    await writeFile(path, '{"title_rule":"from the pipe","event_status":"Info"}\n');
    const run = await cli.exited;
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"title_rule":"from the pipe"');
  });

  it("stops on SIGTERM while no writer has come, nothing sent, instead of waiting for ever", async () => {
    const path = await fifo();
    const cli = spawnCli(
      ["push", "--file", path],
      baseEnv({ FLASHDUTY_INTEGRATION_KEY: "fifo-test-key-1234" }),
    );
    try {
      await holdsOpen(cli.pid, path);
      cli.child.kill("SIGTERM");
      const run = await cli.exited;
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/stopped by SIGTERM while reading the input; nothing was sent/);
    } finally {
      cli.child.kill("SIGKILL");
    }
  });
});
