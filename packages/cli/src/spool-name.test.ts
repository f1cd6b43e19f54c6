import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { latestNameTimes, nameEndpoint, nameTimeAfter, orderTag, spoolNameTag } from "./spool-name.js";
import { writeSpoolEntry } from "./spool-write.js";

const event = { title_rule: "t", event_status: "Critical" as const, alert_key: "k" };
let directory: string;

beforeEach(async () => {
  directory = join(await mkdtemp(join(tmpdir(), "flash-call-spool-")), "spool");
});

describe("spool names", () => {
  it("names an entry's alert_key tag, for spool and claim names alike", async () => {
    const name = await writeSpoolEntry(directory, { event });
    const tag = spoolNameTag(name);
    expect(tag).toMatch(/^k[0-9a-f]{16}$/);
    expect(nameEndpoint(name)).toBe("alert");
    expect(spoolNameTag(`.claimed-42-${name}`)).toBe(tag);
    const { alert_key: _unused, ...withoutKey } = event;
    expect(spoolNameTag(await writeSpoolEntry(directory, { event: withoutKey }))).toBeUndefined();
  });

  it("tags a change by its change_key, apart from an alert_key of the same text", async () => {
    const change = { title: "t", change_status: "Done" as const, change_key: "k" };
    const name = await writeSpoolEntry(directory, { endpoint: "change", event: change });
    expect(spoolNameTag(name)).toMatch(/^c[0-9a-f]{16}$/);
    expect(nameEndpoint(name)).toBe("change");
    expect(nameEndpoint(`.claimed-42-${name}`)).toBe("change");
    expect(orderTag("change", "k").slice(2)).toBe(orderTag("alert", "k").slice(2));
    expect(orderTag("change", "k")).not.toBe(orderTag("alert", "k"));
  });

  it("names an entry after its alert's latest one, but never past the 15 digits a name's time holds", () => {
    const latest = latestNameTimes([
      "001700000000500-42-000001-0a1b2c3d-k0123456789abcdef.json",
      ".claimed-7-001700000000900-42-000002-0a1b2c3d-k0123456789abcdef.json",
      "001700000009999-42-000003-0a1b2c3d-k0123456789abcdef.json.rejected",
      "999999999999999-42-000001-0a1b2c3d-kffffffffffffffff.json",
    ]);
    expect(nameTimeAfter(latest, "-k0123456789abcdef", 1_700_000_000_000)).toBe(1_700_000_000_901);
    expect(nameTimeAfter(latest, "-k0123456789abcdef", 1_700_000_001_000)).toBe(1_700_000_001_000);
    expect(nameTimeAfter(latest, "-kffffffffffffffff", 1_700_000_000_000)).toBe(1_700_000_000_000);
    expect(nameTimeAfter(latest, "-n", 5)).toBe(5);
  });
});
