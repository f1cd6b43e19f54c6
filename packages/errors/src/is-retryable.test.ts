import { expect, test } from "vitest";
import { RequestTooFrequentlyError, UnauthorizedError } from "./api-errors.js";
import { FlashdutyAbortError, FlashdutyNetworkError, FlashdutyTimeoutError } from "./client-errors.js";
import { errorFromResponse } from "./error-from-response.js";
import { isRetryable } from "./is-retryable.js";

test.each([
  [new RequestTooFrequentlyError("m"), true],
  [new UnauthorizedError("m"), false],
  [new FlashdutyNetworkError(), true],
  [new FlashdutyTimeoutError(), true],
  [new FlashdutyAbortError(), false],
  [errorFromResponse(502, "<html></html>"), true],
  [errorFromResponse(408, ""), true],
  [errorFromResponse(400, ""), false],
  [new DOMException("t", "TimeoutError"), true],
  [new DOMException("a", "AbortError"), false],
  [new TypeError("x is not a function"), false],
  [null, false],
  ["NetworkError", false],
])("%s -> %s", (error, expected) => {
  expect(isRetryable(error)).toBe(expected);
});
