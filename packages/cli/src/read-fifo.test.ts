import { spawnSync } from "node:child_process";
import { closeSync, fstatSync, openSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFifo } from "./read-fifo.js";

let base: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), "flash-call-read-fifo-"));
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

// mkfifo: POSIX only; the descriptor numbers reused at once: Linux.
describe.runIf(process.platform === "linux")("readFifo", () => {
  it("reads what a writer writes", async () => {
    const path = join(base, "events.fifo");
    expect(spawnSync("mkfifo", [path]).status).toBe(0);
    const reading = readFifo(path, 1024, () => new Error("too large"));
    await writeFile(path, "one\ntwo\n");
    expect((await reading).toString()).toBe("one\ntwo\n");
  });

  it("leaves no second owner of the descriptor, which garbage collection would close under a later file", async () => {
    const path = join(base, "events.fifo");
    expect(spawnSync("mkfifo", [path]).status).toBe(0);
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on("warning", onWarning);
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const reading = readFifo(path, 1024, () => new Error("too large"));
    await writeFile(path, "one\n");
    await reading;
    // The socket closes the FIFO's descriptor once it has ended; the next file opened gets its number.
    await new Promise((resolve) => setImmediate(resolve));
    const later = openSync(process.execPath, "r");
    try {
      // A FileHandle left unclosed is closed by its collection (a full GC, its warning on a later turn).
      for (let round = 0; round < 5; round += 1) {
        gc();
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(() => fstatSync(later)).not.toThrow();
      expect(warnings.filter((message) => message.includes("file descriptor"))).toEqual([]);
    } finally {
      process.off("warning", onWarning);
      try {
        closeSync(later);
      } catch {}
    }
  });
});
