import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { claimSpoolFile, listSpool, recoverStaleClaims, SPOOL_FORMAT, writeSpoolEntry } from "./spool.js";

const event = { title_rule: "t", event_status: "Critical" as const, alert_key: "k" };
let directory: string;

beforeEach(async () => {
  directory = join(await mkdtemp(join(tmpdir(), "flash-call-spool-")), "spool");
});

function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  return child.pid ?? 999_999;
}

describe("spool", () => {
  it("writes entries atomically, privately, without leftovers, in sortable order", async () => {
    const names = [];
    for (let index = 0; index < 5; index += 1)
      names.push(await writeSpoolEntry(directory, { event: { ...event, alert_key: `k${index}` } }, 1_000));
    expect(await listSpool(directory)).toEqual(names);
    expect((await readdir(directory)).filter((name) => name.startsWith("."))).toEqual([]);
    const entry = JSON.parse(await readFile(join(directory, names[0] ?? ""), "utf8"));
    expect(entry).toMatchObject({ format: SPOOL_FORMAT, event: { alert_key: "k0" } });
    expect((await stat(join(directory, names[0] ?? ""))).mode & 0o777).toBe(0o600);
    expect((await stat(directory)).mode & 0o777).toBe(0o700);
  });

  it("orders by time first", async () => {
    const later = await writeSpoolEntry(directory, { event }, 2_000);
    const earlier = await writeSpoolEntry(directory, { event }, 1_000);
    expect(await listSpool(directory)).toEqual([earlier, later]);
  });

  it("lets exactly one of two claimers have a file", async () => {
    const name = await writeSpoolEntry(directory, { event, base_url: "http://127.0.0.1:1" });
    const [first, second] = await Promise.all([
      claimSpoolFile(directory, name),
      claimSpoolFile(directory, name),
    ]);
    const claims = [first, second].filter((claim) => claim !== undefined);
    expect(claims).toHaveLength(1);
    expect(claims[0]?.entry.base_url).toBe("http://127.0.0.1:1");
    expect(await listSpool(directory)).toEqual([]);
    await claims[0]?.release();
    expect(await listSpool(directory)).toEqual([name]);
  });

  it("complete deletes, reject keeps as .rejected", async () => {
    const done = await writeSpoolEntry(directory, { event });
    const bad = await writeSpoolEntry(directory, { event });
    await (await claimSpoolFile(directory, done))?.complete();
    await (await claimSpoolFile(directory, bad))?.reject();
    expect(await readdir(directory)).toEqual([`${bad}.rejected`]);
  });

  it("recovers claims of dead processes, not of live ones, and drops their temp files", async () => {
    const name = await writeSpoolEntry(directory, { event });
    const live = await writeSpoolEntry(directory, { event });
    const dead = deadPid();
    await rename(join(directory, name), join(directory, `.claimed-${dead}-${name}`));
    await rename(join(directory, live), join(directory, `.claimed-${process.pid}-${live}`));
    await writeFile(join(directory, `.tmp-${dead}-x.json`), "{");
    expect(await recoverStaleClaims(directory)).toBe(1);
    expect((await readdir(directory)).sort()).toEqual([`.claimed-${process.pid}-${live}`, name].sort());
  });

  it("treats a missing directory as empty", async () => {
    expect(await listSpool(join(directory, "nope"))).toEqual([]);
    expect(await recoverStaleClaims(join(directory, "nope"))).toBe(0);
  });

  it("sets aside a file that is not a spool entry", async () => {
    const name = await writeSpoolEntry(directory, { event });
    await writeFile(join(directory, name), "garbage");
    await expect(claimSpoolFile(directory, name)).rejects.toThrow(/unreadable/);
    expect(await readdir(directory)).toEqual([`${name}.rejected`]);
  });
});
