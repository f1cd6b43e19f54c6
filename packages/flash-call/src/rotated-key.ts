import { FlashdutyError } from "@flash-call/errors";
import type { IntegrationKey } from "@flash-call/keys";
import { type DeliveryRequest, type DeliverySettings, deliver } from "./deliver.js";
import type { Log } from "./log.js";

/**
 * The codes with which Flashduty may refuse a key (a wrong, revoked or not permitted one). InvalidParameter is
 * also its answer to an unknown key ("invalid integration key"), as well as to a bad field: a bad event sent again
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
 * const current = rotatedTarget(error, target, () => resolveTarget(call));
 * if (current === undefined) throw error;
 * return deliver(settings, { ...request, target: current });
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

/**
 * What a delivery that failed with `error` ends with: sent once more to the rotated key's destination (see
 * {@link rotatedTarget}), said in one warning that names no key; else `error` thrown again. Called from the
 * failure path only, so a delivery that succeeds pays for nothing of it.
 *
 * @example
 * ```ts
 * try {
 *   result = await deliver(settings, request);
 * } catch (error) {
 *   result = await resendToRotatedKey(error, settings, request, () => resolveTarget(call), log);
 * }
 * ```
 */
export function resendToRotatedKey<Result extends { request_id: string }>(
  error: unknown,
  settings: DeliverySettings,
  request: DeliveryRequest,
  resolveAgain: () => DeliveryRequest["target"],
  log: Log,
): Promise<Result> {
  const current = rotatedTarget(error, request.target, resolveAgain);
  if (current === undefined) throw error;
  log("warn", "Flashduty refused the key; sending again with the key set since (setKey or the environment)");
  return deliver<Result>(settings, { ...request, target: current });
}
