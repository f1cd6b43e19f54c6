import type { AlertEvent, ChangeEvent } from "@flash-call/core";

/**
 * What a prepared event is known by wherever a push is reported (hooks, telemetry, the `flash-call:push` channel):
 * its endpoint, the name and value of its key, and its status. None of it is the integration key.
 */
export type EventIdentity =
  | {
      endpoint: "alert";
      keyName: "alert_key";
      key: string | undefined;
      statusName: "event_status";
      status: string;
    }
  | { endpoint: "change"; keyName: "change_key"; key: string; statusName: "change_status"; status: string };

/**
 * The identity of a prepared alert or change event: a change is the one with a `change_key` (prepareChange
 * requires it; an alert never has one). A status the event lacks reads as `""`.
 *
 * @example
 * ```ts
 * eventIdentity({ title_rule: "disk full", event_status: "Critical", alert_key: "db-1" });
 * // { endpoint: "alert", keyName: "alert_key", key: "db-1", statusName: "event_status", status: "Critical" }
 * ```
 */
export function eventIdentity(event: AlertEvent | ChangeEvent): EventIdentity {
  const change = event as Partial<ChangeEvent>;
  if (change.change_key !== undefined) {
    return {
      endpoint: "change",
      keyName: "change_key",
      key: change.change_key,
      statusName: "change_status",
      status: change.change_status ?? "",
    };
  }
  const alert = event as Partial<AlertEvent>;
  return {
    endpoint: "alert",
    keyName: "alert_key",
    key: alert.alert_key,
    statusName: "event_status",
    status: alert.event_status ?? "",
  };
}
