import { FlashdutyError } from "./flashduty-error.js";

/**
 * Whether an error is worth retrying: a {@link FlashdutyError}'s own `retryable` (true for
 * `RequestTooFrequently`, `InternalError`, 408, 429, 5xx, network errors and timeouts), true for a fetch
 * `TimeoutError`, false for anything else, including aborts and programming errors. To ask under an instance's
 * `retryOn`, use `isWorthRetryingLater(error, policy)`, which `retryable` is the default of.
 *
 * @example
 * ```ts
 * if (isRetryable(error) && attempt < 3) await retry();
 * ```
 */
export function isRetryable(error: unknown): boolean {
  if (FlashdutyError.isInstance(error)) return error.retryable;
  if (typeof error !== "object" || error === null) return false;
  try {
    return (error as { name?: unknown }).name === "TimeoutError";
  } catch {
    // A `name` getter or Proxy trap that throws: nothing known to be worth retrying.
    return false;
  }
}
