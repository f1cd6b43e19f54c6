import { chmod, mkdir, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { checkSpoolDirectory } from "./spool-directory.js";
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
