import type { FlashCallEvent } from "./event.js";
import { createFlashCall, type FlashCall, type PushResult } from "./flash-call.js";
import type { CallOptions } from "./options.js";

let defaultInstance: FlashCall | undefined;

/** The instance behind the module-level functions: default settings, key from `setKey` or the environment. */
function instance(): FlashCall {
  defaultInstance ??= createFlashCall();
  return defaultInstance;
}

/**
 * Pushes one alert event with the default instance (Python `push_alert`).
 *
 * @example
 * ```ts
 * setKey(process.env.FLASHDUTY_INTEGRATION_KEY!);
 * const response = await pushAlert({ title_rule: "cpu idle low than 20%", event_status: "Warning" });
 * console.log(response.data.alert_key);
 * ```
 */
export function pushAlert(event: FlashCallEvent, options?: CallOptions): Promise<PushResult> {
  return instance().push(event, options);
}

/**
 * Closes the alert `alert_key` (sends `event_status: "Ok"`) with the default instance.
 *
 * @example
 * ```ts
 * await resolveAlert("9qJ798NJoXS4UMVB5SHsNj", { title_rule: "cpu idle recovered" });
 * ```
 */
export function resolveAlert(
  alert_key: string,
  event?: Partial<FlashCallEvent>,
  options?: CallOptions,
): Promise<PushResult> {
  return instance().resolve(alert_key, event, options);
}
