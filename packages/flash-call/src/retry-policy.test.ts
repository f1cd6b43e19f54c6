import {
  errorFromResponse,
  FlashdutyError,
  FlashdutyNetworkError,
  FlashdutyTimeoutError,
} from "@flash-call/errors";
import { describe, expect, test } from "vitest";
import { backoffDelay, compileRetryOn, DEFAULT_RETRY_ON, shouldRetry } from "./retry-policy.js";

const status = (code: number) => errorFromResponse(code, "");

describe("retry policy", () => {
  const defaults = compileRetryOn(DEFAULT_RETRY_ON);

  test("retries network errors, timeouts, 408, 429 and 5xx by default", () => {
    expect(shouldRetry(new FlashdutyNetworkError("reset"), defaults)).toBe(true);
    expect(shouldRetry(new FlashdutyTimeoutError(undefined, { timeoutMs: 10 }), defaults)).toBe(true);
    for (const code of [408, 429, 500, 502, 503, 504, 599])
      expect(shouldRetry(status(code), defaults)).toBe(true);
  });

  test("never retries another 4xx, whatever retryOn says", () => {
    const everything = compileRetryOn(["4xx", "400-499", "401"]);
    for (const code of [400, 401, 403, 404, 422]) expect(shouldRetry(status(code), everything)).toBe(false);
  });

  test("understands statuses, classes and ranges", () => {
    const policy = compileRetryOn(["503", "520-530"]);
    expect(shouldRetry(status(503), policy)).toBe(true);
    expect(shouldRetry(status(525), policy)).toBe(true);
    expect(shouldRetry(status(500), policy)).toBe(false);
    expect(shouldRetry(new FlashdutyNetworkError("x"), policy)).toBe(false);
    expect(shouldRetry(new Error("plain"), policy)).toBe(false);
    expect(shouldRetry(new FlashdutyError("x", { code: "ValidationError" }), policy)).toBe(false);
  });

  test("a typo in retryOn fails at once", () => {
    expect(() => compileRetryOn(["5xxx"])).toThrow(/not understood/);
  });

  test("full jitter stays within min(maxMs, baseMs × 2^(retry−1))", () => {
    const backoff = { baseMs: 1000, maxMs: 5000 };
    expect(backoffDelay(1, backoff, () => 0.999)).toBe(999);
    expect(backoffDelay(2, backoff, () => 0.5)).toBe(1000);
    expect(backoffDelay(10, backoff, () => 0.999)).toBe(4995);
    expect(backoffDelay(3, backoff, () => 0)).toBe(0);
  });
});
