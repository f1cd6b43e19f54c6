import { FlashdutyError } from "@flash-call/errors";
import type { IntegrationKey } from "@flash-call/keys";

/**
 * The codes with which Flashduty may refuse a key (a wrong, revoked or not permitted one). InvalidParameter is
 * also its answer to an unknown key ("integration_key is not a valid one"), as well as to a bad field: a bad event sent again
 * is refused again, at the cost of one request, and only when the key has changed since.
 */
const KEY_REFUSALS: ReadonlySet<string> = new Set(["InvalidParameter", "Unauthorized", "AccessDenied"]);

/**
 * The destination to send to once more after `error`, or `undefined` to give up with it: when Flashduty refused
 * the key of `target`, and the key resolved now (`resolveAgain`, after a `setKey` or a change of the environment)
 * is another one, that destination. So an event is not lost to a key rotated while it waited in the queue, its
 * retries backed off, or its request was on the way; a key given explicitly (to the call or the instance) resolves
 * to itself and is not tried again. A resolution that now fails (the key was cleared) gives up with `error`.
 *
 * @param error what the delivery failed with
 * @param target the destination it was sent to
 * @param resolveAgain resolves the same call's destination now
 * @example
 * ```ts
 * const current = rotatedTarget(failure, request.target, () => resolveTarget(call));
 * if (current === undefined) throw failure; // else one more attempt, to current
 * ```
 */
export function rotatedTarget<Destination extends { key: IntegrationKey }>(
  error: unknown,
  target: Destination,
  resolveAgain: () => Destination,
): Destination | undefined {
  if (!FlashdutyError.isInstance(error) || !KEY_REFUSALS.has(error.code)) return undefined;
  let current: Destination;
  try {
    current = resolveAgain();
  } catch {
    return undefined;
  }
  return current.key.reveal() === target.key.reveal() ? undefined : current;
}
