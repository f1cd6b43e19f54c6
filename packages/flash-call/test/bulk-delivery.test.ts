import { startMockServer } from "@flash-call/testing";
import { describe, expect, test } from "vitest";
import { createFlashCall } from "../src/flash-call.js";

describe("enqueue against the real mock server", () => {
  test("a 250-event burst is delivered at the server's limit with zero 429s", async () => {
    const mock = await startMockServer({ rateLimit: { perSecond: 100, perMinute: 1000 } });
    try {
      const flashduty = createFlashCall({ pushUrl: mock.pushUrl, logLevel: "silent", concurrency: 32 });
      const delivered = Array.from({ length: 250 }, (_, index) =>
        flashduty.enqueue({
          title_rule: `event ${index}`,
          event_status: "Warning",
          alert_key: `burst-${index}`,
        }),
      );
      const closing = flashduty.close();
      const results = await Promise.all(delivered);
      expect(results).toHaveLength(250);
      expect(mock.events).toHaveLength(250);
      expect(mock.requests.filter((request) => request.status === 429)).toHaveLength(0);
      expect(new Set(mock.events.map((event) => event.alert_key)).size).toBe(250);
      expect(await closing).toEqual({ delivered: 250, failed: 0 });
    } finally {
      await mock.close();
    }
  });

  test("a recovery never overtakes its alert, even when the alert is retried", async () => {
    const mock = await startMockServer({ rateLimit: false });
    try {
      const flashduty = createFlashCall({
        pushUrl: mock.pushUrl,
        logLevel: "silent",
        backoff: { baseMs: 30, maxMs: 30 },
      });
      mock.failNext(["InternalError", "InternalError"]);
      const alert = flashduty.enqueue({ title_rule: "t", event_status: "Critical", alert_key: "ordered" });
      const recovery = flashduty.enqueue({ title_rule: "t", event_status: "Ok", alert_key: "ordered" });
      const unrelated = flashduty.enqueue({ title_rule: "u", event_status: "Info", alert_key: "other" });
      await Promise.all([alert, recovery, unrelated]);
      const ordered = mock.events.filter((event) => event.alert_key === "ordered");
      expect(ordered.map((event) => event.event_status)).toEqual(["Critical", "Ok"]);
      expect(mock.alerts.get("ordered")?.status).toBe("resolved");
    } finally {
      await mock.close();
    }
  });

  test("overflow is an error to the caller; everything accepted is delivered", async () => {
    const mock = await startMockServer({ rateLimit: false });
    try {
      const flashduty = createFlashCall({
        pushUrl: mock.pushUrl,
        logLevel: "silent",
        maxQueue: 5,
        concurrency: 1,
      });
      const outcomes = await Promise.allSettled(
        Array.from({ length: 8 }, (_, index) =>
          flashduty.enqueue({ title_rule: `e${index}`, event_status: "Info" }),
        ),
      );
      const rejected = outcomes.filter((outcome) => outcome.status === "rejected");
      expect(rejected).toHaveLength(3);
      for (const outcome of rejected)
        expect(outcome.reason).toMatchObject({ code: "QueueFull", retryable: true });
      expect(mock.events.map((event) => event.title_rule)).toEqual(["e0", "e1", "e2", "e3", "e4"]);
    } finally {
      await mock.close();
    }
  });

  test("an invalid event is rejected at enqueue and sends nothing; close() refuses new work", async () => {
    const mock = await startMockServer({ rateLimit: false });
    try {
      const flashduty = createFlashCall({ pushUrl: mock.pushUrl, logLevel: "silent" });
      await expect(flashduty.enqueue({ title_rule: "t", event_status: "Ok" })).rejects.toMatchObject({
        code: "ValidationError",
      });
      const pending = flashduty.enqueue({ title_rule: "kept", event_status: "Info" });
      const closing = flashduty.close();
      await expect(flashduty.enqueue({ title_rule: "late", event_status: "Info" })).rejects.toMatchObject({
        code: "ClientClosed",
      });
      await pending;
      expect(await closing).toEqual({ delivered: 1, failed: 0 });
      expect(mock.events.map((event) => event.title_rule)).toEqual(["kept"]);
    } finally {
      await mock.close();
    }
  });
});
