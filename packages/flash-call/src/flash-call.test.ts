import { getEventListeners } from "node:events";
import {
  FlashdutyError,
  FlashdutyValidationError,
  InternalServerError,
  InvalidParameterError,
  RequestTooFrequentlyError,
  UnauthorizedError,
} from "@flash-call/errors";
import { type MockServer, startMockServer } from "@flash-call/testing";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { createFlashCall } from "./flash-call.js";
import type { ErrorInfo, ResponseInfo, RetryInfo } from "./hooks.js";
import type { FlashCallOptions } from "./options.js";

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

describe("push against the real mock server", () => {
  test("returns Flashduty's success body and the event arrives as sent", async () => {
    const flashduty = fast({ labels: { service: "billing" }, user: "u1", strategy: "s1" });
    const result = await flashduty.push({
      title_rule: "CPU high on db-1",
      event_status: "Critical",
      description: "93%",
      event_time: 1_700_000_000,
      labels: { host: "db-1", cpu: 93 },
      images: [{ src: "https://example.com/cpu.png", alt: "cpu" }],
    });
    expect(result.request_id).toEqual(expect.any(String));
    expect(result.data.alert_key).toMatch(/^\w+$/);
    expect(mock.events).toHaveLength(1);
    expect(mock.events[0]).toMatchObject({
      title_rule: "CPU high on db-1",
      event_status: "Critical",
      description: "93%",
      event_time: 1_700_000_000,
      alert_key: result.data.alert_key,
      labels: { service: "billing", user_id: "u1", strategy_id: "s1", host: "db-1", cpu: "93" },
      images: [{ src: "https://example.com/cpu.png", alt: "cpu" }],
    });
  });

  test("fire() returns a handle whose resolve() closes that alert with its title and labels", async () => {
    const flashduty = fast();
    const alert = await flashduty.fire({
      title_rule: "disk full",
      event_status: "Warning",
      labels: { host: "h" },
    });
    await alert.resolve();
    expect(mock.events.map((event) => event.event_status)).toEqual(["Warning", "Ok"]);
    expect(mock.events[1]).toMatchObject({
      alert_key: alert.alert_key,
      title_rule: "disk full",
      labels: { host: "h" },
    });
    expect(mock.alerts.get(alert.alert_key)?.status).toBe("resolved");
  });

  test("a handle's resolve() sends what fire() sent, not the caller's event read again", async () => {
    const flashduty = fast();
    let reads = 0;
    const labels: Record<string, unknown> = { host: "h" };
    const alert = await flashduty.fire({
      get title_rule() {
        reads++;
        return reads === 1 ? "disk full" : "changed by a later read";
      },
      event_status: "Warning",
      labels: labels as Record<string, string>,
    });
    labels.host = "changed";
    labels.later = { not: "a label value" };
    await alert.resolve();
    expect(reads).toBe(1);
    expect(mock.events[1]).toMatchObject({
      event_status: "Ok",
      title_rule: "disk full",
      labels: { host: "h" },
    });
  });

  test("resolve(alert_key) reuses the title this instance last pushed for it", async () => {
    const flashduty = fast();
    await flashduty.push({ title_rule: "queue backlog", event_status: "Info", alert_key: "backlog-1" });
    await flashduty.resolve("backlog-1");
    expect(mock.events[1]).toMatchObject({
      title_rule: "queue backlog",
      event_status: "Ok",
      alert_key: "backlog-1",
    });
  });

  test("a resolve given another status or another alert_key is refused, not overridden in silence", async () => {
    const flashduty = fast();
    await expect(flashduty.resolve("backlog-1", { event_status: "Critical" } as never)).rejects.toMatchObject(
      { code: "ValidationError", issues: [{ path: "event_status" }] },
    );
    await expect(flashduty.resolve("backlog-1", { alert_key: "other" })).rejects.toMatchObject({
      code: "ValidationError",
      issues: [{ path: "alert_key" }],
    });
    const alert = await flashduty.fire({ title_rule: "queue backlog", event_status: "Warning" });
    await expect(alert.resolve({ event_status: "Info" } as never)).rejects.toMatchObject({
      code: "ValidationError",
    });
    // A getter that throws rejects the handle's resolve() with a typed error; it does not throw at the call.
    const throwing = Object.defineProperty({}, "description", {
      enumerable: true,
      get() {
        throw new Error("getter");
      },
    });
    const pending = alert.resolve(throwing);
    await expect(pending).rejects.toMatchObject({ code: "ValidationError" });
    // The same status and key, said again, are what a resolve sends.
    await flashduty.resolve(alert.alert_key, { event_status: "Ok", alert_key: alert.alert_key });
    expect(mock.events.map((event) => event.event_status)).toEqual(["Warning", "Ok"]);
  });

  test("nothing invalid reaches the network", async () => {
    const flashduty = fast();
    await expect(flashduty.push({ title_rule: "", event_status: "Bad" as "Ok" })).rejects.toBeInstanceOf(
      FlashdutyValidationError,
    );
    await expect(flashduty.resolve("")).rejects.toBeInstanceOf(FlashdutyValidationError);
    expect(mock.requests).toHaveLength(0);
  });

  test("a call's options are checked before anything is sent", async () => {
    const flashduty = fast();
    await expect(
      flashduty.push({ title_rule: "t", event_status: "Info" }, { timeoutMs: 0 }),
    ).rejects.toMatchObject({ code: "ConfigError" });
    expect(mock.requests).toHaveLength(0);
  });

  test("a handle's resolve() does not reuse the fire() call's aborted signal", async () => {
    const flashduty = fast();
    const request = new AbortController();
    const alert = await flashduty.fire(
      { title_rule: "t", event_status: "Critical" },
      { signal: request.signal },
    );
    request.abort();
    await expect(alert.resolve()).resolves.toMatchObject({ data: { alert_key: alert.alert_key } });
    expect(mock.alerts.get(alert.alert_key)?.status).toBe("resolved");
  });

  test("a wrong key is InvalidParameter, not retried, with the request_id", async () => {
    const strictMock = await startMockServer({ integrationKeys: ["the-right-key"], rateLimit: false });
    try {
      const flashduty = createFlashCall({ baseUrl: strictMock.baseUrl, integrationKey: "the-wrong-key" });
      const error = await flashduty.push({ title_rule: "t", event_status: "Info" }).catch((thrown) => thrown);
      expect(error).toBeInstanceOf(InvalidParameterError);
      expect(error.requestId).toEqual(expect.any(String));
      expect(strictMock.requests).toHaveLength(1);
    } finally {
      await strictMock.close();
    }
  });
});

describe("retries", () => {
  const attempts = () => mock.requests.length;

  test.each([
    ["InternalError", true],
    ["RequestTooFrequently", true],
    ["Unauthorized", false],
    ["AccessDenied", false],
    ["InvalidParameter", false],
    ["NoLicense", false],
  ] as const)("%s is retried: %s", async (code, retried) => {
    mock.failNext(code === "RequestTooFrequently" ? { kind: "error", code, retryAfter: 0 } : code);
    const flashduty = fast();
    const outcome = await flashduty.push({ title_rule: "t", event_status: "Info" }).then(
      () => "delivered",
      (error: FlashdutyError) => error.code,
    );
    expect(outcome).toBe(retried ? "delivered" : code);
    expect(attempts()).toBe(retried ? 2 : 1);
  });

  test("the retry and delivery log lines carry the attempt, status, request_id and duration, never the key", async () => {
    const lines: string[] = [];
    const line = (text: string) => lines.push(text);
    mock.failNext("InternalError");
    const flashduty = fast({
      logger: { debug: line, info: line, warn: line, error: line },
      logLevel: "debug",
    });
    const result = await flashduty.push({ title_rule: "t", event_status: "Info" });

    const failedId = mock.requests[0]?.request_id;
    expect(failedId).toMatch(/^[0-9a-f]{32}$/);
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^\\[flash-call\\] attempt 1 failed with InternalError \\(HTTP 500, request_id=${failedId}, \\d+ ms\\); retrying in \\d+ ms$`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          `^\\[flash-call\\] delivered Info ${result.data.alert_key} \\(attempt 2, HTTP 200, request_id=${result.request_id}, \\d+ ms\\)$`,
        ),
      ),
    ]);
    expect(lines.join("\n")).not.toContain(mock.integrationKey.slice(0, 8));
  });

  test("a retry after no answer says so without a status", async () => {
    const lines: string[] = [];
    mock.failNext({ kind: "reset" });
    const flashduty = fast({ logger: { info: (text) => lines.push(text) }, logLevel: "info" });
    await flashduty.push({ title_rule: "t", event_status: "Info" });
    expect(lines).toEqual([
      expect.stringMatching(
        /^\[flash-call\] attempt 1 failed with NetworkError \(\d+ ms\); retrying in \d+ ms$/,
      ),
    ]);
  });

  test.each([
    [{ kind: "reset" } as const],
    [{ kind: "html", status: 502 } as const],
    [{ kind: "status", status: 503 } as const],
    [{ kind: "truncated" } as const],
    [{ kind: "error-in-200", code: "InternalError" } as const],
  ])("recovers from %o", async (fault) => {
    mock.failNext(fault);
    const result = await fast().push({ title_rule: "t", event_status: "Info" });
    expect(result.data.alert_key).toEqual(expect.any(String));
    expect(attempts()).toBe(2);
  });

  test("gives up after maxRetries with the last typed error, telling each hook", async () => {
    mock.failNext(["InternalError", "InternalError", "InternalError"]);
    const responses: ResponseInfo[] = [];
    const retries: RetryInfo[] = [];
    const errors: ErrorInfo[] = [];
    const flashduty = fast({
      maxRetries: 2,
      onResponse: (info) => void responses.push(info),
      onRetry: (info) => void retries.push(info),
      onError: (info) => void errors.push(info),
    });
    const error = await flashduty.push({ title_rule: "t", event_status: "Info" }).catch((thrown) => thrown);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.status).toBe(500);
    expect(error.requestId).toEqual(expect.any(String));
    expect(attempts()).toBe(3);
    expect(responses.map((info) => [info.attempt, info.status, info.code])).toEqual([
      [1, 500, "InternalError"],
      [2, 500, "InternalError"],
      [3, 500, "InternalError"],
    ]);
    expect(retries.map((info) => info.attempt)).toEqual([1, 2]);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.requestId).toBe(error.requestId);
  });

  test("maxRetries: 0 disables retrying", async () => {
    mock.failNext("InternalError");
    await expect(
      fast({ maxRetries: 0 }).push({ title_rule: "t", event_status: "Info" }),
    ).rejects.toBeInstanceOf(InternalServerError);
    expect(attempts()).toBe(1);
  });

  test("per-call maxRetries overrides the instance's", async () => {
    mock.failNext(["InternalError", "InternalError"]);
    await expect(
      fast({ maxRetries: 5 }).push({ title_rule: "t", event_status: "Info" }, { maxRetries: 1 }),
    ).rejects.toBeInstanceOf(InternalServerError);
    expect(attempts()).toBe(2);
  });

  test("retryOn narrows what is retried", async () => {
    mock.failNext({ kind: "status", status: 502 });
    await expect(
      fast({ retryOn: ["503"] }).push({ title_rule: "t", event_status: "Info" }),
    ).rejects.toMatchObject({
      code: "HTTP_502",
      status: 502,
    });
    expect(attempts()).toBe(1);
  });

  test.each([["4xx"], ["404"], ["3xx"], ["200"]])(
    "a retryOn entry that could never take effect (%s) is a ConfigError at creation",
    (entry) => {
      expect(() => fast({ retryOn: ["5xx", entry] })).toThrow(
        expect.objectContaining({
          code: "ConfigError",
          message: expect.stringContaining("can never take effect"),
        }),
      );
    },
  );

  test("honours Retry-After, and stops when it is over maxRetryAfterMs", async () => {
    mock.failNext({ kind: "error", code: "RequestTooFrequently", retryAfter: 1 });
    const delays: number[] = [];
    await fast({ onRetry: (info) => void delays.push(info.delayMs) }).push({
      title_rule: "t",
      event_status: "Info",
    });
    expect(delays).toEqual([1000]);

    mock.failNext({ kind: "error", code: "RequestTooFrequently", retryAfter: 120 });
    const error = await fast({ maxRetryAfterMs: 5000 })
      .push({ title_rule: "t", event_status: "Info" })
      .catch((thrown) => thrown);
    expect(error).toBeInstanceOf(RequestTooFrequentlyError);
    expect(error.retryAfterMs).toBe(120_000);
    expect(error.retryable).toBe(true);
  });

  test("a per-attempt timeout is a Timeout error, and is retried", async () => {
    // The delayed answer would take 30 s; the timeout (long enough for an ordinary answer on a loaded machine)
    // ends that attempt and the retry is answered at once.
    mock.failNext([{ kind: "delay", ms: 30_000 }]);
    const started = Date.now();
    const result = await fast({ timeoutMs: 1000 }).push({ title_rule: "t", event_status: "Info" });
    expect(result.data.alert_key).toEqual(expect.any(String));
    expect(Date.now() - started).toBeLessThan(20_000);

    mock.failNext([{ kind: "delay", ms: 30_000 }]);
    await expect(
      fast({ timeoutMs: 1000, maxRetries: 0 }).push({ title_rule: "t", event_status: "Info" }),
    ).rejects.toMatchObject({ code: "Timeout", retryable: true });
  });

  test("the caller's signal aborts a backoff wait at once", async () => {
    mock.failNext({ kind: "error", code: "RequestTooFrequently", retryAfter: 30 });
    const controller = new AbortController();
    let sent = 0;
    const flashduty = fast({
      onRequest: () => void sent++,
      onRetry: () => controller.abort(new Error("shutting down")),
    });
    const started = Date.now();
    const error = await flashduty
      .push({ title_rule: "t", event_status: "Info" }, { signal: controller.signal })
      .catch((thrown) => thrown);
    // One attempt went out before the wait: Flashduty may have it.
    expect(error).toMatchObject({ code: "Aborted", retryable: false, sent: true });
    // Not the 30 s Retry-After wait.
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(sent).toBe(1);
  });

  test("a signal that cannot take its listener back is refused before anything is sent", async () => {
    const flashduty = fast();
    const signal = { aborted: false, addEventListener: () => {} } as unknown as AbortSignal;
    const event = { title_rule: "t", event_status: "Info" } as const;
    await expect(flashduty.push(event, { signal })).rejects.toMatchObject({ code: "ConfigError" });
    await expect(flashduty.enqueue(event, { signal })).rejects.toMatchObject({ code: "ConfigError" });
    expect(mock.requests).toHaveLength(0);
    expect(await flashduty.close()).toEqual({ delivered: 0, failed: 0 });
  });

  test("a long-lived signal passed to every push keeps no listener from finished pushes", async () => {
    const shutdown = new AbortController();
    const flashduty = fast();
    mock.failNext(["InternalError", { kind: "reset" }]);
    for (let index = 0; index < 20; index++) {
      await flashduty.push({ title_rule: `p${index}`, event_status: "Info" }, { signal: shutdown.signal });
    }
    expect(getEventListeners(shutdown.signal, "abort")).toHaveLength(0);
  });

  test("the caller's signal aborts a request in flight", async () => {
    mock.failNext({ kind: "delay", ms: 5000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(
      fast().push({ title_rule: "t", event_status: "Info" }, { signal: controller.signal }),
    ).rejects.toMatchObject({ code: "Aborted" });
  });

  test("a network error names what failed, not the URL", async () => {
    const closed = await startMockServer({ rateLimit: false });
    await closed.close();
    const error = await createFlashCall({
      pushUrl: closed.pushUrl,
      maxRetries: 1,
      backoff: { baseMs: 1, maxMs: 1 },
    })
      .push({ title_rule: "t", event_status: "Info" })
      .catch((thrown) => thrown);
    expect(error).toMatchObject({ code: "NetworkError", retryable: true });
    expect(error.message).not.toContain(closed.integrationKey);
  });
});

describe("instances and keys", () => {
  test("per-call integrationKey and baseUrl win over the instance's", async () => {
    const other = await startMockServer({ rateLimit: false });
    try {
      const flashduty = fast();
      await flashduty.push(
        { title_rule: "t", event_status: "Info" },
        { baseUrl: other.baseUrl, integrationKey: other.integrationKey },
      );
      expect(other.events).toHaveLength(1);
      expect(mock.events).toHaveLength(0);
    } finally {
      await other.close();
    }
  });

  test("no key anywhere is a ConfigError before any request", async () => {
    const previous = process.env.FLASHDUTY_INTEGRATION_KEY;
    const previousUrl = process.env.FLASHDUTY_PUSH_URL;
    delete process.env.FLASHDUTY_INTEGRATION_KEY;
    delete process.env.FLASHDUTY_PUSH_URL;
    try {
      await expect(createFlashCall().push({ title_rule: "t", event_status: "Info" })).rejects.toMatchObject({
        code: "ConfigError",
      });
    } finally {
      if (previous !== undefined) process.env.FLASHDUTY_INTEGRATION_KEY = previous;
      if (previousUrl !== undefined) process.env.FLASHDUTY_PUSH_URL = previousUrl;
    }
  });

  test("a base URL that is not an http(s) URL is a ConfigError, not a retried network error", async () => {
    expect(() => createFlashCall({ baseUrl: "not a url" })).toThrow(/not an absolute http\(s\) URL/);
    await expect(
      fast().push({ title_rule: "t", event_status: "Info" }, { baseUrl: "ftp://example.com" }),
    ).rejects.toMatchObject({ code: "ConfigError" });
    expect(mock.requests).toHaveLength(0);
  });

  test("a closed instance refuses new work", async () => {
    const flashduty = fast();
    await flashduty.close();
    await expect(flashduty.push({ title_rule: "t", event_status: "Info" })).rejects.toMatchObject({
      code: "ClientClosed",
    });
  });

  test("unauthorized answers map to their class", async () => {
    mock.failNext("Unauthorized");
    await expect(fast().push({ title_rule: "t", event_status: "Info" })).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
  });

  test("truncations are logged as warnings and told to hooks", async () => {
    const warnings: string[] = [];
    const seen: number[] = [];
    const flashduty = fast({
      logLevel: "warn",
      logger: { warn: (line) => warnings.push(line) },
      onRequest: (info) => void seen.push(info.truncations.length),
    });
    await flashduty.push({ title_rule: "x".repeat(600), event_status: "Info" });
    expect(warnings).toEqual([expect.stringContaining("title_rule was 600 characters; truncated to 512")]);
    expect(seen).toEqual([1]);
    expect(mock.events[0]?.title_rule).toHaveLength(512);
  });

  test("a throwing hook does not break delivery", async () => {
    const errors: string[] = [];
    const flashduty = fast({
      logLevel: "error",
      logger: { error: (line) => errors.push(line) },
      onRequest: () => {
        throw new Error("hook bug");
      },
    });
    await expect(flashduty.push({ title_rule: "t", event_status: "Info" })).resolves.toBeDefined();
    expect(errors).toEqual([expect.stringContaining("hook bug")]);
  });

  test("errors are FlashdutyError instances", async () => {
    mock.failNext("AccessDenied");
    const error = await fast()
      .push({ title_rule: "t", event_status: "Info" })
      .catch((thrown) => thrown);
    expect(FlashdutyError.isInstance(error)).toBe(true);
  });
});
