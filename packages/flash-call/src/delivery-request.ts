import type { AlertEvent, ChangeEvent } from "@flash-call/core";
import type { DeliveryRequest } from "./deliver.js";
import type { Truncation } from "./event.js";
import type { CallOptions, FlashCallOptions } from "./options.js";
import type { Target } from "./target.js";

/**
 * Milliseconds one attempt may take, its answer's body included, when neither the call nor the instance says
 * (`timeoutMs`): 10,000.
 *
 * @example
 * ```ts
 * const flashduty = createFlashCall({ timeoutMs: DEFAULT_TIMEOUT_MS * 3 }); // a slow network path
 * ```
 */
export const DEFAULT_TIMEOUT_MS = 10_000;
/**
 * Retries after the first attempt when neither the call nor the instance says (`maxRetries`): 3.
 *
 * @example
 * ```ts
 * console.log(`up to ${DEFAULT_MAX_RETRIES + 1} attempts per push`);
 * ```
 */
export const DEFAULT_MAX_RETRIES = 3;

/**
 * What one push asks of `deliver`, for an alert and a change alike: the call's timeout and retries over the
 * instance's over the defaults ({@link DEFAULT_TIMEOUT_MS}, {@link DEFAULT_MAX_RETRIES}), the call's signal, and
 * its destination resolved again from the same call options when Flashduty refuses a key that may have rotated.
 *
 * @example
 * ```ts
 * const result = await deliver(settings, deliveryRequest(prepared, PUSH_PATH, target, call, options, resolveTarget));
 * ```
 */
export function deliveryRequest(
  prepared: { event: AlertEvent | ChangeEvent; truncations: readonly Truncation[] },
  path: string,
  target: Target,
  call: CallOptions,
  options: Pick<FlashCallOptions, "timeoutMs" | "maxRetries">,
  resolveTarget: (call: CallOptions) => Target,
): DeliveryRequest {
  return {
    event: prepared.event,
    path,
    truncations: prepared.truncations,
    target,
    timeoutMs: call.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRetries: call.maxRetries ?? options.maxRetries ?? DEFAULT_MAX_RETRIES,
    signal: call.signal,
    resolveAgain: () => resolveTarget(call),
  };
}
