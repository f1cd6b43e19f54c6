import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { RateLimiter } from "./rate-limiter.js";

describe("RateLimiter", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Acquires `count` slots; each request is answered `latencyMs` after it is sent. Returns the send times. */
  const drain = async (limiter: RateLimiter, count: number, key = "k", latencyMs = 0) => {
    const times: number[] = [];
    const all = Array.from({ length: count }, () =>
      limiter.acquire(key).then((release) => {
        times.push(Date.now());
        setTimeout(release, latencyMs);
      }),
    );
    await vi.runAllTimersAsync();
    await Promise.all(all);
    return times;
  };

  const maxInWindow = (times: number[], windowMs: number) => {
    const sorted = [...times].sort((a, b) => a - b);
    let most = 0;
    for (let start = 0, end = 0; end < sorted.length; end++) {
      while (sorted[end]! - sorted[start]! >= windowMs) start++;
      most = Math.max(most, end - start + 1);
    }
    return most;
  };

  test("never lets more than perSecond through in any second", async () => {
    const times = await drain(new RateLimiter({ perSecond: 10, perMinute: 1000 }), 35);
    expect(times).toHaveLength(35);
    expect(maxInWindow(times, 1000)).toBe(10);
    // Paced at the limit, not slower: three more windows after the first burst.
    expect(times.at(-1)! - times[0]!).toBeLessThan(3 * 1010);
  });

  test("a request holds its slot until answered, so the server can never see a burst", async () => {
    const times = await drain(new RateLimiter({ perSecond: 5, perMinute: 1000 }), 10, "k", 300);
    // The sixth may go only a second after the first answer (300 ms), not a second after the first send.
    expect(times[5]! - times[0]!).toBeGreaterThanOrEqual(1300);
  });

  test("never lets more than perMinute through in any minute", async () => {
    const times = await drain(new RateLimiter({ perSecond: 100, perMinute: 50 }), 120);
    expect(maxInWindow(times, 60_000)).toBe(50);
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(100);
  });

  test("with every slot in flight, the next waits for an answer", async () => {
    const limiter = new RateLimiter({ perSecond: 1, perMinute: 100 });
    const release = await limiter.acquire("k");
    let second = false;
    const next = limiter.acquire("k").then(() => {
      second = true;
    });
    await vi.advanceTimersByTimeAsync(5000);
    expect(second).toBe(false);
    release();
    await vi.advanceTimersByTimeAsync(1001);
    await next;
    expect(second).toBe(true);
  });

  test("keys are paced independently", async () => {
    const limiter = new RateLimiter({ perSecond: 2, perMinute: 100 });
    const [timesA, timesB] = await Promise.all([drain(limiter, 2, "a"), drain(limiter, 2, "b")]);
    expect([...timesA, ...timesB].every((time) => time === 1_000_000)).toBe(true);
  });

  test("pause holds a key for the given time", async () => {
    const limiter = new RateLimiter({ perSecond: 100, perMinute: 1000 });
    limiter.pause("k", 5000);
    const times = await drain(limiter, 1);
    expect(times[0]).toBe(1_005_000);
  });

  test("an aborted wait rejects and does not block later waiters", async () => {
    const limiter = new RateLimiter({ perSecond: 1, perMinute: 100 });
    (await limiter.acquire("k"))();
    const controller = new AbortController();
    const aborted = limiter.acquire("k", controller.signal);
    controller.abort(new Error("stop"));
    await expect(aborted).rejects.toThrow("stop");
    const later = limiter.acquire("k");
    await vi.runAllTimersAsync();
    await expect(later).resolves.toBeTypeOf("function");
  });
});
