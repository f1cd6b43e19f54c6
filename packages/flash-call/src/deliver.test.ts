import { createRetryPolicy, FlashdutyError, type RetryPolicyOptions } from "@flash-call/errors";
import { describe, expect, test, vi } from "vitest";
import { type DeliverySettings, deliver } from "./deliver.js";
import type { ErrorInfo, Hooks, RetryInfo } from "./hooks.js";
import { createLog } from "./log.js";
import { keyIdFor } from "./pacer.js";
import { RateLimiter } from "./rate-limiter.js";
import { createTargetResolver } from "./target.js";

const KEY = "d3l1v3rd3l1v3rd3l1v3rd3l1v3r0001";
const EVENT = { title_rule: "disk full", event_status: "Critical" } as const;
const SUCCESS = '{"request_id":"r-ok","data":{"alert_key":"ak"}}';

/** A fetch that gives the answers in turn (the last one again once they run out), and counts its calls. */
function answering(...answers: Array<() => Response>) {
  const calls: string[] = [];
  const fetch: typeof globalThis.fetch = async (url) => {
    calls.push(String(url));
    const answer = answers[Math.min(calls.length, answers.length) - 1];
    if (answer === undefined) throw new Error("no answer");
    return answer();
  };
  return { fetch, calls };
}

const ok = () => new Response(SUCCESS, { status: 200 });
const status =
  (code: number, headers: Record<string, string> = {}) =>
  () =>
    new Response("", { status: code, headers });
const failure =
  (code: string, httpStatus = 200, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify({ request_id: "r-no", error: { code, message: "no" } }), {
      status: httpStatus,
      headers: { "content-type": "application/json", ...headers },
    });

function settings(
  fetch: typeof globalThis.fetch,
  overrides: { hooks?: Hooks; retry?: RetryPolicyOptions; limiter?: RateLimiter } = {},
): DeliverySettings {
  return {
    hooks: overrides.hooks ?? {},
    log: createLog(undefined, "silent"),
    limiter: overrides.limiter,
    // No backoff wait: these tests are about which attempts happen, not when.
    retryPolicy: createRetryPolicy({ backoff: { baseMs: 0, maxMs: 0 }, ...overrides.retry }),
    fetch,
    stuckHooks: new Set(),
  };
}

function request(overrides: { maxRetries?: number; signal?: AbortSignal } = {}) {
  return {
    event: EVENT,
    truncations: [],
    target: createTargetResolver({ integrationKey: KEY, baseUrl: "https://flashduty.test" })({}),
    timeoutMs: 10_000,
    maxRetries: overrides.maxRetries ?? 3,
    signal: overrides.signal,
  };
}

describe("deliver", () => {
  test("each target's pushes carry its own key and push-URL query, encoded once and sent every time", async () => {
    const { fetch, calls } = answering(ok);
    const first = createTargetResolver({ integrationKey: KEY, baseUrl: "https://flashduty.test" })({});
    const other = createTargetResolver({
      pushUrl:
        "https://flashduty.test/event/push/alert/standard?integration_key=0th3r0th3r0th3r0th3r&team=a b",
    })({});
    for (const target of [first, other, first, other])
      await deliver(settings(fetch), { ...request(), target });
    const own = `https://flashduty.test/event/push/alert/standard?integration_key=${KEY}`;
    const pushUrl =
      "https://flashduty.test/event/push/alert/standard?team=a%20b&integration_key=0th3r0th3r0th3r0th3r";
    expect(calls).toEqual([own, pushUrl, own, pushUrl]);
  });

  test("retries what the policy retries, telling onRetry, and resolves with the success body", async () => {
    const { fetch, calls } = answering(status(503), status(429), ok);
    const retries: RetryInfo[] = [];
    const result = await deliver(
      settings(fetch, { hooks: { onRetry: (info) => void retries.push(info) } }),
      request(),
    );
    expect(result).toEqual({ request_id: "r-ok", data: { alert_key: "ak" } });
    expect(calls).toHaveLength(3);
    expect(retries.map((info) => [info.attempt, info.status, info.delayMs])).toEqual([
      [1, 503, 0],
      [2, 429, 0],
    ]);
  });

  test("gives up after maxRetries with the last typed error, told to onError", async () => {
    const { fetch, calls } = answering(status(502));
    const errors: ErrorInfo[] = [];
    const pushed = deliver(
      settings(fetch, { hooks: { onError: (info) => void errors.push(info) } }),
      request({ maxRetries: 2 }),
    );
    await expect(pushed).rejects.toMatchObject({ code: "HTTP_502", status: 502 });
    expect(calls).toHaveLength(3);
    expect(errors.map((info) => [info.attempt, info.code])).toEqual([[3, "HTTP_502"]]);
  });

  test("a redirect is never retried, whatever maxRetries", async () => {
    const { fetch, calls } = answering(status(302, { location: "https://elsewhere.test/" }), ok);
    await expect(deliver(settings(fetch), request({ maxRetries: 5 }))).rejects.toMatchObject({
      code: "Redirected",
      retryable: false,
    });
    expect(calls).toHaveLength(1);
  });

  test("retryOn narrows what is retried", async () => {
    const { fetch, calls } = answering(status(503), ok);
    const narrow = settings(fetch, { retry: { retryOn: ["network", "429"] } });
    await expect(deliver(narrow, request())).rejects.toMatchObject({ code: "HTTP_503" });
    expect(calls).toHaveLength(1);
  });

  test("a documented error code in a 200 is judged by the code's own status", async () => {
    const limited = answering(failure("RequestTooFrequently"), ok);
    await expect(deliver(settings(limited.fetch), request())).resolves.toBeDefined();
    expect(limited.calls).toHaveLength(2);
    const rejected = answering(failure("Unauthorized"), ok);
    await expect(deliver(settings(rejected.fetch), request())).rejects.toMatchObject({
      code: "Unauthorized",
    });
    expect(rejected.calls).toHaveLength(1);
  });

  test("a Retry-After over maxRetryAfterMs fails that push, and pauses the key no longer than the cap", async () => {
    const limiter = new RateLimiter({ perSecond: 100, perMinute: 1000 });
    const pause = vi.spyOn(limiter, "pause");
    const { fetch, calls } = answering(failure("RequestTooFrequently", 429, { "retry-after": "3600" }), ok);
    const capped = settings(fetch, { limiter, retry: { maxRetryAfterMs: 50 } });
    await expect(deliver(capped, request())).rejects.toMatchObject({
      code: "RequestTooFrequently",
      retryAfterMs: 3_600_000,
    });
    expect(calls).toHaveLength(1);
    // The pacer knows the key only by its id (this process's own, for the in-process limiter).
    expect(pause).toHaveBeenCalledWith(keyIdFor(limiter, KEY), 50);
    expect(pause).not.toHaveBeenCalledWith(KEY, expect.anything());
    // The next push on the key is held 50 ms at most, not an hour.
    await expect(deliver(capped, request())).resolves.toBeDefined();
  });

  test("an aborted push sends nothing and is told to onError", async () => {
    const { fetch, calls } = answering(ok);
    const errors: ErrorInfo[] = [];
    const controller = new AbortController();
    controller.abort();
    const pushed = deliver(
      settings(fetch, { hooks: { onError: (info) => void errors.push(info) } }),
      request({ signal: controller.signal }),
    );
    await expect(pushed).rejects.toMatchObject({ code: "Aborted", sent: false });
    expect(calls).toHaveLength(0);
    expect(errors.map((info) => info.code)).toEqual(["Aborted"]);
    expect(FlashdutyError.isInstance(errors[0]?.error)).toBe(true);
  });

  test("an abort says whether an attempt had been sent: mid-attempt or between retries yes, before the first no", async () => {
    const inFlight = new AbortController();
    // Aborted once the attempt is in fetch's hands: the request may have left.
    const hanging: typeof globalThis.fetch = (_url, init) => {
      inFlight.abort();
      return new Promise((_, reject) =>
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)),
      );
    };
    await expect(deliver(settings(hanging), request({ signal: inFlight.signal }))).rejects.toMatchObject({
      code: "Aborted",
      sent: true,
      message: "The push was aborted before Flashduty answered; it may have arrived",
    });

    const betweenRetries = new AbortController();
    const { fetch, calls } = answering(status(500));
    const hooks = { onRetry: () => betweenRetries.abort() };
    await expect(
      deliver(settings(fetch, { hooks }), request({ signal: betweenRetries.signal })),
    ).rejects.toMatchObject({ code: "Aborted", sent: true });
    expect(calls).toHaveLength(1);

    // Aborted by the hook of the second attempt: not that attempt, but the first, was sent.
    const atSecond = new AbortController();
    const retried = answering(status(500));
    const secondHook = {
      onRequest: (info: { attempt: number }) => (info.attempt === 2 ? atSecond.abort() : undefined),
    };
    await expect(
      deliver(settings(retried.fetch, { hooks: secondHook }), request({ signal: atSecond.signal })),
    ).rejects.toMatchObject({ code: "Aborted", sent: true });
    expect(retried.calls).toHaveLength(1);

    const beforeFirst = new AbortController();
    const before = { onRequest: () => beforeFirst.abort() };
    const unsent = answering(ok);
    await expect(
      deliver(settings(unsent.fetch, { hooks: before }), request({ signal: beforeFirst.signal })),
    ).rejects.toMatchObject({
      code: "Aborted",
      sent: false,
      message: "The push was aborted before it was sent",
    });
    expect(unsent.calls).toHaveLength(0);
  });

  test("hook payloads carry the masked key, never the key", async () => {
    const { fetch } = answering(status(500), ok);
    const seen: unknown[] = [];
    const record = (info: unknown) => void seen.push(info);
    await deliver(
      settings(fetch, { hooks: { onRequest: record, onResponse: record, onRetry: record } }),
      request(),
    );
    expect(seen).toHaveLength(5);
    for (let at = 0; at + 8 <= KEY.length; at++)
      expect(JSON.stringify(seen)).not.toContain(KEY.slice(at, at + 8));
  });
});
