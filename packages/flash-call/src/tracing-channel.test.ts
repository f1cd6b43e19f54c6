import { tracingChannel } from "node:diagnostics_channel";
import { inspect } from "node:util";
import { FlashdutyConfigError } from "@flash-call/errors";
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

  test("a key written into the base URL's path is refused, and reaches neither the channel, a hook nor the error", async () => {
    const seen: unknown[] = [];
    const record = (context: unknown): void => {
      seen.push({ ...(context as object) });
    };
    const handlers = { start: record, end: () => {}, asyncStart: () => {}, asyncEnd: record, error: record };
    const channel = tracingChannel(PUSH_CHANNEL);
    channel.subscribe(handlers);
    try {
      // Never registered before this instance is made: it passes creation, and is refused at the push naming it.
      const key = `path-${mock.integrationKey.split("").reverse().join("")}`;
      const requestsBefore = mock.requests.length;
      const hooks = { onRequest: record, onError: record, maxRetries: 0, logLevel: "silent" } as const;
      const flashduty = createFlashCall({ baseUrl: `${mock.url}/${key}`, ...hooks });
      const refused = await flashduty
        .push({ title_rule: "x", event_status: "Warning" }, { integrationKey: key })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(refused).toBeInstanceOf(FlashdutyConfigError);
      expect(String(refused)).toContain("The base URL holds an integration key (or a piece of one)");
      // Once the key is known, an instance naming both fails at creation.
      expect(() => createFlashCall({ baseUrl: `${mock.url}/${key}`, integrationKey: key })).toThrow(
        FlashdutyConfigError,
      );
      expect(mock.requests).toHaveLength(requestsBefore);
      const text = inspect([seen, refused], { depth: 10 });
      for (let start = 0; start + 8 <= key.length; start++)
        expect(text).not.toContain(key.slice(start, start + 8));
    } finally {
      channel.unsubscribe(handlers);
    }
  });
});
