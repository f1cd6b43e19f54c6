import { tracingChannel } from "node:diagnostics_channel";
import { inspect } from "node:util";
import { startMockServer } from "@flash-call/testing";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createFlashCall } from "./flash-call.js";
import { PUSH_CHANNEL, type PushChannelContext, pushChannel } from "./tracing-channel.js";

let mock: Awaited<ReturnType<typeof startMockServer>>;
beforeAll(async () => {
  mock = await startMockServer({ rateLimit: false });
});
afterAll(async () => {
  await mock.close();
});

type Traced = PushChannelContext & { result?: unknown; error?: unknown };

describe("the flash-call:push tracing channel", () => {
  test("is not used while nobody subscribes", () => {
    expect(pushChannel()).toBeUndefined();
  });

  test("a subscriber sees each push start and end, with its result or typed error, and never the key", async () => {
    const seen: Array<[string, Traced]> = [];
    const handlers = {
      start: (context: unknown) => seen.push(["start", context as Traced]),
      end: () => {},
      asyncStart: () => {},
      asyncEnd: (context: unknown) => seen.push(["asyncEnd", context as Traced]),
      error: (context: unknown) => seen.push(["error", context as Traced]),
    };
    const channel = tracingChannel(PUSH_CHANNEL);
    channel.subscribe(handlers);
    try {
      const flashduty = createFlashCall({ pushUrl: mock.pushUrl, maxRetries: 0, logLevel: "silent" });
      const result = await flashduty.push({
        title_rule: "disk full",
        event_status: "Critical",
        alert_key: "db-1",
      });
      mock.failNext("InvalidParameter");
      await expect(flashduty.push({ title_rule: "x", event_status: "Warning" })).rejects.toBeDefined();
      expect(seen.map(([name]) => name)).toEqual(["start", "asyncEnd", "start", "error", "asyncEnd"]);
      const [first, second] = [seen[0]?.[1], seen[2]?.[1]];
      expect(first).toMatchObject({ alert_key: "db-1", event_status: "Critical", result });
      expect(second?.error).toMatchObject({ code: "InvalidParameter" });
      const text = inspect(seen, { depth: 10 });
      const key = mock.integrationKey;
      for (let start = 0; start + 8 <= key.length; start++)
        expect(text).not.toContain(key.slice(start, start + 8));
    } finally {
      channel.unsubscribe(handlers);
    }
    expect(pushChannel()).toBeUndefined();
  });

  test("a key written into the base URL's path reaches neither the channel nor a hook", async () => {
    const seen: unknown[] = [];
    const handlers = {
      start: (context: unknown) => seen.push({ ...(context as object) }),
      end: () => {},
      asyncStart: () => {},
      asyncEnd: (context: unknown) => seen.push({ ...(context as object) }),
      error: () => {},
    };
    const channel = tracingChannel(PUSH_CHANNEL);
    channel.subscribe(handlers);
    try {
      const key = mock.integrationKey;
      const flashduty = createFlashCall({
        // The key pasted where the path goes: the mock does not know that path, and the push fails.
        baseUrl: `${mock.url}/${key}`,
        integrationKey: key,
        maxRetries: 0,
        logLevel: "silent",
        onRequest: (info) => {
          seen.push(info);
        },
        onError: (info) => {
          seen.push(info);
        },
      });
      await expect(flashduty.push({ title_rule: "x", event_status: "Warning" })).rejects.toMatchObject({
        status: 404,
      });
      expect(seen.length).toBe(4);
      const text = inspect(seen, { depth: 10 });
      expect(text).toContain(mock.url);
      for (let start = 0; start + 8 <= key.length; start++)
        expect(text).not.toContain(key.slice(start, start + 8));
    } finally {
      channel.unsubscribe(handlers);
    }
  });
});
