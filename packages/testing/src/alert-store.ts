import type { ReceivedEvent } from "./received-event.js";
import type { RenderedTitle } from "./title-rule.js";

/** One alert's lifecycle, as the mock tracks it from the events pushed for its `alert_key`. */
export interface AlertRecord {
  alert_key: string;
  /** `open` from the first non-`Ok` event, `resolved` from an `Ok` event. */
  status: "open" | "resolved";
  /** The latest event's title. */
  title_rule: string;
  /** The latest event's title as Flashduty shows it (see `renderTitle`). */
  rendered_title: RenderedTitle;
  /** Every event received for this alert since it (re)opened, oldest first. */
  events: ReceivedEvent[];
  /** When the alert opened (ms since the epoch, by the mock's clock). */
  opened_at: number;
  /** When an `Ok` event resolved it. */
  resolved_at?: number;
}

/**
 * Applies one accepted event to the alerts: a non-`Ok` event opens the alert (or re-opens a resolved one as
 * a fresh alert) and updates an open one; an `Ok` event resolves an open alert. An `Ok` for an unknown alert
 * is accepted by Flashduty and changes nothing here.
 */
export function recordAlertEvent(alerts: Map<string, AlertRecord>, event: ReceivedEvent): void {
  const existing = alerts.get(event.alert_key);
  if (event.event_status === "Ok") {
    if (existing === undefined) return;
    existing.events.push(event);
    if (existing.status === "open") {
      existing.status = "resolved";
      existing.resolved_at = event.received_at;
    }
    return;
  }
  if (existing === undefined || existing.status === "resolved") {
    alerts.set(event.alert_key, {
      alert_key: event.alert_key,
      status: "open",
      title_rule: event.title_rule,
      rendered_title: event.rendered_title,
      events: [event],
      opened_at: event.received_at,
    });
    return;
  }
  existing.title_rule = event.title_rule;
  existing.rendered_title = event.rendered_title;
  existing.events.push(event);
}
