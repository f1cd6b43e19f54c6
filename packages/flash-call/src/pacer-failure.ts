import { FlashdutyConfigError } from "@flash-call/errors";

/**
 * The error of a push whose pacer's `acquire` threw or rejected with no abort: nothing was sent, and no slot was
 * had. A `FlashdutyConfigError`, not an abort (nothing aborted) nor a retryable failure: a pacer that fails is a
 * bug of the pacer, which must wait, resolve with a release, or reject only with its signal's reason; a pacer
 * over a store keeps pacing locally while its store is out (as `@flash-call/redis` does), so that an outage
 * loses no alert. The message names the setting and what to do; what the pacer said is its `cause` (redacted, as
 * every cause).
 *
 * @example
 * ```ts
 * throw pacerFailed(new Error("store down")); // "rateLimit.pacer's acquire() failed: nothing was sent. …"
 * ```
 */
export function pacerFailed(cause: unknown): FlashdutyConfigError {
  return new FlashdutyConfigError(
    "rateLimit.pacer's acquire() failed: nothing was sent. A pacer rejects only when its signal aborts; over a store, it paces locally while the store is out (as @flash-call/redis does).",
    { cause },
  );
}
