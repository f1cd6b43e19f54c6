import type { Fault } from "./fault.js";
import type { RateLimitOptions } from "./rate-limiter.js";

/** Options shared by {@link createMockFlashduty} and {@link startMockServer}. */
export interface MockOptions {
  /**
   * The integration keys the mock accepts; any other key gets 400 `InvalidParameter` ("integration_key is not a valid one").
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
  /**
   * Random faults: each request that has no queued `failNext` fault gets one of `faults` with probability `rate`.
   * For soak and chaos tests; pass a seeded `random` to make a run repeatable.
   * @default none
   * @example { rate: 0.1, faults: ["InternalError", { kind: "reset" }] }
   */
  chaos?: ChaosOptions;
  /**
   * The most records of each kind kept: `requests`, `events`, `changeEvents`, and the inspector's entries and
   * downloads. Beyond it the oldest are forgotten, and with them an alert's or a change's events (an alert or
   * change left without events is forgotten), so a long-running mock or a soak test pushing millions of events
   * stays within bounded memory.
   * @default DEFAULT_MAX_RECORDS (10000)
   * @example 100_000
   */
  maxRecords?: number;
  /**
   * The most characters of accepted bodies (as sent, plus each rendered title) that `events`, `changeEvents` and
   * the inspector each keep records of; beyond it the oldest are forgotten as by `maxRecords`. The newest record is
   * kept whatever its size.
   * @default DEFAULT_MAX_RECORD_BYTES (268435456, 256 Mi)
   * @example 1024 * 1024 * 1024
   */
  maxRecordBytes?: number;
}

/** Random fault injection: see {@link MockOptions.chaos}. */
export interface ChaosOptions {
  /** The probability, from 0 to 1, that a request gets a fault. */
  rate: number;
  /** The faults to draw from, uniformly. */
  faults: readonly Fault[];
  /** A source of uniform numbers in [0, 1). @default Math.random */
  random?: () => number;
}
