import { mkdtemp, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registerSecret } from "@flash-call/errors";
import { beforeEach, describe, expect, it } from "vitest";
import { listSetAside, restoreSetAside, SET_ASIDE_FORMAT } from "./set-aside.js";
import { claimSpoolFile } from "./spool-claim.js";
import { listSpool } from "./spool-contents.js";
import { writeSpoolEntry } from "./spool-write.js";

const event = { title_rule: "t", event_status: "Critical" as const, alert_key: "k" };
let directory: string;

beforeEach(async () => {
  directory = join(await mkdtemp(join(tmpdir(), "flash-call-spool-")), "spool");
});

describe("set aside", () => {
  it("sets aside with a redacted reason, lists it, and puts it back in its place", async () => {
    const secret = "spool-unit-secret-9f8e7d6c5b4a";
    registerSecret(secret);
    const first = await writeSpoolEntry(
      directory,
      { event: { ...event, alert_key: "first" } },
      { now: 1_000 },
    );
    const later = await writeSpoolEntry(
      directory,
      { event: { ...event, alert_key: "later" } },
      { now: 2_000 },
    );
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
        endpoint: "alert",
        event: { ...event, alert_key: "first", event_time: 1 },
        reason: expect.objectContaining({ code: "InvalidParameter", request_id: "req-1" }),
      },
    ]);
    expect(await restoreSetAside(directory, first)).toBe(true);
    expect(await restoreSetAside(directory, first)).toBe(false);
    expect(await listSpool(directory)).toEqual([first, later]);
    expect(await listSetAside(directory)).toEqual([]);
  });

  it("lists a set-aside file whose sidecar is missing, and an unreadable one", async () => {
    const name = await writeSpoolEntry(directory, { event });
    await rename(join(directory, name), join(directory, `${name}.rejected`));
    const garbled = await writeSpoolEntry(directory, { event });
    await writeFile(join(directory, garbled), "garbage");
    await expect(claimSpoolFile(directory, garbled)).rejects.toThrow(/unreadable/);
    const listed = await listSetAside(directory);
    expect(listed.map((entry) => entry.name).sort()).toEqual([name, garbled].sort());
    expect(listed.find((entry) => entry.name === name)).toEqual({
      name,
      endpoint: "alert",
      event: { ...event, event_time: expect.any(Number) },
    });
    expect(listed.find((entry) => entry.name === garbled)?.reason?.code).toBe("Unreadable");
  });

  it("lists and restores a set-aside change as a change", async () => {
    const change = { title: "Deploy", change_status: "Done" as const, change_key: "deploy-42" };
    const name = await writeSpoolEntry(directory, { endpoint: "change", event: change }, { now: 1_000 });
    await (await claimSpoolFile(directory, name))?.setAside({ code: "InvalidParameter", message: "no" });
    expect(await listSetAside(directory)).toEqual([
      {
        name,
        endpoint: "change",
        event: { ...change, event_time: 1 },
        reason: expect.objectContaining({ code: "InvalidParameter" }),
      },
    ]);
    expect(await restoreSetAside(directory, name)).toBe(true);
    expect(await listSpool(directory)).toEqual([name]);
  });

  it("reads a planted sidecar whose message is no text (nested too deep to convert) as no message, and lists the rest", async () => {
    const names: string[] = [];
    for (const alert_key of ["planted", "other"]) {
      const name = await writeSpoolEntry(directory, { event: { ...event, alert_key } });
      await (await claimSpoolFile(directory, name))?.setAside({ code: "InvalidParameter", message: "blank" });
      names.push(name);
    }
    const [planted, other] = names;
    const depth = 2_000_000;
    await writeFile(
      join(directory, `${planted}.reason.json`),
      `{"format":"${SET_ASIDE_FORMAT}","code":"InvalidParameter","message":${"[".repeat(depth)}${"]".repeat(depth)}}`,
    );
    const listed = await listSetAside(directory);
    expect(listed.map((entry) => entry.name)).toEqual([...names].sort());
    expect(listed.find((entry) => entry.name === planted)?.reason).toMatchObject({
      code: "InvalidParameter",
      message: "",
    });
    expect(listed.find((entry) => entry.name === other)?.reason?.message).toBe("blank");
    // So --retry-set-aside, which lists them first, puts both back.
    for (const { name } of listed) expect(await restoreSetAside(directory, name)).toBe(true);
    expect((await readdir(directory)).sort()).toEqual([...names].sort());
  });
});
