import { spawnSync } from "node:child_process";
import { lstat, mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { claimSpoolFile, UnreadableEntryError } from "./spool-claim.js";
import { listSpool } from "./spool-contents.js";
import { SPOOL_FORMAT, SpoolRefusedError } from "./spool-entry.js";
import { writeSpoolEntry } from "./spool-write.js";

const event = { title_rule: "t", event_status: "Critical" as const, alert_key: "k" };
let directory: string;

beforeEach(async () => {
  directory = join(await mkdtemp(join(tmpdir(), "flash-call-spool-")), "spool");
});

describe("claimSpoolFile", () => {
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

  it("complete deletes, setAside keeps as .rejected with its reason beside it", async () => {
    const done = await writeSpoolEntry(directory, { event });
    const bad = await writeSpoolEntry(directory, { event });
    await (await claimSpoolFile(directory, done))?.complete();
    await (await claimSpoolFile(directory, bad))?.setAside({ code: "InvalidParameter", message: "bad" });
    expect((await readdir(directory)).sort()).toEqual([`${bad}.reason.json`, `${bad}.rejected`]);
  });

  it("sets aside a file that is not a spool entry", async () => {
    const name = await writeSpoolEntry(directory, { event });
    await writeFile(join(directory, name), "garbage");
    await expect(claimSpoolFile(directory, name)).rejects.toThrow(/unreadable/);
    expect((await readdir(directory)).sort()).toEqual([`${name}.reason.json`, `${name}.rejected`]);
  });

  it("sets aside an entry that is not valid UTF-8 rather than decode it into another event", async () => {
    const name = await writeSpoolEntry(directory, { event });
    const text = await readFile(join(directory, name));
    const at = text.indexOf('"t"') + 2;
    // A byte that is no UTF-8 at all, inside the title: lenient decoding would send "t\uFFFD".
    await writeFile(
      join(directory, name),
      Buffer.concat([text.subarray(0, at), Buffer.from([0xff]), text.subarray(at)]),
    );
    const claiming = claimSpoolFile(directory, name);
    await expect(claiming).rejects.toBeInstanceOf(UnreadableEntryError);
    await expect(claiming).rejects.toThrow(/not valid UTF-8/);
    expect((await readdir(directory)).sort()).toEqual([`${name}.reason.json`, `${name}.rejected`]);
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

  it("reads an old alert entry without endpoint as an alert; sets aside an unknown or misnamed endpoint", async () => {
    await mkdir(directory, { recursive: true });
    const old = "001714564800000-123-000001-0a1b2c3d-n.json";
    await writeFile(join(directory, old), JSON.stringify({ format: SPOOL_FORMAT, created_at: "", event }));
    const claim = await claimSpoolFile(directory, old);
    expect(claim?.entry.endpoint).toBeUndefined();
    expect(claim?.entry.event).toEqual(event);
    await claim?.release();

    const unknown = "001714564800000-123-000002-0a1b2c3d-n.json";
    const entry = { format: SPOOL_FORMAT, created_at: "", event };
    await writeFile(join(directory, unknown), JSON.stringify({ ...entry, endpoint: "incident" }));
    await expect(claimSpoolFile(directory, unknown)).rejects.toThrow(/neither alert nor change/);
    // A change under an alert's name (or the reverse) would be ordered with the wrong events: not sent.
    const misnamed = "001714564800000-123-000003-0a1b2c3d-n.json";
    await writeFile(join(directory, misnamed), JSON.stringify({ ...entry, endpoint: "change" }));
    await expect(claimSpoolFile(directory, misnamed)).rejects.toThrow(
      /change entry under another kind's name/,
    );
    const change = { title: "t", change_status: "Done" as const, change_key: "c" };
    const asAlert = await writeSpoolEntry(directory, { endpoint: "change", event: change });
    await writeFile(join(directory, asAlert), JSON.stringify({ ...entry, endpoint: "alert" }));
    await expect(claimSpoolFile(directory, asAlert)).rejects.toThrow(/alert entry under another kind's name/);
    expect(await listSpool(directory)).toEqual([old]);
  });
});
