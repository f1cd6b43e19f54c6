import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { spoolNameTag } from "./spool-name.js";
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
    expect(tag).toMatch(/^[0-9a-f]{16}$/);
    expect(spoolNameTag(`.claimed-42-${name}`)).toBe(tag);
    const { alert_key: _unused, ...withoutKey } = event;
    expect(spoolNameTag(await writeSpoolEntry(directory, { event: withoutKey }))).toBeUndefined();
  });
});
