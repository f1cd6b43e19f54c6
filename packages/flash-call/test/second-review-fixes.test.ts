// Regressions found in the review of the fetch transport (issue 6): each test failed before its fix.

import { type MockServer, startMockServer } from "@flash-call/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { createFlashCall } from "../src/flash-call.js";

let mock: MockServer;
let other: MockServer;
beforeAll(async () => {
  [mock, other] = await Promise.all([
    startMockServer({ rateLimit: false }),
    startMockServer({ rateLimit: false }),
  ]);
});
afterAll(() => Promise.all([mock.close(), other.close()]));
beforeEach(() => {
  mock.reset();
  other.reset();
});

const event = { title_rule: "t", event_status: "Info" } as const;

describe("second review fixes", () => {
  test("a base URL ending in / still reaches the push path", async () => {
    const flashduty = createFlashCall({
      integrationKey: mock.integrationKey,
      baseUrl: `${mock.baseUrl}//`,
      maxRetries: 0,
      logLevel: "silent",
    });
    await expect(flashduty.push(event)).resolves.toMatchObject({ data: { alert_key: expect.any(String) } });
    await expect(flashduty.push(event, { baseUrl: `${mock.baseUrl}/` })).resolves.toBeDefined();
    expect(mock.events).toHaveLength(2);
  });

  test("each request gets its own headers, so a custom fetch changing them affects no other request", async () => {
    const seen: Array<Record<string, string>> = [];
    const mutating = createFlashCall({
      pushUrl: mock.pushUrl,
      logLevel: "silent",
      fetch: (url, init) => {
        const headers = init?.headers as Record<string, string>;
        seen.push({ ...headers });
        headers["x-mutated"] = "1";
        return fetch(url, init);
      },
    });
    await mutating.push(event);
    await mutating.push(event);
    expect(seen[1]).toEqual({ "content-type": "application/json" });
  });

  test("FLASHDUTY_BASE_URL is read at each push, also by an instance that names its key", async () => {
    vi.stubEnv("FLASHDUTY_BASE_URL", mock.baseUrl);
    try {
      const flashduty = createFlashCall({ integrationKey: mock.integrationKey, logLevel: "silent" });
      await flashduty.push(event);
      vi.stubEnv("FLASHDUTY_BASE_URL", other.baseUrl);
      await flashduty.push(event);
      expect([mock.events.length, other.events.length]).toEqual([1, 1]);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  test("a push after a test used fake timers still times out", async () => {
    vi.useFakeTimers();
    try {
      await createFlashCall({ pushUrl: mock.pushUrl, timeoutMs: 100, logLevel: "silent" }).push(event);
    } finally {
      vi.useRealTimers();
    }
    mock.failNext({ kind: "delay", ms: 3000 });
    const started = Date.now();
    await expect(
      createFlashCall({ pushUrl: mock.pushUrl, timeoutMs: 200, maxRetries: 0, logLevel: "silent" }).push(
        event,
      ),
    ).rejects.toMatchObject({ code: "Timeout" });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
