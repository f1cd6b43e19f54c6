import type { RateLimitOptions } from "./rate-limiter.js";

/** Options shared by {@link createMockFlashduty} and {@link startMockServer}. */
export interface MockOptions {
  /**
   * The integration keys the mock accepts; any other key gets 400 `InvalidParameter` ("invalid integration key").
   * @default any well-formed key (non-empty, at most 256 characters, no whitespace or control characters)
   * @example ["test-integration-key-1"]
   */
  integrationKeys?: readonly string[];
  /**
   * Per-integration limits, enforced as a strict sliding window; `false` turns them off.
   * Over a limit the mock answers 429 `RequestTooFrequently` with `Retry-After` in whole seconds.
   * @default { perSecond: 100, perMinute: 1000 } (Flashduty's documented limits; either may be given alone)
   * @example { perSecond: 2 }
   */
  rateLimit?: RateLimitOptions;
  /**
   * The clock (ms since the epoch) behind rate limits and timestamps; tests pass their own to move time
   * without sleeping.
   * @default Date.now
   * @example () => fakeNow
   */
  now?: () => number;
}
