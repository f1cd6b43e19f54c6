import { chmod, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { checkSpoolDirectory, prepareSpoolDirectory, readNoFollow } from "./spool-directory.js";
import { MAX_SPOOL_ENTRY_BYTES } from "./spool-entry.js";
import { writeSpoolEntry } from "./spool-write.js";

const event = { title_rule: "t", event_status: "Critical" as const, alert_key: "k" };
let directory: string;

beforeEach(async () => {
  directory = join(await mkdtemp(join(tmpdir(), "flash-call-spool-")), "spool");
});

describe("checkSpoolDirectory", () => {
  it("warns once per directory when group or others may write to it", async () => {
    await mkdir(directory, { recursive: true });
    await chmod(directory, 0o775);
    const warnings: string[] = [];
    expect(await checkSpoolDirectory(directory, (message) => warnings.push(message))).toBe(true);
    await writeSpoolEntry(directory, { event }, { warn: (message) => warnings.push(message) });
    expect(warnings).toEqual([expect.stringMatching(/writable by group or others.*chmod 700/)]);
    expect(await checkSpoolDirectory(join(directory, "missing"))).toBe(false);
  });
});

describe("prepareSpoolDirectory", () => {
  it("creates a missing spool directory and its parents", async () => {
    await prepareSpoolDirectory(join(directory, "nested"));
    expect(await checkSpoolDirectory(join(directory, "nested"))).toBe(true);
  });

  // FLASH_CALL_SPOOL=/proc/x used to spin for ever at full CPU, deaf to SIGTERM.
  it.runIf(process.platform === "linux")(
    "fails where mkdir says ENOENT under a parent that exists, instead of retrying for ever",
    { timeout: 5000 },
    async () => {
      await expect(prepareSpoolDirectory("/proc/flash-call-spool")).rejects.toMatchObject({ code: "ENOENT" });
    },
  );
});

describe("readNoFollow", () => {
  it("reads a file up to the largest entry flash-call writes, and refuses a larger one unread", async () => {
    await mkdir(directory, { recursive: true });
    const largest = join(directory, "largest.json");
    await writeFile(largest, "x".repeat(MAX_SPOOL_ENTRY_BYTES));
    expect((await readNoFollow(largest, "largest.json")).length).toBe(MAX_SPOOL_ENTRY_BYTES);
    const larger = join(directory, "larger.json");
    await writeFile(larger, "x".repeat(MAX_SPOOL_ENTRY_BYTES + 1));
    await expect(readNoFollow(larger, "larger.json")).rejects.toThrow(
      `it holds more than ${MAX_SPOOL_ENTRY_BYTES} bytes, the most flash-call reads from a spool file; not read`,
    );
  });
});
