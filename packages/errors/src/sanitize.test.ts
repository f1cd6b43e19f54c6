import { inspect } from "node:util";
import { describe, expect, test } from "vitest";
import { sanitizeCause, sanitizeJson } from "./sanitize.js";

const URL_WITH_KEY = "https://h/event/push/alert/standard?integration_key=leaky-cause-key";

describe("sanitizeCause", () => {
  test("keeps a clean error as is", () => {
    const cause = new TypeError("fetch failed");
    expect(sanitizeCause(cause)).toBe(cause);
  });

  test("copies an error that would print a key, keeping its type", () => {
    const cause = Object.assign(new TypeError(`failed: ${URL_WITH_KEY}`), {
      url: URL_WITH_KEY,
      errno: 5,
      request: { query: [URL_WITH_KEY] },
    });
    const safe = sanitizeCause(cause) as TypeError & { url: string; errno: number; request: unknown };
    expect(safe).not.toBe(cause);
    expect(safe).toBeInstanceOf(TypeError);
    expect(safe.name).toBe("TypeError");
    expect(safe.errno).toBe(5);
    for (const text of [
      safe.message,
      safe.stack,
      safe.url,
      String(safe),
      inspect(safe),
      JSON.stringify(safe.request),
    ]) {
      expect(text).not.toContain("leaky-cause-key");
    }
  });

  test("walks nested causes", () => {
    const inner = new Error(`inner ${URL_WITH_KEY}`);
    const outer = new Error("outer", { cause: inner });
    const safe = sanitizeCause(outer) as Error;
    expect(safe).not.toBe(outer);
    expect(inspect(safe)).not.toContain("leaky-cause-key");
    expect((safe.cause as Error).message).toBe(
      "inner https://h/event/push/alert/standard?integration_key=***",
    );
  });

  test("redacts strings and plain objects, keeps other values", () => {
    expect(sanitizeCause(URL_WITH_KEY)).not.toContain("leaky-cause-key");
    expect(sanitizeCause({ url: URL_WITH_KEY })).toEqual({
      url: "https://h/event/push/alert/standard?integration_key=***",
    });
    expect(sanitizeCause(42)).toBe(42);
    expect(sanitizeCause(undefined)).toBeUndefined();
  });

  test("copes with DOMException", () => {
    const cause = new DOMException(`aborted ${URL_WITH_KEY}`, "AbortError");
    const safe = sanitizeCause(cause) as DOMException;
    expect(safe.name).toBe("AbortError");
    expect(String(safe)).not.toContain("leaky-cause-key");
    expect(() => inspect(safe)).not.toThrow();
  });
});

describe("sanitizeJson", () => {
  test("returns the value itself when nothing changed", () => {
    const clean = { a: [1, "two"], b: { c: null } };
    expect(sanitizeJson(clean)).toBe(clean);
  });

  test("redacts every string, however deep", () => {
    expect(sanitizeJson({ a: [{ b: URL_WITH_KEY }], n: 1, t: true, z: null })).toEqual({
      a: [{ b: "https://h/event/push/alert/standard?integration_key=***" }],
      n: 1,
      t: true,
      z: null,
    });
  });
});
