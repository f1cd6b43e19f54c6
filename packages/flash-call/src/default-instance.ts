import type { FlashCallChange } from "./change-event.js";
import type { ChangeResult } from "./change-handle.js";
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

/**
 * Pushes one change event (a deployment, a config change) with the default instance, to the change integration
 * named by FLASHDUTY_CHANGE_INTEGRATION_KEY or FLASHDUTY_CHANGE_PUSH_URL (or `options`): never the alert key.
 *
 * @example
 * ```ts
 * await pushChange({ title: "Deploy billing v2.4.1", change_status: "Done", change_key: "deploy-1234" });
 * ```
 */
export function pushChange(event: FlashCallChange, options?: CallOptions): Promise<ChangeResult> {
  return instance().change(event, options);
}
