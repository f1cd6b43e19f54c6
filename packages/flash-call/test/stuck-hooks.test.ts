import { UnauthorizedError } from "@flash-call/errors";
import { type MockServer, startMockServer } from "@flash-call/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createFlashCall } from "../src/flash-call.js";
import type { FlashCallOptions } from "../src/options.js";

let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer({ rateLimit: false });
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

/** A hook's promise that never settles. */
const never = () => new Promise<void>(() => {});

/**
 * An instance whose warnings are collected. The attempt timeout, which bounds the wait for a hook, is short enough
 * to keep the test quick and long enough for a local round trip on a loaded machine.
 */
const instance = (options: FlashCallOptions) => {
  const warnings: string[] = [];
  const flashduty = createFlashCall({
    pushUrl: mock.pushUrl,
    timeoutMs: 400,
    backoff: { baseMs: 1, maxMs: 1 },
    logger: { warn: (line) => warnings.push(line) },
    ...options,
  });
  return { flashduty, warnings };
};

const event = { title_rule: "stuck hook", event_status: "Warning", alert_key: "stuck" } as const;

describe("a hook that never settles", () => {
  test.each(["onRequest", "onResponse"] as const)(
    "%s: the push still completes, and the hook is reported once, without the key",
    async (name) => {
      const { flashduty, warnings } = instance({ [name]: never });
      await expect(flashduty.push(event)).resolves.toMatchObject({ data: { alert_key: "stuck" } });
      await expect(flashduty.push(event)).resolves.toMatchObject({ data: { alert_key: "stuck" } });
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`the ${name} hook had not settled after 400 ms`);
      expect(warnings[0]).not.toContain(mock.integrationKey.slice(0, 8));
    },
  );

  test("onRetry: the retry still happens and the push completes", async () => {
    const { flashduty, warnings } = instance({ onRetry: never, maxRetries: 1 });
    mock.failNext("InternalError");
    await expect(flashduty.push(event)).resolves.toMatchObject({ data: { alert_key: "stuck" } });
    expect(mock.requests).toHaveLength(2);
    expect(warnings).toEqual([expect.stringContaining("the onRetry hook had not settled")]);
  });

  test("onError: the push fails with its own typed error", async () => {
    const { flashduty } = instance({ onError: never });
    mock.failNext("Unauthorized");
    await expect(flashduty.push(event)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  test("a second event of the same alert_key in the queue is not blocked behind it", async () => {
    const { flashduty } = instance({ onResponse: never });
    const sent = [
      flashduty.enqueue(event),
      flashduty.enqueue({ ...event, event_status: "Ok" }),
      flashduty.enqueue({ ...event, event_status: "Critical" }),
    ];
    await expect(Promise.all(sent)).resolves.toHaveLength(3);
    expect(mock.events.map((received) => received.event_status)).toEqual(["Warning", "Ok", "Critical"]);
  });

  test("onRequest does not keep a pacing slot: a second push of the same key goes while it hangs", async () => {
    let first = true;
    const { flashduty } = instance({
      // Only one request may be in flight per second: a hook holding that slot would hold every later push.
      rateLimit: { perSecond: 1, perMinute: 100 },
      onRequest: () => {
        if (!first) return;
        first = false;
        return never();
      },
    });
    const stuck = flashduty.push({ ...event, title_rule: "first" });
    // Goes through while the first push's hook is still pending.
    await expect(flashduty.push({ ...event, title_rule: "second" })).resolves.toBeDefined();
    // The first is sent in its turn, one second after the second's answer.
    await expect(stuck).resolves.toBeDefined();
    expect(mock.events.map((received) => received.title_rule)).toEqual(["second", "first"]);
  });
});
