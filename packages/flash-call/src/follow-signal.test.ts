import { FlashdutyAbortError } from "@flash-call/errors";
import { type MockServer, startMockServer } from "@flash-call/testing";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { createFlashCall } from "./flash-call.js";
import { followCallSignal, isNativeSignal } from "./follow-signal.js";
import type { CallOptions, FlashCallOptions } from "./options.js";

let mock: MockServer;

beforeAll(async () => {
  mock = await startMockServer({ rateLimit: false });
});
afterAll(async () => {
  await mock.close();
});
afterEach(() => {
  mock.reset();
});

const fast = (options: FlashCallOptions = {}) =>
  createFlashCall({
    pushUrl: mock.pushUrl,
    backoff: { baseMs: 5, maxMs: 20 },
    logLevel: "silent",
    ...options,
  });

const event = { title_rule: "t", event_status: "Info" } as const;

/**
 * An object of an AbortSignal's shape, not one: its getters answer `healthyReads` times, then throw, as a hostile
 * or broken polyfill's might after the SDK checked it.
 */
function duckSignal(healthyReads = Infinity) {
  const listeners = new Set<() => void>();
  let aborted = false;
  let reads = 0;
  const guard = () => {
    if (++reads > healthyReads) throw new TypeError("getter broke");
  };
  return {
    listeners,
    get aborted() {
      guard();
      return aborted;
    },
    get reason() {
      guard();
      return new Error("stopped by the duck");
    },
    addEventListener: (_type: string, listener: () => void) => void listeners.add(listener),
    removeEventListener: (_type: string, listener: () => void) => void listeners.delete(listener),
    abort() {
      aborted = true;
      for (const listener of [...listeners]) listener();
    },
  };
}

const asSignal = (value: unknown) => value as AbortSignal;

describe("a signal that is not an AbortSignal", () => {
  test("whose getters throw after the check: the push is delivered and its listener taken back", async () => {
    // Two reads: the check's and the follower's.
    const signal = duckSignal(2);
    const result = await fast().push(event, { signal: asSignal(signal) });
    expect(result.data.alert_key).toEqual(expect.any(String));
    expect(mock.events).toHaveLength(1);
    expect(signal.listeners.size).toBe(0);
  });

  test("aborted during a backoff with a reason getter that throws: a typed abort, not a hang", async () => {
    mock.failNext({ kind: "error", code: "RequestTooFrequently", retryAfter: 30 });
    const signal = duckSignal(2);
    const error = await fast({ onRetry: () => signal.abort() })
      .push(event, { signal: asSignal(signal) })
      .catch((thrown: unknown) => thrown);
    expect(FlashdutyAbortError.isInstance(error)).toBe(true);
    expect(mock.requests).toHaveLength(1);
    expect(signal.listeners.size).toBe(0);
  });

  test("an enqueued event waiting for its turn leaves the queue when it aborts; nothing else is lost", async () => {
    mock.failNext({ kind: "delay", ms: 200 });
    const flashduty = fast({ concurrency: 1 });
    const signal = duckSignal(2);
    const first = flashduty.enqueue({ ...event, alert_key: "a" });
    const waiting = flashduty.enqueue({ ...event, alert_key: "b" }, { signal: asSignal(signal) });
    signal.abort();
    await expect(waiting).rejects.toMatchObject({ code: "Aborted" });
    await expect(first).resolves.toMatchObject({ data: { alert_key: "a" } });
    expect(await flashduty.close()).toEqual({ delivered: 0, failed: 0 });
    expect(mock.events.map((sent) => sent.alert_key)).toEqual(["a"]);
    expect(signal.listeners.size).toBe(0);
  });

  test("one whose addEventListener throws is a config error and nothing is sent", async () => {
    const signal = {
      aborted: false,
      addEventListener() {
        throw new Error("no");
      },
      removeEventListener() {},
    };
    await expect(fast().push(event, { signal: asSignal(signal) })).rejects.toMatchObject({
      code: "ConfigError",
    });
    await expect(
      fast().change({ title: "c", change_status: "Done", change_key: "c-1" }, { signal: asSignal(signal) }),
    ).rejects.toMatchObject({
      code: "ConfigError",
    });
    expect(mock.requests).toHaveLength(0);
  });

  test("an event refused before sending takes its listener back", async () => {
    const signal = duckSignal();
    await expect(
      fast().push({ title_rule: "", event_status: "Info" }, { signal: asSignal(signal) }),
    ).rejects.toMatchObject({ code: "ValidationError" });
    expect(signal.listeners.size).toBe(0);
  });
});

describe("isNativeSignal and followCallSignal", () => {
  test("a real AbortSignal is used as it is", () => {
    const signal = new AbortController().signal;
    const call: CallOptions = { signal };
    expect(isNativeSignal(signal)).toBe(true);
    expect(followCallSignal(call)).toBeUndefined();
    expect(call.signal).toBe(signal);
  });

  test("a Proxy around a real signal, or one with a field of its own, is followed", () => {
    const real = new AbortController().signal;
    let reads = 0;
    const proxy = new Proxy(real, {
      get(target, name) {
        if (name === "aborted" && ++reads > 1) throw new Error("trap");
        const value = Reflect.get(target, name, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    expect(isNativeSignal(proxy)).toBe(false);
    const call: CallOptions = { signal: proxy };
    const unfollow = followCallSignal(call);
    expect(call.signal).not.toBe(proxy);
    expect(() => call.signal?.aborted).not.toThrow();
    unfollow?.();

    const shadowed = new AbortController().signal;
    Object.defineProperty(shadowed, "aborted", { get: () => false });
    expect(isNativeSignal(shadowed)).toBe(false);
  });

  test("the follower aborts with the signal's reason", () => {
    const signal = duckSignal();
    const call: CallOptions = { signal: asSignal(signal) };
    followCallSignal(call);
    signal.abort();
    expect(call.signal?.aborted).toBe(true);
    expect(call.signal?.reason).toMatchObject({ message: "stopped by the duck" });
  });
});
