import type { Backoff, RetryOn } from "@flash-call/errors";
import type { LabelValue } from "./event.js";
import type { Hooks, Logger, LogLevel } from "./hooks.js";
import type { RateLimit } from "./rate-limiter.js";
import type { Telemetry } from "./telemetry.js";

/** Where one push goes and how long it may take; the second argument of `push`, `pushAlert`, `enqueue`… */
export interface CallOptions {
  /** The integration key for this call. @default the instance's, then `setKey`'s, then the environment's */
  integrationKey?: string;
  /** A push URL copied from the Flashduty console (base URL and key in one). @default none */
  pushUrl?: string;
  /** The API origin for this call. @default the instance's, then FLASHDUTY_BASE_URL, then https://api.flashcat.cloud */
  baseUrl?: string;
  /**
   * Cancels the request and any wait (rate pacing, retry backoff); an `enqueue`d event still waiting for its turn
   * leaves the queue at once and is never sent. An object that only has an AbortSignal's shape (a polyfill, another
   * realm's) is followed through its `abort` event, its `aborted` read once at the call. @default none
   */
  signal?: AbortSignal;
  /** Milliseconds one attempt may take, response body included. @default the instance's (10000) */
  timeoutMs?: number;
  /** Retries after the first attempt. @default the instance's (3) */
  maxRetries?: number;
}

/**
 * Settings of a `createFlashCall` instance.
 *
 * @example
 * ```ts
 * const flashduty = createFlashCall({
 *   pushUrl: process.env.FLASHDUTY_PUSH_URL,
 *   labels: { service: "billing" },
 *   maxRetries: 5,
 * });
 * ```
 */
export interface FlashCallOptions extends Hooks {
  /** The integration key. @default resolved per call: `setKey`, then FLASHDUTY_INTEGRATION_KEY, then FLASHDUTY_PUSH_URL */
  integrationKey?: string;
  /** A push URL copied from the Flashduty console. @default none */
  pushUrl?: string;
  /**
   * The key of a change integration (its own integration in Flashduty), for `change` and `startChange`; the alert
   * key is never used for changes. @default resolved per call: FLASHDUTY_CHANGE_INTEGRATION_KEY, then FLASHDUTY_CHANGE_PUSH_URL
   */
  changeIntegrationKey?: string;
  /** A change integration's push URL (`…/event/push/change/standard?integration_key=…`). @default none */
  changePushUrl?: string;
  /** The API origin. @default FLASHDUTY_BASE_URL, then https://api.flashcat.cloud */
  baseUrl?: string;
  /** Attached to every event as the `user_id` label (Python `set_key(user=…)`). @default none */
  user?: string;
  /** Attached to every event as the `strategy_id` label. @default none */
  strategy?: string;
  /** Default labels of every event; the event's own labels win. @default none */
  labels?: Record<string, LabelValue>;
  /** The fetch implementation. @default globalThis.fetch, looked up at call time */
  fetch?: typeof fetch;
  /** Milliseconds one attempt may take. @default 10000 */
  timeoutMs?: number;
  /** Retries after the first attempt; 0 disables retrying. @default 3 */
  maxRetries?: number;
  /** Which failures retry. @default ["network", "timeout", "408", "429", "5xx"] */
  retryOn?: RetryOn;
  /** Full-jitter backoff bounds. @default { baseMs: 1000, maxMs: 30000 } */
  backoff?: Backoff;
  /** The longest `Retry-After` honoured; a longer one ends the retries with the error. @default 60000 */
  maxRetryAfterMs?: number;
  /**
   * Client-side pacing per integration key, or `false` to send unpaced; `{ pacer }` shares it with every process
   * using the same pacer (`createRedisPacer` from `@flash-call/redis`). @default { perSecond: 100, perMinute: 1000 }, in-process
   */
  rateLimit?: RateLimit | false;
  /**
   * Where spans and the `http.client.request.duration` histogram go, or `false` for none. @default the
   * OpenTelemetry API's global registration when `@opentelemetry/api` is installed and a provider is registered, else none
   */
  telemetry?: Telemetry | false;
  /** Events `enqueue` may hold (queued and in flight) before it refuses more. @default 10000 */
  maxQueue?: number;
  /** Requests `enqueue` keeps in flight at once. @default 16 */
  concurrency?: number;
  /**
   * Where warnings (truncations) and debug lines go; every line is redacted. Its `error` also gets the one line
   * said when the process exits with enqueued events pending, whatever `logLevel`. @default console
   */
  logger?: Logger;
  /** The least severe level logged. @default "warn" */
  logLevel?: LogLevel;
  /** Reject values Flashduty would truncate instead of truncating them. @default false */
  strict?: boolean;
}
