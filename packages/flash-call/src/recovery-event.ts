import { FlashdutyValidationError, type ValidationIssue } from "@flash-call/errors";
import type { FlashCallEvent } from "./event.js";
import { ownFields } from "./own-fields.js";

/**
 * The event that resolves `alert_key`: the caller's own fields over `remembered` (what this instance last sent for
 * the alert), with `event_status: "Ok"` and that `alert_key`, and a title: the caller's, else the remembered one,
 * else the key itself. Fields that say otherwise (another status, another alert_key) are a
 * `FlashdutyValidationError`, never overridden in silence: a caller who passes `event_status: "Critical"` to a
 * resolve meant something a resolve cannot send.
 *
 * @example
 * ```ts
 * recoveryEvent("disk-db-1", { description: "freed 20 GiB" }, { title_rule: "disk full" });
 * // { description: "freed 20 GiB", title_rule: "disk full", event_status: "Ok", alert_key: "disk-db-1" }
 * ```
 */
export function recoveryEvent(
  alert_key: string,
  extra: Partial<FlashCallEvent> | undefined,
  remembered: Partial<FlashCallEvent> = {},
): FlashCallEvent {
  const fields = ownFields(extra, "the recovery's own fields");
  const issues: ValidationIssue[] = [];
  if (fields.event_status !== undefined && fields.event_status !== "Ok") {
    issues.push({
      path: "event_status",
      message: 'must be "Ok" or left out: resolving sends "Ok"; push the event to send another status',
    });
  }
  if (fields.alert_key !== undefined && fields.alert_key !== alert_key) {
    issues.push({
      path: "alert_key",
      message: "must be the alert_key being resolved, or left out",
    });
  }
  if (issues.length > 0) throw new FlashdutyValidationError(issues);
  return {
    ...remembered,
    ...fields,
    title_rule: fields.title_rule ?? remembered.title_rule ?? alert_key,
    event_status: "Ok",
    alert_key,
  };
}
