import { FlashdutyConfigError } from "@flash-call/errors";

/** What the failing pacer said, when it said something: a rejection's message, or a rejected string. */
function reasonOf(cause: unknown): string {
  const detail =
    typeof cause === "string"
      ? cause
      : typeof cause === "object" && cause !== null && "message" in cause
        ? (cause as { message?: unknown }).message
        : undefined;
  return typeof detail === "string" && detail !== "" ? ` (${detail})` : "";
}

/**
 * The error of a push whose pacer's `acquire` threw or rejected with no abort: nothing was sent, and no slot was
 * had. A `FlashdutyConfigError`, not an abort (nothing aborted) nor a retryable failure: a pacer that fails is a
 * bug of the pacer, which must wait, resolve with a release, or reject only with its signal's reason; a pacer
 * over a store keeps pacing locally while its store is out (as `@flash-call/redis` does), so that an outage
 * loses no alert. The message names the setting and what to do; the cause is kept (redacted, as every cause).
 *
 * @example
 * ```ts
 * throw pacerFailed(new Error("store down")); // "The pacer given as rateLimit.pacer failed (store down): …"
 * ```
 */
export function pacerFailed(cause: unknown): FlashdutyConfigError {
  return new FlashdutyConfigError(
    `The pacer given as rateLimit.pacer failed${reasonOf(cause)}: nothing was sent. Fix its acquire(): it must resolve with a release function, and reject only with its signal's reason when the signal aborts; a pacer over a shared store should pace locally while the store is unreachable, as @flash-call/redis does.`,
    { cause },
  );
}
