import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { accountForUnsafe, type ReadyEvent, spoolUnsafe } from "./batch-feed.js";
import { spoolTarget } from "./send-or-spool.js";
import { MAX_SPOOL_ENTRY_BYTES } from "./spool-entry.js";
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
      spoolTarget(directory, "https://api.example"),
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
    const written = spoolUnsafe(ready, [0, 1], spoolTarget(missing, "https://api.example"), writer, report);
    expect(written.size).toBe(0);
    expect(accountForUnsafe(ready, new Set([0, 1]), 0, missing).code).toBe(1);
  });

  test("an event too large for a spool file is named, and only its own alert's later events wait behind it", async () => {
    const directory = await mkdtemp(join(tmpdir(), "flash-call-batch-exit-"));
    const huge = { title_rule: "huge", event_status: "Warning", alert_key: "a2", description: "x" } as const;
    const oversized: ReadyEvent[] = [
      ready[0] as ReadyEvent,
      // Over the size a spool file may have: refused by the writer, not by any Flashduty limit of this test.
      { location: "line 2", event: { ...huge, labels: { blob: "y".repeat(MAX_SPOOL_ENTRY_BYTES) } } },
      { location: "line 3", event: { title_rule: "t3", event_status: "Ok", alert_key: "a2" } },
      ready[3] as ReadyEvent,
      { location: "line 5", event: { title_rule: "t5", event_status: "Info" } },
    ];
    const written = spoolUnsafe(
      oversized,
      [0, 1, 2, 3, 4],
      spoolTarget(directory, "https://api.example"),
      writer,
      report,
    );
    // The alert a2's Ok must not be flushed before its Warning, which the user has to send again.
    expect([...written.keys()]).toEqual([0, 3, 4]);
    const names = (await readdir(directory)).sort();
    const entries = await Promise.all(
      names.map(async (name) => JSON.parse(await readFile(join(directory, name), "utf8"))),
    );
    expect(entries.map((entry) => entry.event.title_rule)).toEqual(["t1", "t4", "t5"]);
    const unsafe = new Set([...oversized.keys()].filter((index) => !written.has(index)));
    const account = accountForUnsafe(oversized, unsafe, 0, directory);
    expect(account.code).toBe(1);
    expect(account.lines[0]).toContain(
      "2 of 5 events not delivered and not known to be in the spool; send them again: lines 2-3",
    );
  });
});
