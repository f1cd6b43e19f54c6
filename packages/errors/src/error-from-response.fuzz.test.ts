import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { propertyOptions } from "../../../test-support/fast-check.js";
import { FlashdutyApiError } from "./api-errors.js";
import { errorFromResponse } from "./error-from-response.js";

const status = fc.integer({ min: 100, max: 599 });
const headers = fc.dictionary(
  fc.constantFrom("retry-after", "Retry-After", "retry-after-ms", "x-request-id", "content-type"),
  fc.oneof(
    fc.string(),
    fc.integer().map(String),
    fc.date({ noInvalidDate: true }).map((date) => date.toUTCString()),
  ),
);
const jsonText = fc.jsonValue().map((value) => JSON.stringify(value));
const body = fc.oneof(
  fc.anything(),
  fc.string(),
  jsonText,
  jsonText.map((text) => text.slice(0, Math.floor(text.length / 2))),
  fc.record({
    request_id: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
    error: fc.oneof(
      fc.record({
        code: fc.oneof(fc.string(), fc.integer(), fc.constant("constructor")),
        message: fc.anything(),
      }),
      fc.string(),
      fc.constant(null),
    ),
  }),
  fc.string().map((text) => `<html><head><title>${text}</title></head><body>${text}</body></html>`),
);

describe("errorFromResponse, fuzzed", () => {
  test("any status, body and headers give a FlashdutyApiError with a code, status and message; never a throw", () => {
    fc.assert(
      fc.property(status, body, headers, (code, value, headerValues) => {
        const error = errorFromResponse(code, value, headerValues);
        expect(error).toBeInstanceOf(FlashdutyApiError);
        expect(error.status).toBe(code);
        expect(typeof error.code).toBe("string");
        expect(error.code.length).toBeGreaterThan(0);
        expect(typeof error.message).toBe("string");
        expect(typeof error.retryable).toBe("boolean");
        if (error.retryAfterMs !== undefined) expect(error.retryAfterMs).toBeGreaterThanOrEqual(0);
        expect(() => JSON.stringify(error)).not.toThrow();
      }),
      propertyOptions("errorFromResponse never throws", { numRuns: 2000 }),
    );
  });
});
