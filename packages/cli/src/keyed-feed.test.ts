import { type MockServer, startMockServer } from "@flash-call/testing/server";
import { createFlashCall } from "flash-call";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { feedKeyed } from "./keyed-feed.js";

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

let mock: MockServer;

beforeAll(async () => {
  mock = await startMockServer({ rateLimit: false });
});
afterAll(() => mock.close());

describe("feedKeyed", () => {
  it("keeps at most `limit` tasks in flight and returns results in input order", async () => {
    let running = 0;
    let most = 0;
    const items = Array.from({ length: 50 }, (_, index) => index);
    const results = await feedKeyed(
      items,
      () => undefined,
      7,
      async (item) => {
        running += 1;
        most = Math.max(most, running);
        await tick();
        running -= 1;
        return item * 2;
      },
    );
    expect(most).toBe(7);
    expect(results).toEqual(items.map((item) => item * 2));
  });

  it("runs items of one key one after another, in input order, each after the previous settled", async () => {
    const items = ["a", "b", "a", "c", "a", "b"].map((key, index) => ({ key, index }));
    const log: string[] = [];
    const running = new Set<string>();
    await feedKeyed(
      items,
      (item) => item.key,
      10,
      async (item) => {
        expect(running.has(item.key)).toBe(false);
        running.add(item.key);
        log.push(`${item.key}${item.index}`);
        await tick();
        running.delete(item.key);
      },
    );
    expect(log.filter((entry) => entry.startsWith("a"))).toEqual(["a0", "a2", "a4"]);
    expect(log.filter((entry) => entry.startsWith("b"))).toEqual(["b1", "b5"]);
    expect(log).toHaveLength(6);
  });

  it("handles an empty list and passes a task's rejection on", async () => {
    expect(
      await feedKeyed(
        [],
        () => undefined,
        5,
        async () => 1,
      ),
    ).toEqual([]);
    await expect(
      feedKeyed(
        [1, 2, 3],
        () => undefined,
        2,
        async (item) => {
          if (item === 2) throw new Error("boom");
          return item;
        },
      ),
    ).rejects.toThrow("boom");
  });

  it("feeds a batch far larger than the SDK's maxQueue without QueueFull", async () => {
    mock.reset();
    const flashCall = createFlashCall({
      pushUrl: mock.pushUrl,
      maxQueue: 4,
      concurrency: 2,
      rateLimit: false,
    });
    const events = Array.from({ length: 60 }, (_, index) => ({
      title_rule: `event ${index}`,
      event_status: "Info" as const,
      alert_key: `q${index % 20}`,
    }));
    const outcomes = await feedKeyed(
      events,
      (event) => event.alert_key,
      4,
      (event) =>
        flashCall.enqueue(event).then(
          (result) => result.data.alert_key,
          (error: { code?: string }) => `failed: ${error.code}`,
        ),
    );
    await flashCall.close();
    expect(outcomes).toEqual(events.map((event) => event.alert_key));
    expect(mock.events).toHaveLength(60);
    // Without the window, the same batch meets QueueFull.
    const unfed = createFlashCall({ pushUrl: mock.pushUrl, maxQueue: 4, concurrency: 2, rateLimit: false });
    const settled = await Promise.allSettled(events.map((event) => unfed.enqueue(event)));
    await unfed.close();
    expect(
      settled.some((outcome) => outcome.status === "rejected" && outcome.reason.code === "QueueFull"),
    ).toBe(true);
  });
});
