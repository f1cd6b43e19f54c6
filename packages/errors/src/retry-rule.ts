import { CLIENT_ERROR_CODES } from "./client-error-codes.js";
import { ERROR_CODES, httpStatusOf, isDocumentedCode, REDIRECTED } from "./error-codes.js";

/**
 * The table every retry decision reads: which failures a retry can help, by code and HTTP status. Kept apart from
 * `retry-policy.ts` (which narrows it by `retryOn` and adds backoff and the `Retry-After` cap) only because
 * `FlashdutyError` needs it to set `retryable`, and the policy throws `FlashdutyConfigError`, a subclass: one file
 * holding both would import itself in a cycle.
 */

/** Which kinds of failure a retry is allowed for: what `retryOn` compiles to. */
export interface RetryRules {
  /** Inclusive `[low, high]` ranges of the statuses retried; each within 408, 429 or 500–599. */
  readonly statuses: readonly (readonly [low: number, high: number])[];
  /** Whether connection failures (and answers cut off before they could be read) are retried. */
  readonly network: boolean;
  /** Whether per-attempt timeouts are retried. */
  readonly timeout: boolean;
}

/**
 * Whether an HTTP status is one a retry can help: 408 (the request timed out on the way), 429 (rate limited) and
 * every 5xx (Flashduty or a proxy failed). Never another 4xx (the same request fails again), a 3xx (a redirect is
 * never followed: see `Redirected`) nor a 2xx (an answer that could not be read counts as a network failure).
 *
 * @example
 * ```ts
 * isRetryableStatus(503); // true
 * isRetryableStatus(404); // false
 * ```
 */
export function isRetryableStatus(status: number | undefined): boolean {
  return status === 408 || status === 429 || (status !== undefined && status >= 500 && status <= 599);
}

/** Every failure a retry can help: what `retryable` means, and what the default `retryOn` allows. */
export const EVERY_RETRYABLE: RetryRules = {
  statuses: [
    [408, 408],
    [429, 429],
    [500, 599],
  ],
  network: true,
  timeout: true,
};

/**
 * The one rule: whether a failure with this `code` and HTTP `status` is retried under `rules`. A documented code is
 * judged by its documented status (Flashduty's word over whatever status carried it); a 2xx that is still a failure
 * is an answer cut off or unreadable (the push may not have landed, and Flashduty drops duplicates), so it is
 * retried like a network failure. A redirect never is; a push the SDK's queue had no room for always can be.
 *
 * @example
 * ```ts
 * retriesUnder(EVERY_RETRYABLE, "HTTP_502", 502); // true
 * retriesUnder(EVERY_RETRYABLE, "Redirected", 302); // false
 * ```
 */
export function retriesUnder(rules: RetryRules, code: string, status: number | undefined): boolean {
  if (code === CLIENT_ERROR_CODES.network) return rules.network;
  if (code === CLIENT_ERROR_CODES.timeout) return rules.timeout;
  if (code === REDIRECTED) return false;
  // The SDK's queue had no room: nothing was sent, and the same push fits once the queue drains.
  if (code === CLIENT_ERROR_CODES.queueFull) return true;
  const allowed = (judged: number) => rules.statuses.some(([low, high]) => judged >= low && judged <= high);
  if (isDocumentedCode(code)) {
    // Whether a retry can help is Flashduty's documented word on its code (the spec's x-flashduty-retryable);
    // `retryOn` narrows it by the code's documented status, whatever status carried it.
    const documented = ERROR_CODES[code];
    return documented.retryable && allowed(documented.status);
  }
  const judged = status ?? httpStatusOf(code);
  if (judged === undefined) return false;
  if (judged >= 200 && judged <= 299) return rules.network;
  return isRetryableStatus(judged) && allowed(judged);
}

/**
 * The default `retryable` of a `FlashdutyError`: whether any retry can help (network errors, timeouts,
 * `RequestTooFrequently`, `InternalError`, 408, 429, 5xx and an unreadable 2xx).
 *
 * @example
 * ```ts
 * retryableFor("HTTP_503"); // true
 * retryableFor("Unauthorized", 401); // false
 * ```
 */
export function retryableFor(code: string, status?: number): boolean {
  return retriesUnder(EVERY_RETRYABLE, code, status);
}
