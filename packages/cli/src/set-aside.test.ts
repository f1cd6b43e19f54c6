import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { listSetAside, restoreSetAside, SET_ASIDE_FORMAT, setAsideFile } from "./set-aside.js";
import { claimSpoolFile } from "./spool-claim.js";
import { claimName } from "./spool-name.js";
import { writeSpoolEntry } from "./spool-write.js";

const event = { title_rule: "t", event_status: "Critical" as const, alert_key: "k" };
let directory: string;

beforeEach(async () => {
  directory = join(await mkdtemp(join(tmpdir(), "flash-call-set-aside-")), "spool");
});

/** Writes an entry and sets it aside as a flush does, with `reason`; returns its spool name. */
async function setAside(
  reason = { code: "InvalidParameter", message: "title_rule is blank" },
): Promise<string> {
  const name = await writeSpoolEntry(directory, { event });
  await claimSpoolFile(directory, name);
  await setAsideFile(directory, name, join(directory, claimName(name)), reason);
  return name;
}

describe("listSetAside", () => {
  it("reads a planted sidecar whose message is no text (nested too deep to convert) as no message, and lists the rest", async () => {
    const planted = await setAside();
    const other = await setAside();
    const depth = 2_000_000;
    await writeFile(
      join(directory, `${planted}.reason.json`),
      `{"format":"${SET_ASIDE_FORMAT}","code":"InvalidParameter","message":${"[".repeat(depth)}${"]".repeat(depth)}}`,
    );
    const listed = await listSetAside(directory);
    expect(listed.map((entry) => entry.name)).toEqual([planted, other].sort());
    expect(listed.find((entry) => entry.name === planted)?.reason).toMatchObject({
      code: "InvalidParameter",
      message: "",
    });
    expect(listed.find((entry) => entry.name === other)?.reason?.message).toBe("title_rule is blank");

    // So --retry-set-aside, which lists them first, puts both back.
    for (const { name } of listed) expect(await restoreSetAside(directory, name)).toBe(true);
    expect((await readdir(directory)).sort()).toEqual([planted, other].sort());
  });
});
