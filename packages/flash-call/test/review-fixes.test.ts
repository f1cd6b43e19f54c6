// Regressions found in review: each test failed before its fix.

import { clearKey, setKey } from "@flash-call/keys";
import { type MockServer, startMockServer } from "@flash-call/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createFlashCall } from "../src/flash-call.js";
import type { ErrorInfo } from "../src/hooks.js";
import { prepareEvent } from "../src/prepare-event.js";

let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer({ rateLimit: false });
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

describe("review fixes", () => {
  test("a Retry-After over maxRetryAfterMs fails that push and does not stall the next ones", async () => {
    const flashduty = createFlashCall({ pushUrl: mock.pushUrl, maxRetryAfterMs: 50, logLevel: "silent" });
    mock.failNext({ kind: "error", code: "RequestTooFrequently", retryAfter: 3600 });
    await expect(flashduty.push({ title_rule: "t", event_status: "Info" })).rejects.toMatchObject({
      code: "RequestTooFrequently",
      retryAfterMs: 3_600_000,
    });
    const started = Date.now();
    await flashduty.push({ title_rule: "next", event_status: "Info" });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test("a base URL carrying a query (a key) is refused, so it cannot reach hooks or spool files", async () => {
    expect(() => createFlashCall({ baseUrl: mock.pushUrl })).toThrow(/must not carry a query/);
    await expect(
      createFlashCall({ integrationKey: mock.integrationKey, logLevel: "silent" }).push(
        { title_rule: "t", event_status: "Info" },
        { baseUrl: `${mock.baseUrl}#x` },
      ),
    ).rejects.toMatchObject({ code: "ConfigError" });
    expect(() => createFlashCall({ baseUrl: "https://user:secret@example.com" })).toThrow(/credentials/);
  });

  test.each([
    ["timeoutMs", { timeoutMs: 1500.5 }],
    ["timeoutMs", { timeoutMs: -1 }],
    ["maxRetries", { maxRetries: -1 }],
    ["concurrency", { concurrency: 0 }],
    ["maxQueue", { maxQueue: 0 }],
    ["rateLimit.perSecond", { rateLimit: { perSecond: 0 } }],
    ["backoff.baseMs", { backoff: { baseMs: Number.NaN } }],
  ])("a nonsensical %s is a ConfigError at creation", (name, options) => {
    expect(() => createFlashCall(options)).toThrow(new RegExp(`^${name.replace(".", "\\.")} must be`));
  });

  test("a timeoutMs beyond setTimeout's limit waits, instead of timing out at once", async () => {
    const flashduty = createFlashCall({
      pushUrl: mock.pushUrl,
      timeoutMs: 2 ** 32,
      maxRetries: 0,
      logLevel: "silent",
    });
    mock.failNext({ kind: "delay", ms: 50 });
    await expect(flashduty.push({ title_rule: "t", event_status: "Info" })).resolves.toMatchObject({
      data: { alert_key: expect.any(String) },
    });
  });

  test("per-call timeoutMs and maxRetries are checked too", async () => {
    const flashduty = createFlashCall({ pushUrl: mock.pushUrl, logLevel: "silent" });
    await expect(
      flashduty.push({ title_rule: "t", event_status: "Info" }, { timeoutMs: 0 }),
    ).rejects.toMatchObject({
      code: "ConfigError",
    });
    expect(mock.requests).toHaveLength(0);
  });

  test("a handle's resolve() does not reuse the fire() call's aborted signal", async () => {
    const flashduty = createFlashCall({ pushUrl: mock.pushUrl, logLevel: "silent" });
    const request = new AbortController();
    const alert = await flashduty.fire(
      { title_rule: "t", event_status: "Critical" },
      { signal: request.signal },
    );
    request.abort();
    await expect(alert.resolve()).resolves.toMatchObject({ data: { alert_key: alert.alert_key } });
    expect(mock.alerts.get(alert.alert_key)?.status).toBe("resolved");
  });

  test("a label named __proto__ is sent as a label, not dropped", async () => {
    const labels = JSON.parse('{"__proto__":"x","host":"a"}') as Record<string, string>;
    const { event } = prepareEvent({ title_rule: "t", event_status: "Info", labels });
    expect(Object.keys(event.labels ?? {})).toEqual(["__proto__", "host"]);
    expect(JSON.stringify(event.labels)).toBe('{"__proto__":"x","host":"a"}');
  });

  test("an aborted push is told to onError", async () => {
    const errors: ErrorInfo[] = [];
    const flashduty = createFlashCall({
      pushUrl: mock.pushUrl,
      logLevel: "silent",
      onError: (info) => void errors.push(info),
    });
    const controller = new AbortController();
    controller.abort();
    await expect(
      flashduty.push({ title_rule: "t", event_status: "Info" }, { signal: controller.signal }),
    ).rejects.toMatchObject({ code: "Aborted" });
    expect(errors.map((info) => info.code)).toEqual(["Aborted"]);
  });

  test("a process.env that throws on access is no environment, not a crash", async () => {
    const original = Object.getOwnPropertyDescriptor(process, "env");
    setKey(mock.integrationKey);
    Object.defineProperty(process, "env", {
      configurable: true,
      get: () =>
        new Proxy(
          {},
          {
            get() {
              throw new Error("Requires env access");
            },
          },
        ),
    });
    try {
      // No base URL anywhere, so the SDK consults FLASHDUTY_BASE_URL; the fetch answers locally (no network).
      const seen: string[] = [];
      const flashduty = createFlashCall({
        logLevel: "silent",
        fetch: async (input) => {
          seen.push(String(input));
          return new Response('{"request_id":"r","data":{"alert_key":"k"}}', { status: 200 });
        },
      });
      await expect(flashduty.push({ title_rule: "t", event_status: "Info" })).resolves.toMatchObject({
        data: { alert_key: "k" },
      });
      expect(seen[0]?.startsWith("https://api.flashcat.cloud/event/push/alert/standard?")).toBe(true);
    } finally {
      if (original) Object.defineProperty(process, "env", original);
      clearKey();
    }
  });
});
