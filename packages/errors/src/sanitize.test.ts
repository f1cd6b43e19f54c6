import { inspect } from "node:util";
import { describe, expect, test } from "vitest";
import { sanitize } from "./sanitize.js";

const URL_WITH_KEY = "https://h/event/push/alert/standard?integration_key=leaky-cause-key";

describe("sanitize: causes", () => {
  test("keeps a clean error as is", () => {
    const cause = new TypeError("fetch failed");
    expect(sanitize(cause)).toBe(cause);
  });

  test("copies an error that would print a key, keeping its type", () => {
    const cause = Object.assign(new TypeError(`failed: ${URL_WITH_KEY}`), {
      url: URL_WITH_KEY,
      errno: 5,
      request: { query: [URL_WITH_KEY] },
    });
    const safe = sanitize(cause) as TypeError & { url: string; errno: number; request: unknown };
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
    const safe = sanitize(outer) as Error;
    expect(safe).not.toBe(outer);
    expect(inspect(safe)).not.toContain("leaky-cause-key");
    expect((safe.cause as Error).message).toBe(
      "inner https://h/event/push/alert/standard?integration_key=***",
    );
  });

  test("redacts strings and plain objects, keeps other values", () => {
    expect(sanitize(URL_WITH_KEY)).not.toContain("leaky-cause-key");
    expect(sanitize({ url: URL_WITH_KEY })).toEqual({
      url: "https://h/event/push/alert/standard?integration_key=***",
    });
    expect(sanitize(42)).toBe(42);
    expect(sanitize(undefined)).toBeUndefined();
  });

  test("redacts errors held in any property, not only in cause", () => {
    const cause = new AggregateError([new Error(`one ${URL_WITH_KEY}`)], "all failed");
    const safe = sanitize({ reason: cause }) as { reason: AggregateError };
    expect(safe.reason).toBeInstanceOf(AggregateError);
    expect(inspect(safe, { depth: Number.POSITIVE_INFINITY, showHidden: true })).not.toContain(
      "leaky-cause-key",
    );
  });

  test("copes with DOMException", () => {
    const cause = new DOMException(`aborted ${URL_WITH_KEY}`, "AbortError");
    const safe = sanitize(cause) as DOMException;
    expect(safe.name).toBe("AbortError");
    expect(String(safe)).not.toContain("leaky-cause-key");
    expect(() => inspect(safe)).not.toThrow();
  });
});

describe("sanitize: bodies", () => {
  test("returns the value itself when nothing changed", () => {
    const clean = { a: [1, "two"], b: { c: null } };
    expect(sanitize(clean)).toBe(clean);
  });

  test("redacts every string, however deep", () => {
    expect(sanitize({ a: [{ b: URL_WITH_KEY }], n: 1, t: true, z: null })).toEqual({
      a: [{ b: "https://h/event/push/alert/standard?integration_key=***" }],
      n: 1,
      t: true,
      z: null,
    });
  });

  test("redacts a key held in a URL object, a Map or a Set", () => {
    const held = {
      url: new URL(URL_WITH_KEY),
      map: new Map([["u", URL_WITH_KEY]]),
      set: new Set([URL_WITH_KEY]),
    };
    const safe = sanitize(new Error("failed", { cause: held }));
    expect(inspect(safe, { depth: null, showHidden: true })).not.toContain("leaky-cause-key");
    expect((safe as Error & { cause: typeof held }).cause.map.get("u")).toBe(
      "https://h/event/push/alert/standard?integration_key=***",
    );
  });

  test("omits what is nested too deeply to check, instead of keeping it unscanned", () => {
    let chain: Error = new Error(`innermost: ${URL_WITH_KEY}`);
    for (let level = 0; level < 8; level++) chain = new Error(`level ${level}`, { cause: chain });
    expect(inspect(sanitize(chain), { depth: null, showHidden: true })).not.toContain("leaky-cause-key");
  });
});

describe("sanitize: hostile values", () => {
  test("never throws: throwing getters, Proxies, revoked Proxies become a note", () => {
    const getter = Object.defineProperty({ ok: 1 }, "bad", {
      enumerable: true,
      get() {
        throw new Error("getter");
      },
    });
    const safe = sanitize(getter) as Record<string, unknown>;
    expect(safe.ok).toBe(1);
    expect(safe.bad).toMatch(/^\[flash-call: /);
    const trap = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error("trap");
        },
      },
    );
    expect(() => sanitize(trap)).not.toThrow();
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(() => sanitize(proxy)).not.toThrow();
  });

  test("redacts property names too", () => {
    const safe = sanitize({ [URL_WITH_KEY]: 1 }) as Record<string, unknown>;
    expect(Object.keys(safe)).toEqual(["https://h/event/push/alert/standard?integration_key=***"]);
  });
});
