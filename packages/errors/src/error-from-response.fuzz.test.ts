import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { propertyOptions } from "../../../test-support/fast-check.js";
import { FlashdutyApiError } from "./api-errors.js";
import { errorFromResponse } from "./error-from-response.js";

/** Objects that attack whoever reads them; built inside the property, so that fast-check never reads them. */
const HOSTILE = [
  () =>
    Object.defineProperty({}, "error", {
      enumerable: true,
      get() {
        throw new Error("getter");
      },
    }),
  (inner: unknown) =>
    new Proxy(
      { error: inner },
      {
        get() {
          throw new Error("trap");
        },
        ownKeys() {
          throw new Error("trap");
        },
        has() {
          throw new Error("trap");
        },
        getPrototypeOf() {
          throw new Error("trap");
        },
      },
    ),
  () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  },
  (inner: unknown) => {
    const cyclic: Record<string, unknown> = { error: { code: "InvalidParameter", message: inner } };
    cyclic.self = cyclic;
    return cyclic;
  },
  (inner: unknown) => Object.assign(Object.create(null), { error: inner }),
  () => [{ toString: 0 }],
  () => ({ error: { code: { toString: 0 }, message: { valueOf: 0, toString: 0 } } }),
  (inner: unknown) => ({ toJSON: 0, error: inner }),
];

/** A hostile body, described by data until the property builds it. */
class Hostile {
  constructor(
    readonly kind: number,
    readonly inner: unknown,
  ) {}
  build(): unknown {
    return HOSTILE[this.kind % HOSTILE.length]?.(this.inner);
  }
}

const status = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 100, max: 599 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, 0, 99, 1000, -1, 1.5, Number.POSITIVE_INFINITY) },
  { weight: 1, arbitrary: fc.anything() },
) as fc.Arbitrary<number>;
const headers = fc.oneof(
  fc.dictionary(
    fc.constantFrom(
      "retry-after",
      "Retry-After",
      "retry-after-ms",
      "x-request-id",
      "content-type",
      "location",
    ),
    fc.oneof(
      fc.string(),
      fc.integer().map(String),
      fc.date({ noInvalidDate: true }).map((date) => date.toUTCString()),
      fc.anything(),
    ),
  ),
  fc.anything(),
  fc.constant({
    get() {
      throw new Error("get");
    },
  }),
) as fc.Arbitrary<Record<string, string>>;
const jsonText = fc.jsonValue().map((value) => JSON.stringify(value));
const body = fc.oneof(
  fc.anything({
    withBigInt: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withTypedArray: true,
  }),
  fc.string(),
  jsonText,
  jsonText.map((text) => text.slice(0, Math.floor(text.length / 2))),
  fc.record({
    request_id: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.anything()),
    error: fc.oneof(
      fc.record({
        code: fc.oneof(fc.string(), fc.integer(), fc.constant("constructor"), fc.anything()),
        message: fc.anything(),
      }),
      fc.string(),
      fc.constant(null),
      fc.anything(),
    ),
  }),
  fc.string().map((text) => `<html><head><title>${text}</title></head><body>${text}</body></html>`),
  fc.tuple(fc.nat(), fc.anything()).map(([kind, inner]) => new Hostile(kind, inner)),
);

describe("errorFromResponse, fuzzed", () => {
  test("any status, body and headers give a FlashdutyApiError with a code and a message; never a throw", () => {
    fc.assert(
      fc.property(status, body, headers, (code, generated, headerValues) => {
        const value = generated instanceof Hostile ? generated.build() : generated;
        const error = errorFromResponse(code, value, headerValues);
        expect(error).toBeInstanceOf(FlashdutyApiError);
        if (typeof code === "number" && Number.isSafeInteger(code) && code >= 0)
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
