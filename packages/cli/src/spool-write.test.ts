import { mkdir, mkdtemp, readdir, readFile, rename, stat, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { listSpool, pendingKeys } from "./spool-contents.js";
import { checkSpoolDirectory } from "./spool-directory.js";
import { MAX_SPOOL_ENTRY_BYTES, SPOOL_FORMAT, SpoolRefusedError } from "./spool-entry.js";
import { recoverStaleClaims } from "./spool-recovery.js";
import {
  type SpoolNaming,
  writeAheadEntry,
  writeSpoolEntriesSync,
  writeSpoolEntry,
  writeSpoolEntrySync,
} from "./spool-write.js";

const event = { title_rule: "t", event_status: "Critical" as const, alert_key: "k" };
let directory: string;

beforeEach(async () => {
  directory = join(await mkdtemp(join(tmpdir(), "flash-call-spool-")), "spool");
});

describe("writeSpoolEntry, writeAheadEntry", () => {
  it("refuses an entry larger than a spool file may be to be read back, and writes nothing", async () => {
    // A change's title is one field the spec does not bound.
    const title = "t".repeat(MAX_SPOOL_ENTRY_BYTES);
    const huge = {
      endpoint: "change" as const,
      event: { title, change_status: "Done" as const, change_key: "c" },
    };
    await expect(writeSpoolEntry(directory, huge)).rejects.toBeInstanceOf(SpoolRefusedError);
    await expect(writeAheadEntry(directory, huge)).rejects.toThrow(/a spool file may hold to be read back/);
    expect(await listSpool(directory)).toEqual([]);
    expect((await readdir(directory)).filter((name) => name.startsWith("."))).toEqual([]);
  });

  it("writes entries atomically, privately, without leftovers, in sortable order", async () => {
    const names = [];
    for (let index = 0; index < 5; index += 1)
      names.push(
        await writeSpoolEntry(directory, { event: { ...event, alert_key: `k${index}` } }, { now: 1_000 }),
      );
    expect(await listSpool(directory)).toEqual(names);
    expect((await readdir(directory)).filter((name) => name.startsWith("."))).toEqual([]);
    const entry = JSON.parse(await readFile(join(directory, names[0] ?? ""), "utf8"));
    expect(entry).toMatchObject({ format: SPOOL_FORMAT, event: { alert_key: "k0" } });
    expect((await stat(join(directory, names[0] ?? ""))).mode & 0o777).toBe(0o600);
    expect((await stat(directory)).mode & 0o777).toBe(0o700);
  });

  it("orders by time first", async () => {
    const later = await writeSpoolEntry(directory, { event: { ...event, alert_key: "b" } }, { now: 2_000 });
    const earlier = await writeSpoolEntry(directory, { event: { ...event, alert_key: "a" } }, { now: 1_000 });
    expect(await listSpool(directory)).toEqual([earlier, later]);
  });

  it("names an alert's later entry after its earlier ones even when the clock went back, dating it by the clock", async () => {
    const trigger = await writeSpoolEntry(directory, { event }, { now: 1_714_564_860_000 });
    const claimed = await writeSpoolEntry(directory, { event }, { now: 1_714_564_870_000 });
    await rename(join(directory, claimed), join(directory, `.claimed-1-${claimed}`));
    // A minute back, as after an NTP step: the resolution must still be sent after the trigger.
    const resolution = await writeSpoolEntry(
      directory,
      { event: { ...event, event_status: "Ok" } },
      { now: 1_714_564_810_000 },
    );
    const other = await writeSpoolEntry(
      directory,
      { event: { ...event, alert_key: "other" } },
      { now: 1_000 },
    );
    expect(await listSpool(directory)).toEqual([other, trigger, resolution]);
    expect(resolution.startsWith("001714564870001-")).toBe(true);
    const written = JSON.parse(await readFile(join(directory, resolution), "utf8"));
    expect(written).toMatchObject({
      created_at: new Date(1_714_564_810_000).toISOString(),
      event: { event_time: 1_714_564_810 },
    });
  });

  it("a run's writes share what it read of the spool's names: read once, and kept in order by its own writes", async () => {
    const before = await writeSpoolEntry(directory, { event }, { now: 9_000 });
    const naming: SpoolNaming = { latest: new Map() };
    // A write-ahead reads nothing; the run only notes the name it made.
    const ahead = await writeAheadEntry(directory, { event }, { now: 1_000, naming });
    expect(naming.read).toBeUndefined();
    expect([...naming.latest.values()]).toEqual([1_000]);
    await ahead.release();
    const first = await writeSpoolEntry(directory, { event }, { now: 2_000, naming });
    expect(naming.read).toBeDefined();
    // Another process's entry, named after the read: this run no longer reads the directory for it.
    const theirs = await writeSpoolEntry(directory, { event }, { now: 50_000 });
    const clockBack = await writeAheadEntry(directory, { event }, { now: 3_000, naming });
    await clockBack.release();
    const second = await writeSpoolEntry(directory, { event }, { now: 4_000, naming });
    expect(await listSpool(directory)).toEqual([ahead.name, before, first, clockBack.name, second, theirs]);
    // The run's own order holds whatever the clock did: each after the one before.
    expect([first, clockBack.name, second].map((name) => Number(name.slice(0, 15)))).toEqual([
      9_001, 9_002, 9_003,
    ]);
  });

  it("a run's write-ahead that is not on disk when the run reads the spool still comes before the run's next entries", async () => {
    // The run's first read races its own write-ahead, as a batch's first events do.
    const naming: SpoolNaming = { latest: new Map() };
    const other = { ...event, alert_key: "other" };
    await writeSpoolEntry(directory, { event: other }, { now: 5_000 });
    const [, ahead] = await Promise.all([
      writeSpoolEntry(directory, { event: other }, { now: 5_000, naming }),
      writeAheadEntry(directory, { event }, { now: 5_000, naming }),
    ]);
    await ahead.release();
    // The clock went back: the next entry of the alert must still come after the one written ahead.
    const behind = await writeSpoolEntry(directory, { event }, { now: 4_000, naming });
    expect((await listSpool(directory)).filter((name) => name === ahead.name || name === behind)).toEqual([
      ahead.name,
      behind,
    ]);
  });

  it("many first writes at once read the spool once between them, and lose none of their names", async () => {
    const naming: SpoolNaming = { latest: new Map() };
    const names = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        writeSpoolEntry(
          directory,
          { event: { ...event, alert_key: `k${index % 4}` } },
          { now: 1_000, naming },
        ),
      ),
    );
    expect(new Set(names).size).toBe(20);
    // Each alert's five entries are named one after another, whichever write read the directory.
    expect([...naming.latest.values()].sort()).toEqual([1_004, 1_004, 1_004, 1_004]);
  });

  it("a run's writes at an immediate exit read the spool afresh, and its writes after them keep to what they wrote", async () => {
    const naming: SpoolNaming = { latest: new Map() };
    await writeSpoolEntry(directory, { event }, { now: 1_000, naming });
    // Written meanwhile where the run's map does not see it (another process, say).
    const theirs = await writeSpoolEntry(directory, { event }, { now: 7_000 });
    const [atExit] = writeSpoolEntriesSync(directory, [{ event }], 2_000, naming);
    const change = {
      endpoint: "change" as const,
      event: { title: "t", change_status: "Done" as const, change_key: "c" },
    };
    writeSpoolEntrySync(directory, change, 3_000, naming);
    const after = await writeSpoolEntry(directory, { event }, { now: 4_000, naming });
    expect(atExit?.startsWith("000000000007001-")).toBe(true);
    expect(after.startsWith("000000000007002-")).toBe(true);
    // The change's entry aside (its tag: -c and a hash).
    expect((await listSpool(directory)).filter((name) => !/-c[0-9a-f]+\.json$/.test(name))).toEqual([
      expect.stringMatching(/^000000000001000-/),
      theirs,
      atExit,
      after,
    ]);
  });

  it("names the entries written at an immediate exit after their alert's entries already in the spool", async () => {
    const trigger = await writeSpoolEntry(directory, { event }, { now: 5_000 });
    const names = writeSpoolEntriesSync(
      directory,
      [{ event: { ...event, event_status: "Warning" } }, { event: { ...event, event_status: "Ok" } }],
      1_000,
    );
    expect(await listSpool(directory)).toEqual([trigger, ...names]);
  });

  it("dates an event without event_time at spooling time, and keeps an event_time it has", async () => {
    const undated = await writeSpoolEntry(directory, { event }, { now: 1_714_564_800_999 });
    const dated = await writeSpoolEntry(
      directory,
      { event: { ...event, event_time: 1_000 } },
      { now: 1_714_564_800_999 },
    );
    const read = async (name: string) => JSON.parse(await readFile(join(directory, name), "utf8")).event;
    expect(await read(undated)).toEqual({ ...event, event_time: 1_714_564_800 });
    expect(await read(dated)).toEqual({ ...event, event_time: 1_000 });
  });

  it("writes ahead: the entry is on disk, claimed by this process, before anything is sent", async () => {
    const claim = await writeAheadEntry(directory, { event, base_url: "http://127.0.0.1:9" });
    expect(await readdir(directory)).toEqual([`.claimed-${process.pid}-${claim.name}`]);
    // Its alert counts as pending for later events, a flush leaves it alone, and it is not stale.
    expect((await pendingKeys(directory)).has("k")).toBe(true);
    expect(await listSpool(directory)).toEqual([]);
    expect(await recoverStaleClaims(directory)).toBe(0);
    await claim.release({ code: "NetworkError", message: "down", status: 0 });
    expect(await listSpool(directory)).toEqual([claim.name]);
    const entry = JSON.parse(await readFile(join(directory, claim.name), "utf8"));
    expect(entry).toMatchObject({
      base_url: "http://127.0.0.1:9",
      reason: { code: "NetworkError", message: "down" },
    });
    expect((await readdir(directory)).filter((name) => name.startsWith("."))).toEqual([]);
  });

  it("refuses a spool directory that is a symbolic link, for reading and writing", async () => {
    const real = join(directory, "..", "real");
    await mkdir(real);
    await symlink(real, directory);
    await expect(checkSpoolDirectory(directory)).rejects.toThrow(/is a symbolic link/);
    await expect(writeSpoolEntry(directory, { event })).rejects.toBeInstanceOf(SpoolRefusedError);
    await expect(writeAheadEntry(directory, { event })).rejects.toBeInstanceOf(SpoolRefusedError);
    expect(await readdir(real)).toEqual([]);
  });
});
