import { describe, expect, test } from "vitest";
import { RateLimiter } from "./rate-limiter.js";

describe("RateLimiter", () => {
  test("admits 100 per second by default, then refuses until the oldest leaves the window", () => {
    const limiter = new RateLimiter();
    for (let index = 0; index < 100; index++) expect(limiter.check("k", 1_000 + index).allowed).toBe(true);
    expect(limiter.check("k", 1_100)).toEqual({
      allowed: false,
      retryAfterMs: 900,
      window: "second",
      limit: 100,
    });
    // Strict sliding window: at 1999 the first request (t=1000) is still inside (1999 - 1000 < 1000).
    expect(limiter.check("k", 1_999).allowed).toBe(false);
    expect(limiter.check("k", 2_000).allowed).toBe(true);
    expect(limiter.check("k", 2_000).allowed).toBe(false);
  });

  test("forgets the keys whose requests have all left the minute's window, so new keys do not grow it for ever", () => {
    const limiter = new RateLimiter();
    for (let index = 0; index < 1000; index++) limiter.check(`key-${index}`, index);
    expect(limiter.keyCount).toBe(1000);
    limiter.check("late", 60_500); // keys 0…500 have left the window; 501…999 are still in it
    expect(limiter.keyCount).toBe(500);
    expect(limiter.check("key-999", 60_500).allowed).toBe(true);
  });

  test("admits 1000 per minute by default", () => {
    const limiter = new RateLimiter();
    let time = 0;
    for (let index = 0; index < 1000; index++) {
      expect(limiter.check("k", time).allowed).toBe(true);
      time += 20; // 50 per second, under the per-second limit
    }
    const refused = limiter.check("k", time);
    expect(refused).toEqual({ allowed: false, retryAfterMs: 60_000 - time, window: "minute", limit: 1000 });
    expect(limiter.check("k", 60_000).allowed).toBe(true);
  });

  test("limits each key separately", () => {
    const limiter = new RateLimiter({ perSecond: 1 });
    expect(limiter.check("a", 0).allowed).toBe(true);
    expect(limiter.check("a", 0).allowed).toBe(false);
    expect(limiter.check("b", 0).allowed).toBe(true);
  });

  test("refused requests do not count against the window", () => {
    const limiter = new RateLimiter({ perSecond: 2, perMinute: 1000 });
    expect(limiter.check("k", 0).allowed).toBe(true);
    expect(limiter.check("k", 500).allowed).toBe(true);
    for (let time = 501; time < 1000; time += 50) expect(limiter.check("k", time).allowed).toBe(false);
    expect(limiter.check("k", 1_000).allowed).toBe(true);
  });

  test("takes the longer wait when both windows are full", () => {
    const limiter = new RateLimiter({ perSecond: 2, perMinute: 2 });
    limiter.check("k", 0);
    limiter.check("k", 10);
    expect(limiter.check("k", 20)).toEqual({
      allowed: false,
      retryAfterMs: 59_980,
      window: "minute",
      limit: 2,
    });
  });

  test("clear() forgets every window", () => {
    const limiter = new RateLimiter({ perSecond: 1 });
    limiter.check("k", 0);
    limiter.clear();
    expect(limiter.check("k", 0).allowed).toBe(true);
  });

  test("rejects limits that are not positive integers", () => {
    expect(() => new RateLimiter({ perSecond: 0 })).toThrow(RangeError);
    expect(() => new RateLimiter({ perMinute: 1.5 })).toThrow(/perMinute/);
  });
});
