import { ERROR_CODE_LIST } from "@flash-call/core/constants";
import { describe, expect, test } from "vitest";
import { RequestTooFrequentlyError } from "./api-errors.js";
import {
  FlashdutyAbortError,
  FlashdutyConfigError,
  FlashdutyNetworkError,
  FlashdutyTimeoutError,
} from "./client-errors.js";
import { ERROR_CODES } from "./error-codes.js";
import { errorFromResponse } from "./error-from-response.js";
import { FlashdutyError } from "./flashduty-error.js";
import {
  backoffDelay,
  createRetryPolicy,
  DEFAULT_RETRY_ON,
  DEFAULT_RETRY_POLICY,
  isRetryableStatus,
  isWorthRetryingLater,
  planRetry,
} from "./retry-policy.js";
import { retryableFor } from "./retry-rule.js";

const status = (code: number) => errorFromResponse(code, "");
/** A 200 whose body carries Flashduty's error `code`. */
const okCarrying = (code: string) => errorFromResponse(200, { error: { code, message: "no" } });

describe("isRetryableStatus", () => {
  test.each([
    [408, true],
    [429, true],
    [500, true],
    [599, true],
    [400, false],
    [404, false],
    [200, false],
    [302, false],
    [600, false],
    [undefined, false],
  ])("status %s can be helped by a retry: %s", (code, expected) => {
    expect(isRetryableStatus(code)).toBe(expected);
  });
});

describe("retryableFor, the default retryable of an error", () => {
  test("by documented code first, then by status", () => {
    expect(retryableFor("RequestTooFrequently", 200)).toBe(true);
    expect(retryableFor("InternalError")).toBe(true);
    expect(retryableFor("InvalidParameter", 503)).toBe(false);
    expect(retryableFor("NetworkError")).toBe(true);
    expect(retryableFor("Timeout")).toBe(true);
    expect(retryableFor("HTTP_504")).toBe(true);
    expect(retryableFor("HTTP_200", 200)).toBe(true); // an answer cut off: the push may not have landed
    expect(retryableFor("Redirected", 302)).toBe(false);
    expect(retryableFor("SomethingNew", 400)).toBe(false);
    expect(retryableFor("SomethingNew")).toBe(false);
    expect(retryableFor("QueueFull")).toBe(true);
  });

  test.each(ERROR_CODE_LIST)("ERROR_CODES.%s.retryable agrees with the rule", (code) => {
    expect(ERROR_CODES[code].retryable).toBe(retryableFor(code));
  });

  test("is what the default policy says, for every error the SDK builds", () => {
    for (const error of [
      new FlashdutyNetworkError(),
      new FlashdutyTimeoutError(),
      new FlashdutyAbortError(),
      new FlashdutyConfigError("x"),
      new RequestTooFrequentlyError("x"),
      status(400),
      status(302),
      status(408),
      status(503),
      okCarrying("Unauthorized"),
      okCarrying("InternalError"),
      errorFromResponse(200, "<html>"),
      new FlashdutyError("the delivery queue is full", { code: "QueueFull" }),
      new FlashdutyError("this instance is closed", { code: "ClientClosed" }),
    ]) {
      expect([error.code, isWorthRetryingLater(error)]).toEqual([error.code, error.retryable]);
    }
  });
});

describe("isWorthRetryingLater", () => {
  test("retries network errors, timeouts, 408, 429 and 5xx by default", () => {
    expect(isWorthRetryingLater(new FlashdutyNetworkError("reset"))).toBe(true);
    expect(isWorthRetryingLater(new FlashdutyTimeoutError(undefined, { timeoutMs: 10 }))).toBe(true);
    for (const code of [408, 429, 500, 502, 503, 504, 599])
      expect(isWorthRetryingLater(status(code))).toBe(true);
  });

  test("never retries another 4xx, a redirect, an abort or what is not a FlashdutyError", () => {
    for (const code of [400, 401, 403, 404, 422, 301, 302, 307, 308]) {
      expect(isWorthRetryingLater(status(code))).toBe(false);
    }
    expect(isWorthRetryingLater(errorFromResponse(200, "", undefined, { redirected: true }))).toBe(false);
    expect(isWorthRetryingLater(new FlashdutyAbortError())).toBe(false);
    expect(isWorthRetryingLater(new Error("plain"))).toBe(false);
    expect(isWorthRetryingLater(new FlashdutyError("x", { code: "ValidationError" }))).toBe(false);
  });

  test("understands statuses, classes and ranges", () => {
    const policy = createRetryPolicy({ retryOn: ["503", "520-530"] });
    expect(isWorthRetryingLater(status(503), policy)).toBe(true);
    expect(isWorthRetryingLater(status(525), policy)).toBe(true);
    expect(isWorthRetryingLater(status(500), policy)).toBe(false);
    expect(isWorthRetryingLater(new FlashdutyNetworkError("x"), policy)).toBe(false);
  });

  test("judges a documented code in a 2xx by the code's own status; an unreadable 2xx like a network failure", () => {
    const networkOnly = createRetryPolicy({ retryOn: ["network"] });
    const rateOnly = createRetryPolicy({ retryOn: ["429"] });
    expect(isWorthRetryingLater(okCarrying("RequestTooFrequently"), rateOnly)).toBe(true);
    expect(isWorthRetryingLater(okCarrying("RequestTooFrequently"), networkOnly)).toBe(false);
    expect(isWorthRetryingLater(okCarrying("InvalidParameter"))).toBe(false);
    expect(isWorthRetryingLater(errorFromResponse(200, "<html>"), networkOnly)).toBe(true);
    expect(isWorthRetryingLater(errorFromResponse(200, "<html>"), rateOnly)).toBe(false);
  });
});

describe("createRetryPolicy", () => {
  test("defaults to DEFAULT_RETRY_ON, 1 s to 30 s backoff and a 60 s Retry-After cap", () => {
    expect(DEFAULT_RETRY_POLICY).toEqual(createRetryPolicy({ retryOn: DEFAULT_RETRY_ON }));
    expect(DEFAULT_RETRY_POLICY).toMatchObject({
      network: true,
      timeout: true,
      backoff: { baseMs: 1000, maxMs: 30_000 },
      maxRetryAfterMs: 60_000,
    });
  });

  test("a typo in retryOn fails at once", () => {
    for (const typo of ["5xxx", "6xx", "50", "5000", "500-", "-500", "500-530-540", "500_530", "5o0", "x5xx"])
      expect(() => createRetryPolicy({ retryOn: [typo] }), typo).toThrow(/not understood/);
    expect(createRetryPolicy({ retryOn: [" 5XX ", "500-530"] }).statuses).toEqual([
      [500, 599],
      [500, 530],
    ]);
  });

  test.each([
    ["4xx"],
    ["404"],
    ["400-499"],
    ["401"],
    ["3xx"],
    ["302"],
    ["200"],
    ["2xx"],
    ["1xx"],
    ["600"],
    ["530-520"],
  ])("refuses %s, which would never take effect, with a FlashdutyConfigError", (entry) => {
    let thrown: unknown;
    try {
      createRetryPolicy({ retryOn: ["network", entry] });
    } catch (error) {
      thrown = error;
    }
    expect(FlashdutyConfigError.isInstance(thrown)).toBe(true);
    expect((thrown as Error).message).toBe(
      `retryOn entry "${entry}" can never take effect: only 408, 429 and 500-599 are retried (another 4xx fails again, a redirect is never followed, a 2xx is a delivery), e.g. "429", "5xx", "500-530".`,
    );
  });

  test("accepts every status that can take effect", () => {
    expect(() =>
      createRetryPolicy({ retryOn: ["408", "429", "5xx", "500-530", " 503 ", "TIMEOUT"] }),
    ).not.toThrow();
  });
});

describe("planRetry", () => {
  const policy = createRetryPolicy({ backoff: { baseMs: 100, maxMs: 1000 }, maxRetryAfterMs: 5000 });
  const half = () => 0.5;

  test("retries with the backoff until maxRetries are used", () => {
    expect(planRetry(status(503), 1, policy, 2, half)).toEqual({
      retry: true,
      delayMs: 50,
      pauseMs: 0,
      retryAfterTooLong: false,
    });
    expect(planRetry(status(503), 2, policy, 2, half)).toMatchObject({ retry: true, delayMs: 100 });
    expect(planRetry(status(503), 3, policy, 2, half)).toMatchObject({ retry: false });
  });

  test("waits for Retry-After, and pauses the key on a 429", () => {
    const limited = new RequestTooFrequentlyError("slow down", { status: 429, retryAfterMs: 2000 });
    expect(planRetry(limited, 1, policy, 3, half)).toEqual({
      retry: true,
      delayMs: 2000,
      pauseMs: 2000,
      retryAfterTooLong: false,
    });
  });

  test("a Retry-After over maxRetryAfterMs ends the retries, and the pause is capped", () => {
    const limited = new RequestTooFrequentlyError("slow down", { status: 429, retryAfterMs: 9000 });
    expect(planRetry(limited, 1, policy, 3, half)).toEqual({
      retry: false,
      delayMs: 9000,
      pauseMs: 5000,
      retryAfterTooLong: true,
    });
  });

  test("never retries what the policy refuses, whatever maxRetries", () => {
    expect(planRetry(status(401), 1, policy, 10, half).retry).toBe(false);
  });
});

test("full jitter stays within min(maxMs, baseMs × 2^(retry−1))", () => {
  const backoff = { baseMs: 1000, maxMs: 5000 };
  expect(backoffDelay(1, backoff, () => 0.999)).toBe(999);
  expect(backoffDelay(2, backoff, () => 0.5)).toBe(1000);
  expect(backoffDelay(10, backoff, () => 0.999)).toBe(4995);
  expect(backoffDelay(3, backoff, () => 0)).toBe(0);
});

describe("the retry helpers given plain JavaScript's garbage", () => {
  /** What `call` throws: a FlashdutyConfigError whose message starts with `start`, never a TypeError. */
  const refuses = (call: () => unknown, start: string) => {
    let thrown: unknown;
    try {
      call();
    } catch (error) {
      thrown = error;
    }
    expect(FlashdutyConfigError.isInstance(thrown)).toBe(true);
    expect((thrown as Error).message.startsWith(start)).toBe(true);
  };
  const garbage = [null, undefined, 42, "policy", Symbol("x")] as unknown[];

  test("planRetry names the argument: its error, its policy, its policy's backoff, its random", () => {
    const failure = status(503);
    for (const value of garbage) {
      refuses(
        () => planRetry(value as FlashdutyError, 1, DEFAULT_RETRY_POLICY, 3),
        "planRetry()'s error must be an error, not",
      );
      refuses(() => planRetry(failure, 1, value as never, 3), "planRetry()'s policy must be");
      refuses(
        () => planRetry(failure, 1, { ...DEFAULT_RETRY_POLICY, backoff: value as never }, 3),
        "planRetry()'s policy.backoff must be",
      );
    }
    refuses(
      () => planRetry(failure, 1, {} as never, 3),
      "planRetry()'s policy must be a policy from createRetryPolicy(), not an object.",
    );
    refuses(
      () => planRetry(failure, 1, DEFAULT_RETRY_POLICY, 3, 0.5 as never),
      "planRetry()'s random must be",
    );
  });

  test("backoffDelay names its backoff and random; isWorthRetryingLater its policy", () => {
    for (const value of garbage) {
      refuses(() => backoffDelay(1, value as never), "backoffDelay()'s backoff must be an object");
    }
    refuses(
      () => backoffDelay(1, { baseMs: 10, maxMs: 10 }, "random" as never),
      "backoffDelay()'s random must be",
    );
    for (const value of [null, 42, "rules", {}]) {
      refuses(
        () => isWorthRetryingLater(status(503), value as never),
        "isWorthRetryingLater()'s policy must be",
      );
    }
  });

  test("createRetryPolicy refuses options, a retryOn and entries it cannot read, and still reads numbers", () => {
    for (const value of [null, 42, "5xx", Symbol("x")]) {
      refuses(() => createRetryPolicy(value as never), "createRetryPolicy()'s options must be an object");
    }
    for (const value of [429, "5xx", { 0: "5xx" }]) {
      refuses(() => createRetryPolicy({ retryOn: value as never }), "retryOn must be an array");
    }
    for (const value of [Symbol("5xx"), null, {}, ["5xx"], () => "5xx"]) {
      refuses(
        () => createRetryPolicy({ retryOn: ["network", value as never] }),
        'A retryOn entry must be a string such as "5xx", not',
      );
    }
    expect(createRetryPolicy({ retryOn: [429 as never] }).statuses).toEqual([[429, 429]]);
  });
});
