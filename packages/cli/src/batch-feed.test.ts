import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { accountForUnsafe, type ReadyEvent, spoolUnsafe } from "./batch-feed.js";
import * as writer from "./spool-write.js";

const ready: ReadyEvent[] = Array.from({ length: 6 }, (_, index) => ({
  location: `line ${index + 1}`,
  event: { title_rule: `t${index + 1}`, event_status: "Warning", alert_key: `a${index + 1}` },
}));

describe("what a batch's immediate exit leaves", () => {
  test("without a spool: the events not delivered are named by their lines, exit 1", () => {
    const account = accountForUnsafe(ready, new Set([1, 2, 3, 5]), 2, undefined);
    expect(account).toEqual({
      lines: ["4 of 6 events not delivered and not known to be in the spool; send them again: lines 2-4, 6"],
      code: 1,
    });
  });

  const report = {
    code: "Stopped",
    message: "not sent: stopped again by SIGTERM before it was sent",
    retryable: true,
  };

  test("with a spool: every event not on disk is written to it, in input order, and the exit is 3", async () => {
    const directory = await mkdtemp(join(tmpdir(), "flash-call-batch-exit-"));
    const written = spoolUnsafe(
      ready,
      [4, 1, 2],
      { directory, baseUrl: "https://api.example" },
      writer,
      report,
    );
    expect([...written.keys()]).toEqual([1, 2, 4]);
    const unsafe = new Set<number>();
    const names = (await readdir(directory)).sort();
    const entries = await Promise.all(
      names.map(async (name) => JSON.parse(await readFile(join(directory, name), "utf8"))),
    );
    expect(entries.map((entry) => entry.event.alert_key)).toEqual(["a2", "a3", "a5"]);
    expect(entries[0]).toMatchObject({
      endpoint: "alert",
      base_url: "https://api.example",
      reason: { code: "Stopped", message: "not sent: stopped again by SIGTERM before it was sent" },
    });
    expect(accountForUnsafe(ready, unsafe, 3, directory)).toEqual({
      lines: [`3 of 6 events are in the spool ${directory}; run: flash-call flush --spool ${directory}`],
      code: 3,
    });
  });

  test("with a spool that cannot be written: what it could not write is named, exit 1", () => {
    const missing = join(tmpdir(), "flash-call-no-such-directory", "spool");
    const written = spoolUnsafe(
      ready,
      [0, 1],
      { directory: missing, baseUrl: "https://api.example" },
      writer,
      report,
    );
    expect(written.size).toBe(0);
    expect(accountForUnsafe(ready, new Set([0, 1]), 0, missing).code).toBe(1);
  });
});
