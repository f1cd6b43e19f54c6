import { positiveInteger } from "./positive-integer.js";

/**
 * Per-integration request limits; `false` turns limiting off. A limit left out keeps its default.
 * @default DEFAULT_RATE_LIMIT ({ perSecond: 100, perMinute: 1000 })
 * @example { perSecond: 5 }
 */
export type RateLimitOptions = { perSecond?: number; perMinute?: number } | false;

/**
 * Flashduty's documented limits: 100 requests per second and 1000 per minute per integration.
 * @example createMockFlashduty({ rateLimit: { ...DEFAULT_RATE_LIMIT, perSecond: 10 } })
 */
export const DEFAULT_RATE_LIMIT = { perSecond: 100, perMinute: 1000 } as const;

/** The verdict on one request: admitted, or refused with how long to wait. */
export type RateDecision =
  | { allowed: true }
  | { allowed: false; retryAfterMs: number; window: "second" | "minute"; limit: number };

const SECOND = 1000;
const MINUTE = 60_000;

/**
 * A strict sliding-window limiter per key: a request is admitted only if fewer than `perSecond` admitted
 * requests fall in the last 1000 ms and fewer than `perMinute` in the last 60 000 ms. Refused requests are
 * not counted, so a client that backs off as told gets through.
 */
export class RateLimiter {
  readonly #perSecond: number;
  readonly #perMinute: number;
  readonly #admitted = new Map<string, number[]>();
  /** When the windows were last swept of keys with nothing left in them. */
  #sweptAt = Number.NEGATIVE_INFINITY;

  constructor(options: { perSecond?: number | undefined; perMinute?: number | undefined } = {}) {
    this.#perSecond = positiveInteger(
      "rateLimit.perSecond",
      options.perSecond ?? DEFAULT_RATE_LIMIT.perSecond,
    );
    this.#perMinute = positiveInteger(
      "rateLimit.perMinute",
      options.perMinute ?? DEFAULT_RATE_LIMIT.perMinute,
    );
  }

  /** Admits (and counts) a request for `key` at time `now` (ms), or says how long until one would be. */
  check(key: string, now: number): RateDecision {
    this.#sweep(now);
    const times = this.#admitted.get(key) ?? [];
    // Drop what has left the longest window; times are kept in arrival order.
    let expired = 0;
    while (expired < times.length && times[expired]! <= now - MINUTE) expired++;
    if (expired > 0) times.splice(0, expired);

    let waitMs = 0;
    const inLastSecond = times.length - lowerBound(times, now - SECOND);
    if (inLastSecond >= this.#perSecond) {
      waitMs = Math.max(waitMs, times[times.length - this.#perSecond]! + SECOND - now);
    }
    if (times.length >= this.#perMinute) {
      waitMs = Math.max(waitMs, times[times.length - this.#perMinute]! + MINUTE - now);
    }
    if (waitMs > 0 || inLastSecond >= this.#perSecond || times.length >= this.#perMinute) {
      const minuteFull = times.length >= this.#perMinute;
      return {
        allowed: false,
        retryAfterMs: Math.max(1, waitMs),
        // The minute's window is named when it is full: waiting out the second's alone would not let a push in.
        window: minuteFull ? "minute" : "second",
        limit: minuteFull ? this.#perMinute : this.#perSecond,
      };
    }
    times.push(now);
    this.#admitted.set(key, times);
    return { allowed: true };
  }

  /**
   * At most once a minute, forgets the keys whose requests have all left the longest window: any well-formed key
   * is accepted by default, so a client sending a new key each time would otherwise grow the map for ever.
   */
  #sweep(now: number): void {
    if (now - this.#sweptAt < MINUTE) return;
    this.#sweptAt = now;
    for (const [key, times] of this.#admitted) {
      if (times.length === 0 || times[times.length - 1]! <= now - MINUTE) this.#admitted.delete(key);
    }
  }

  /** How many keys have windows kept (for tests of the sweep). */
  get keyCount(): number {
    return this.#admitted.size;
  }

  /** Forgets every admitted request. */
  clear(): void {
    this.#admitted.clear();
  }
}

/** Index of the first time strictly after `threshold` (times are sorted ascending). */
function lowerBound(times: readonly number[], threshold: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (times[middle]! <= threshold) low = middle + 1;
    else high = middle;
  }
  return low;
}
