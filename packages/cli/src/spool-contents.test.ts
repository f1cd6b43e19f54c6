import { mkdtemp, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { claimSpoolFile } from "./spool-claim.js";
import { listSpool, pendingKeys, pendingKeysOrWarn } from "./spool-contents.js";
import { SPOOL_FORMAT } from "./spool-entry.js";
import { writeSpoolEntry } from "./spool-write.js";

const event = { title_rule: "t", event_status: "Critical" as const, alert_key: "k" };
let directory: string;

beforeEach(async () => {
  directory = join(await mkdtemp(join(tmpdir(), "flash-call-spool-")), "spool");
});

describe("listSpool, pendingKeys", () => {
  it("knows the alert keys waiting in the spool from the names alone, claimed files included", async () => {
    const waiting = await writeSpoolEntry(directory, { event: { ...event, alert_key: "waiting/é 1" } });
    const claimed = await writeSpoolEntry(directory, { event: { ...event, alert_key: "claimed" } });
    const rejected = await writeSpoolEntry(directory, { event: { ...event, alert_key: "rejected" } });
    const keyless = await writeSpoolEntry(directory, {
      event: { title_rule: "t", event_status: "Info" as const },
    });
    await rename(join(directory, claimed), join(directory, `.claimed-${process.pid}-${claimed}`));
    await (await claimSpoolFile(directory, rejected))?.setAside({ code: "InvalidParameter", message: "bad" });
    await writeFile(join(directory, `.tmp-${process.pid}-${waiting.replace(/\.json$/, "0.json")}`), "{");
    // The key is only hashed into the name: files are not opened (a garbled one still counts).
    await writeFile(join(directory, waiting), "garbage");
    expect(waiting).toMatch(/-k[0-9a-f]{16}\.json$/);
    expect(keyless).toMatch(/-n\.json$/);
    expect(await listSpool(directory)).toEqual([waiting, keyless]);
    const pending = await pendingKeys(directory);
    expect(pending.has("waiting/é 1")).toBe(true);
    expect(pending.has("claimed")).toBe(true);
    expect(pending.has("rejected")).toBe(false);
    expect(pending.has("other")).toBe(false);
    expect((await pendingKeys(join(directory, "nope"))).has("waiting/é 1")).toBe(false);
  });

  it("ignores files named like entries without an alert_key tag: they are no spool entries", async () => {
    const tagged = await writeSpoolEntry(directory, { event: { ...event, alert_key: "new" } });
    const untagged = "001714564800000-123-000001-0a1b2c3d.json";
    await writeFile(
      join(directory, untagged),
      JSON.stringify({ format: SPOOL_FORMAT, created_at: "", event }),
    );
    expect(await listSpool(directory)).toEqual([tagged]);
    const pending = await pendingKeys(directory);
    expect(pending.has("new")).toBe(true);
    expect(pending.has("k")).toBe(false);
  });

  it("knows a change's change_key apart from an alert_key of the same text", async () => {
    const change = { title: "Deploy", change_status: "Processing" as const, change_key: "same" };
    await writeSpoolEntry(directory, { endpoint: "change", event: change });
    const pending = await pendingKeys(directory);
    expect(pending.has("same", "change")).toBe(true);
    expect(pending.has("same")).toBe(false);
    expect(pending.has("other", "change")).toBe(false);
  });
});

describe("pendingKeysOrWarn", () => {
  it("reads the spool's keys, and says so once and answers undefined when the spool cannot be read", async () => {
    const warnings: string[] = [];
    const warn = (line: string) => warnings.push(line);
    await writeSpoolEntry(directory, { event });
    expect((await pendingKeysOrWarn(directory, warn))?.has("k")).toBe(true);
    expect(warnings).toEqual([]);

    // A file where the spool folder should be: not a missing spool (which holds nothing), an unreadable one.
    const notAFolder = join(directory, "not-a-folder");
    await writeFile(notAFolder, "");
    expect(await pendingKeysOrWarn(notAFolder, warn)).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^could not read the spool .*not-a-folder \(.+\); sending anyway$/);
  });
});
