import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { claimSpoolFile } from "./spool-claim.js";
import { listSpool } from "./spool-contents.js";
import { recoverStaleClaims } from "./spool-recovery.js";
import { writeAheadEntry, writeSpoolEntry } from "./spool-write.js";

const event = { title_rule: "t", event_status: "Critical" as const, alert_key: "k" };
let directory: string;

beforeEach(async () => {
  directory = join(await mkdtemp(join(tmpdir(), "flash-call-spool-")), "spool");
});

function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  return child.pid ?? 999_999;
}

describe("recoverStaleClaims", () => {
  it("recovers a claim with this process's pid that it does not hold (an earlier process with the same pid)", async () => {
    const stranded = await writeSpoolEntry(directory, { event: { ...event, alert_key: "stranded" } });
    await rename(join(directory, stranded), join(directory, `.claimed-${process.pid}-${stranded}`));
    const heldName = await writeSpoolEntry(directory, { event: { ...event, alert_key: "held" } });
    const held = await claimSpoolFile(directory, heldName);
    expect(await recoverStaleClaims(directory)).toBe(1);
    expect(await listSpool(directory)).toEqual([stranded]);
    await held?.release();
    expect(await recoverStaleClaims(directory)).toBe(0);
    expect((await listSpool(directory)).sort()).toEqual([stranded, heldName].sort());
  });

  it("recovers claims of dead processes, not of live ones, and drops their temp files", async () => {
    const name = await writeSpoolEntry(directory, { event });
    const live = await writeSpoolEntry(directory, { event });
    const dead = deadPid();
    await rename(join(directory, name), join(directory, `.claimed-${dead}-${name}`));
    // A live claim: this process holds it.
    await claimSpoolFile(directory, live);
    await writeFile(join(directory, `.tmp-${dead}-x.json`), "{");
    expect(await recoverStaleClaims(directory)).toBe(1);
    expect((await readdir(directory)).sort()).toEqual([`.claimed-${process.pid}-${live}`, name].sort());
  });

  it("a write-ahead copy left by a dead process is recovered like a flush's claim", async () => {
    const claim = await writeAheadEntry(directory, { event });
    const dead = deadPid();
    await rename(
      join(directory, `.claimed-${process.pid}-${claim.name}`),
      join(directory, `.claimed-${dead}-${claim.name}`),
    );
    expect(await recoverStaleClaims(directory)).toBe(1);
    expect(await listSpool(directory)).toEqual([claim.name]);
  });

  it("leaves claims that are not of a spool entry, and goes on past one it cannot put back", async () => {
    const dead = deadPid();
    const stuck = await writeSpoolEntry(directory, { event: { ...event, alert_key: "stuck" } });
    const name = await writeSpoolEntry(directory, { event });
    await rename(join(directory, stuck), join(directory, `.claimed-${dead}-${stuck}`));
    // Its name is taken by a directory that is not empty: the rename back cannot succeed.
    await mkdir(join(directory, stuck, "inside"), { recursive: true });
    await rename(join(directory, name), join(directory, `.claimed-${dead}-${name}`));
    const strangers = [`.claimed-${dead}-..`, `.claimed-${dead}-.`, `.claimed-${dead}-notes.txt`];
    for (const stranger of strangers) await writeFile(join(directory, stranger), "");
    const stuckClaims: string[] = [];
    expect(await recoverStaleClaims(directory, (file) => stuckClaims.push(file))).toBe(1);
    expect(stuckClaims).toEqual([`.claimed-${dead}-${stuck}`]);
    expect((await readdir(directory)).sort()).toEqual(
      [...strangers, `.claimed-${dead}-${stuck}`, name, stuck].sort(),
    );
  });

  it("recovers a claim whose pid no process can have: 0 (this process's own group to kill) or beyond any pid", async () => {
    const names: string[] = [];
    for (const pid of ["0", "00", "4194305", "99999999999999999999"]) {
      const name = await writeSpoolEntry(directory, { event: { ...event, alert_key: `planted-${pid}` } });
      await rename(join(directory, name), join(directory, `.claimed-${pid}-${name}`));
      names.push(name);
    }
    expect(await recoverStaleClaims(directory)).toBe(4);
    expect((await listSpool(directory)).sort()).toEqual(names.sort());
  });

  it("treats a missing directory as empty", async () => {
    expect(await listSpool(join(directory, "nope"))).toEqual([]);
    expect(await recoverStaleClaims(join(directory, "nope"))).toBe(0);
  });
});
