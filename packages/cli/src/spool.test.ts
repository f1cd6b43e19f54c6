import { spawnSync } from "node:child_process";
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registerSecret } from "@flash-call/errors";
import { beforeEach, describe, expect, it } from "vitest";
import {
  checkSpoolDirectory,
  claimSpoolFile,
  listSetAside,
  listSpool,
  pendingAlertKeys,
  recoverStaleClaims,
  restoreSetAside,
  SPOOL_FORMAT,
  SpoolRefusedError,
  spoolNameTag,
  writeAheadEntry,
  writeSpoolEntry,
} from "./spool.js";

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

  it("names an entry's alert_key tag, for spool and claim names alike", async () => {
    const name = await writeSpoolEntry(directory, { event });
    const tag = spoolNameTag(name);
    expect(tag).toMatch(/^[0-9a-f]{16}$/);
    expect(spoolNameTag(`.claimed-42-${name}`)).toBe(tag);
    const { alert_key: _unused, ...withoutKey } = event;
    expect(spoolNameTag(await writeSpoolEntry(directory, { event: withoutKey }))).toBeUndefined();
  });

  it("complete deletes, setAside keeps as .rejected with its reason beside it", async () => {
    const done = await writeSpoolEntry(directory, { event });
    const bad = await writeSpoolEntry(directory, { event });
    await (await claimSpoolFile(directory, done))?.complete();
    await (await claimSpoolFile(directory, bad))?.setAside({ code: "InvalidParameter", message: "bad" });
    expect((await readdir(directory)).sort()).toEqual([`${bad}.reason.json`, `${bad}.rejected`]);
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

  it("treats a missing directory as empty", async () => {
    expect(await listSpool(join(directory, "nope"))).toEqual([]);
    expect(await recoverStaleClaims(join(directory, "nope"))).toBe(0);
  });

  it("sets aside a file that is not a spool entry", async () => {
    const name = await writeSpoolEntry(directory, { event });
    await writeFile(join(directory, name), "garbage");
    await expect(claimSpoolFile(directory, name)).rejects.toThrow(/unreadable/);
    expect((await readdir(directory)).sort()).toEqual([`${name}.reason.json`, `${name}.rejected`]);
  });

  it("dates an event without event_time at spooling time, and keeps an event_time it has", async () => {
    const undated = await writeSpoolEntry(directory, { event }, 1_714_564_800_999);
    const dated = await writeSpoolEntry(
      directory,
      { event: { ...event, event_time: 1_000 } },
      1_714_564_800_999,
    );
    const read = async (name: string) => JSON.parse(await readFile(join(directory, name), "utf8")).event;
    expect(await read(undated)).toEqual({ ...event, event_time: 1_714_564_800 });
    expect(await read(dated)).toEqual({ ...event, event_time: 1_000 });
  });

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
    const pending = await pendingAlertKeys(directory);
    expect(pending.has("waiting/é 1")).toBe(true);
    expect(pending.has("claimed")).toBe(true);
    expect(pending.has("rejected")).toBe(false);
    expect(pending.has("other")).toBe(false);
    expect((await pendingAlertKeys(join(directory, "nope"))).has("waiting/é 1")).toBe(false);
  });

  it("reads the alert key of entries named by an older version, and lists them", async () => {
    const legacy = "001714564800000-123-000001-0a1b2c3d.json";
    const entry = { format: SPOOL_FORMAT, created_at: "2024-05-01T12:00:00.000Z", event };
    await writeSpoolEntry(directory, { event: { ...event, alert_key: "new" } });
    await writeFile(join(directory, legacy), JSON.stringify(entry));
    await writeFile(join(directory, "001714564800001-123-000002-0a1b2c3d.json"), "garbage");
    const pending = await pendingAlertKeys(directory);
    expect(pending.has("k")).toBe(true);
    expect(pending.has("new")).toBe(true);
    expect((await listSpool(directory))[0]).toBe(legacy);
  });

  it("writes ahead: the entry is on disk, claimed by this process, before anything is sent", async () => {
    const claim = await writeAheadEntry(directory, { event, base_url: "http://127.0.0.1:9" });
    expect(await readdir(directory)).toEqual([`.claimed-${process.pid}-${claim.name}`]);
    // Its alert counts as pending for later events, a flush leaves it alone, and it is not stale.
    expect((await pendingAlertKeys(directory)).has("k")).toBe(true);
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

  it("sets aside with a redacted reason, lists it, and puts it back in its place", async () => {
    const secret = "spool-unit-secret-9f8e7d6c5b4a";
    registerSecret(secret);
    const first = await writeSpoolEntry(directory, { event: { ...event, alert_key: "first" } }, 1_000);
    const later = await writeSpoolEntry(directory, { event: { ...event, alert_key: "later" } }, 2_000);
    await (await claimSpoolFile(directory, first))?.setAside({
      code: "InvalidParameter",
      message: `refused for ${secret}`,
      status: 400,
      request_id: "req-1",
    });
    const sidecar = await readFile(join(directory, `${first}.reason.json`), "utf8");
    expect(sidecar).not.toContain(secret);
    expect(JSON.parse(sidecar)).toMatchObject({
      format: "flash-call-set-aside/1",
      code: "InvalidParameter",
      status: 400,
    });
    expect(await listSpool(directory)).toEqual([later]);
    expect(await listSetAside(directory)).toEqual([
      {
        name: first,
        event: { ...event, alert_key: "first", event_time: 1 },
        reason: expect.objectContaining({ code: "InvalidParameter", request_id: "req-1" }),
      },
    ]);
    expect(await restoreSetAside(directory, first)).toBe(true);
    expect(await restoreSetAside(directory, first)).toBe(false);
    expect(await listSpool(directory)).toEqual([first, later]);
    expect(await listSetAside(directory)).toEqual([]);
  });

  it("lists a set-aside file of an older version (no sidecar) and an unreadable one", async () => {
    const name = await writeSpoolEntry(directory, { event });
    await rename(join(directory, name), join(directory, `${name}.rejected`));
    const garbled = await writeSpoolEntry(directory, { event });
    await writeFile(join(directory, garbled), "garbage");
    await expect(claimSpoolFile(directory, garbled)).rejects.toThrow(/unreadable/);
    const listed = await listSetAside(directory);
    expect(listed.map((entry) => entry.name).sort()).toEqual([name, garbled].sort());
    expect(listed.find((entry) => entry.name === name)).toEqual({
      name,
      event: { ...event, event_time: expect.any(Number) },
    });
    expect(listed.find((entry) => entry.name === garbled)?.reason?.code).toBe("Unreadable");
  });

  it("refuses a symbolic link in the spool: put back unread, not set aside", async () => {
    await mkdir(directory, { recursive: true });
    const outside = join(directory, "..", "outside.json");
    await writeFile(outside, JSON.stringify({ format: SPOOL_FORMAT, event }));
    const name = "001714564800000-123-000001-0a1b2c3d-n.json";
    await symlink(outside, join(directory, name));
    await expect(claimSpoolFile(directory, name)).rejects.toBeInstanceOf(SpoolRefusedError);
    expect((await lstat(join(directory, name))).isSymbolicLink()).toBe(true);
    expect(await readdir(directory)).toEqual([name]);
  });

  it("refuses a FIFO named like an entry without blocking on it", async () => {
    await mkdir(directory, { recursive: true });
    const name = "001714564800000-123-000001-0a1b2c3d-n.json";
    expect(spawnSync("mkfifo", [join(directory, name)]).status).toBe(0);
    await expect(claimSpoolFile(directory, name)).rejects.toThrow(/not a regular file/);
    expect(await readdir(directory)).toEqual([name]);
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
