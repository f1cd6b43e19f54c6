import { FlashdutyTimeoutError } from "@flash-call/errors";
import { startMockServer } from "@flash-call/testing";
import { createFlashCall, type RetryInfo } from "flash-call";
import { describe, expect, it } from "vitest";
import { stopBetweenAttempts } from "./stop-between-attempts.js";

/** What onRetry is told after a failed attempt (only `error` matters to the gate). */
const retryAfter = (error: RetryInfo["error"]) => ({ error }) as RetryInfo;

describe("stopBetweenAttempts", () => {
  it("lets the attempt in flight at the stop finish, says so, and ends the push before its retry", () => {
    const gate = stopBetweenAttempts();
    const stop = new AbortController();
    let waits = 0;
    const signal = gate.open(stop.signal, () => {
      waits += 1;
    });
    gate.hooks.onRequest(undefined as never);
    stop.abort("SIGTERM");
    expect(signal.aborted).toBe(false);
    expect(waits).toBe(1);
    const timeout = new FlashdutyTimeoutError();
    gate.hooks.onRetry(retryAfter(timeout));
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe("SIGTERM");
    expect(gate.cutAfter).toBe(timeout);
  });

  it("a stop while the push waits to retry ends it at once, with the failure it was retrying", () => {
    const gate = stopBetweenAttempts();
    const stop = new AbortController();
    let waits = 0;
    const signal = gate.open(stop.signal, () => {
      waits += 1;
    });
    gate.hooks.onRequest(undefined as never);
    const timeout = new FlashdutyTimeoutError();
    gate.hooks.onRetry(retryAfter(timeout));
    expect(signal.aborted).toBe(false);
    stop.abort("SIGINT");
    expect(signal.reason).toBe("SIGINT");
    expect(gate.cutAfter).toBe(timeout);
    expect(waits).toBe(0);
  });

  it("a stop before the first attempt lets that attempt go; once released, the stop and the hooks do nothing", () => {
    const gate = stopBetweenAttempts();
    const stop = new AbortController();
    stop.abort("SIGHUP");
    let waits = 0;
    const signal = gate.open(stop.signal, () => {
      waits += 1;
    });
    expect(waits).toBe(1);
    expect(signal.aborted).toBe(false);
    gate.release();
    gate.hooks.onRetry(retryAfter(new FlashdutyTimeoutError()));
    expect(signal.aborted).toBe(false);
    expect(gate.cutAfter).toBeUndefined();
  });

  it("without a stop the push keeps every retry", () => {
    const gate = stopBetweenAttempts();
    const signal = gate.open(undefined);
    gate.hooks.onRetry(retryAfter(new FlashdutyTimeoutError()));
    expect(signal.aborted).toBe(false);
    expect(gate.cutAfter).toBeUndefined();
  });

  it("through the SDK against a real server: a stop makes no retry of a failed attempt, and a push without a stop is retried", async () => {
    const server = await startMockServer();
    try {
      const gate = stopBetweenAttempts();
      const flashCall = createFlashCall({
        changePushUrl: server.changePushUrl,
        backoff: { baseMs: 1, maxMs: 1 },
        ...gate.hooks,
      });
      const event = { change_key: "deploy-1", title: "Deploy", change_status: "Processing" } as const;
      const stop = new AbortController();
      stop.abort("SIGTERM");
      server.failNext(["InternalError", "InternalError"]);
      const signal = gate.open(stop.signal);
      await expect(flashCall.change(event, { signal })).rejects.toMatchObject({ code: "Aborted" });
      gate.release();
      expect(server.requests.length).toBe(1);
      expect(gate.cutAfter).toMatchObject({ code: "InternalError", status: 500 });
      // The gate released, the same instance retries as usual: the second fault, then delivered.
      await expect(flashCall.change({ ...event, change_status: "Done" })).resolves.toMatchObject({
        request_id: expect.any(String),
      });
      expect(server.requests.length).toBe(3);
    } finally {
      await server.close();
    }
  });
});
