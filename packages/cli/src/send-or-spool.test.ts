import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { errorFromResponse, FlashdutyNetworkError } from "@flash-call/errors";
import { beforeEach, describe, expect, it } from "vitest";
import { failureLines, type SpoolTarget, sendOrSpool, shouldSpool, spoolTarget } from "./send-or-spool.js";

const event = { title_rule: "t", event_status: "Critical" as const, alert_key: "disk-1" };
const delivered = { request_id: "req-1", data: { alert_key: "disk-1" } };
let spool: SpoolTarget;
const warnings: string[] = [];
const warn = (message: string) => warnings.push(message);

beforeEach(async () => {
  spool = spoolTarget(join(await mkdtemp(join(tmpdir(), "flash-call-send-")), "spool"), "http://x");
  warnings.length = 0;
});

const unauthorized = () => errorFromResponse(401, { error: { code: "Unauthorized", message: "no" } });
const entries = async () => (await readdir(spool.directory)).filter((name) => name.endsWith(".json"));

describe("shouldSpool", () => {
  it("keeps what may succeed later, not what never will", () => {
    expect(shouldSpool(new FlashdutyNetworkError("down"))).toBe(true);
    expect(shouldSpool(unauthorized())).toBe(false);
    expect(shouldSpool(new Error("plain"))).toBe(false);
  });
});

describe("sendOrSpool", () => {
  it("delivered: the write-ahead copy is on disk while sending, and gone after", async () => {
    let during: string[] = [];
    const delivery = await sendOrSpool(
      { event },
      {
        send: async () => {
          during = await readdir(spool.directory);
          return delivered;
        },
        spool,
        waitsBehind: () => false,
        warn,
      },
    );
    expect(delivery).toEqual({ outcome: "delivered", result: delivered });
    expect(during).toEqual([expect.stringMatching(/^\.claimed-/)]);
    expect(await readdir(spool.directory)).toEqual([]);
  });

  it("a failure worth retrying later stays spooled with its reason; any other failure leaves nothing", async () => {
    const kept = await sendOrSpool(
      { event },
      {
        send: () => Promise.reject(new FlashdutyNetworkError("connection refused")),
        spool,
        waitsBehind: () => false,
        warn,
      },
    );
    expect(kept).toMatchObject({ outcome: "spooled", report: { code: "NetworkError" } });
    const [name] = await entries();
    expect(JSON.parse(await readFile(join(spool.directory, name ?? ""), "utf8"))).toMatchObject({
      endpoint: "alert",
      base_url: "http://x",
      reason: { code: "NetworkError" },
    });
    const refused = await sendOrSpool(
      { event: { ...event, alert_key: "other" } },
      {
        send: () => Promise.reject(unauthorized()),
        spool,
        waitsBehind: () => false,
        warn,
      },
    );
    expect(refused).toMatchObject({ outcome: "failed", report: { code: "Unauthorized" } });
    expect(await entries()).toEqual([name]);
  });

  it("an event whose alert waits in the spool is spooled behind it, unsent", async () => {
    let sent = false;
    const delivery = await sendOrSpool(
      { event },
      {
        send: async () => {
          sent = true;
          return delivered;
        },
        spool,
        waitsBehind: (alertKey) => alertKey === "disk-1",
        warn,
      },
    );
    expect(sent).toBe(false);
    expect(delivery).toMatchObject({ outcome: "spooled", report: { code: "QueuedBehind" } });
    expect(await entries()).toHaveLength(1);
  });

  it("once stopped, sends nothing and keeps the event", async () => {
    const stop = new AbortController();
    stop.abort("SIGTERM");
    const delivery = await sendOrSpool(
      { event },
      {
        send: () => Promise.reject(new Error("must not be called")),
        spool,
        waitsBehind: () => false,
        stop: stop.signal,
        warn,
      },
    );
    expect(delivery).toMatchObject({ outcome: "spooled", report: { code: "Stopped" } });
  });

  it("a spool that cannot be written: sent without a copy, and a failure says it could not be spooled", async () => {
    const file = join(spool.directory, "..", "a-file");
    await writeFile(file, "");
    const unwritable = spoolTarget(join(file, "spool"), "http://x");
    const delivery = await sendOrSpool(
      { event },
      {
        send: () => Promise.reject(new FlashdutyNetworkError("down")),
        spool: unwritable,
        waitsBehind: () => false,
        warn,
      },
    );
    expect(delivery.outcome).toBe("failed");
    expect(warnings).toEqual([
      expect.stringMatching(/could not write the event to the spool .* sending without a copy/),
    ]);
    if (delivery.outcome === "failed") {
      const lines = failureLines(delivery, "line 1");
      expect(lines[0]).toMatch(/^line 1: NetworkError: /);
      expect(lines.at(-1)).toMatch(/^and could not spool it: /);
    }
  });

  it("a change is spooled as a change, and held behind an earlier event of its change_key only", async () => {
    const change = { title: "Deploy", change_status: "Done" as const, change_key: "disk-1" };
    const asked: string[] = [];
    const kept = await sendOrSpool(
      { endpoint: "change", event: change },
      {
        send: () => Promise.reject(new FlashdutyNetworkError("down")),
        spool,
        waitsBehind: (key) => {
          asked.push(key);
          return false;
        },
        warn,
      },
    );
    expect(asked).toEqual(["disk-1"]);
    expect(kept).toMatchObject({ outcome: "spooled", report: { code: "NetworkError" } });
    const [name = ""] = await entries();
    expect(name).toMatch(/-c[0-9a-f]{16}\.json$/);
    expect(JSON.parse(await readFile(join(spool.directory, name), "utf8"))).toMatchObject({
      endpoint: "change",
      event: change,
    });
    const behind = await sendOrSpool(
      { endpoint: "change", event: { ...change, change_status: "Canceled" } },
      { send: () => Promise.reject(new Error("must not be called")), spool, waitsBehind: () => true, warn },
    );
    expect(behind).toMatchObject({
      outcome: "spooled",
      report: { code: "QueuedBehind", message: expect.stringContaining("change_key disk-1") },
    });
  });
});
