import { describe, expect, test } from "vitest";
import { parseRetryAfter } from "./retry-after.js";

const NOW = Date.parse("2025-01-01T00:00:00Z");

describe("parseRetryAfter", () => {
  test.each([
    [{ "Retry-After": "2" }, 2000],
    [{ "retry-after": "0" }, 0],
    [{ "RETRY-AFTER": " 1.5 " }, 1500],
    [{ "Retry-After": "Wed, 01 Jan 2025 00:00:03 GMT" }, 3000],
    [{ "Retry-After": "Tue, 31 Dec 2024 23:59:00 GMT" }, 0],
    [{ "retry-after-ms": "150" }, 150],
    [{ "retry-after-ms": "150", "retry-after": "9" }, 150],
    [{ "retry-after-ms": "soon", "retry-after": "9" }, 9000],
    [{ "Retry-After": "-1" }, undefined],
    [{ "Retry-After": "soon" }, undefined],
    [{ "Retry-After": "" }, undefined],
    [{}, undefined],
  ])("%j -> %s", (headers, expected) => {
    expect(parseRetryAfter(headers, NOW)).toBe(expected);
  });

  test("reads fetch Headers", () => {
    expect(parseRetryAfter(new Headers({ "Retry-After": "3" }))).toBe(3000);
  });

  test("defaults now to the clock", () => {
    const inTwoSeconds = new Date(Date.now() + 2000).toUTCString();
    const delay = parseRetryAfter(new Headers({ "Retry-After": inTwoSeconds }));
    expect(delay).toBeGreaterThan(0);
    expect(delay).toBeLessThanOrEqual(2000);
  });
});
