import { FlashdutyAbortError, FlashdutyError } from "@flash-call/errors";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createFlashCall } from "../src/flash-call.js";
import { type HeldServer, startHeldServer } from "./held-server.js";

let server: HeldServer;
beforeEach(async () => {
  server = await startHeldServer();
});
afterEach(() => server.close());

const isAbort = (error: unknown) => FlashdutyError.isInstance(error) && error instanceof FlashdutyAbortError;

describe("a queued enqueue honours its signal", () => {
  test("an event waiting behind its alert_key rejects at once when aborted, and is never sent", async () => {
    const flashduty = createFlashCall({ pushUrl: server.pushUrl, logLevel: "silent", maxQueue: 2 });
    const first = flashduty.enqueue({ title_rule: "first", event_status: "Critical", alert_key: "k" });
    const controller = new AbortController();
    const second = flashduty.enqueue(
      { title_rule: "second", event_status: "Ok", alert_key: "k" },
      { signal: controller.signal },
    );
    await server.arrived(1);
    // The queue is full: the first in flight, the second waiting its turn.
    await expect(flashduty.enqueue({ title_rule: "no room", event_status: "Info" })).rejects.toMatchObject({
      code: "QueueFull",
    });
    const flushedBefore = flashduty.flush();
    controller.abort();
    // Rejected while the first is still held by the server: it did not wait for its turn.
    await expect(second).rejects.toSatisfy(isAbort);
    // Its room is free again at once.
    const third = flashduty.enqueue({ title_rule: "third", event_status: "Info", alert_key: "other" });
    await server.arrived(2);
    const flushedAfter = flashduty.flush();
    server.acceptAll();
    await expect(first).resolves.toMatchObject({ data: { alert_key: "k" } });
    await expect(third).resolves.toMatchObject({ data: { alert_key: "other" } });
    expect(await flushedBefore).toEqual({ delivered: 1, failed: 1 });
    expect(await flushedAfter).toEqual({ delivered: 2, failed: 0 });
    expect(await flashduty.close()).toEqual({ delivered: 0, failed: 0 });
    expect(server.received.map((push) => push.event.title_rule)).toEqual(["first", "third"]);
  });

  test("an event waiting behind the concurrency limit rejects at once when aborted", async () => {
    const flashduty = createFlashCall({ pushUrl: server.pushUrl, logLevel: "silent", concurrency: 1 });
    const first = flashduty.enqueue({ title_rule: "first", event_status: "Info" });
    const controller = new AbortController();
    const waiting = flashduty.enqueue(
      { title_rule: "waiting", event_status: "Info" },
      { signal: controller.signal },
    );
    const flushed = flashduty.flush();
    await server.arrived(1);
    controller.abort(new Error("shutting down"));
    const error = await waiting.catch((thrown: unknown) => thrown);
    expect(isAbort(error)).toBe(true);
    expect((error as FlashdutyAbortError).cause).toEqual(new Error("shutting down"));
    server.acceptAll();
    await first;
    expect(await flushed).toEqual({ delivered: 1, failed: 1 });
    expect(server.received.map((push) => push.event.title_rule)).toEqual(["first"]);
  });

  test("a signal already aborted at enqueue rejects at once and takes no room", async () => {
    const flashduty = createFlashCall({ pushUrl: server.pushUrl, logLevel: "silent", maxQueue: 1 });
    const never = flashduty.enqueue(
      { title_rule: "never", event_status: "Info" },
      { signal: AbortSignal.abort() },
    );
    // Enqueued at once after it: the one place of the queue is still free.
    const sent = flashduty.enqueue({ title_rule: "sent", event_status: "Info" });
    await expect(never).rejects.toSatisfy(isAbort);
    const flushed = flashduty.flush();
    server.acceptAll();
    await sent;
    expect(await flushed).toEqual({ delivered: 1, failed: 0 });
    expect(server.received.map((push) => push.event.title_rule)).toEqual(["sent"]);
  });

  test("push with a signal already aborted rejects with FlashdutyAbortError and sends nothing", async () => {
    for (const pacing of [{}, { rateLimit: false }] as const) {
      const hooks: string[] = [];
      const flashduty = createFlashCall({
        pushUrl: server.pushUrl,
        logLevel: "silent",
        ...pacing,
        onRequest: () => void hooks.push("onRequest"),
        onResponse: () => void hooks.push("onResponse"),
        onError: ({ code }) => void hooks.push(`onError ${code}`),
      });
      await expect(
        flashduty.push({ title_rule: "never", event_status: "Info" }, { signal: AbortSignal.abort() }),
      ).rejects.toSatisfy(isAbort);
      // No attempt was made: only the final failure is told.
      expect(hooks).toEqual([`onError ${new FlashdutyAbortError().code}`]);
    }
    server.acceptAll();
    await createFlashCall({ pushUrl: server.pushUrl, logLevel: "silent" }).push({
      title_rule: "sent",
      event_status: "Info",
    });
    expect(server.received.map((push) => push.event.title_rule)).toEqual(["sent"]);
  });
});
