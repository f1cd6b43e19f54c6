import type { FlashCallEvent } from "flash-call";
import { parseEventTime } from "./event-time.js";

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * One JSON object of a batch as an event for the SDK: an `event_time` string is read like `--event-time`
 * (JSON has no dates), and `--label` labels are merged under the event's own. Labels of the wrong shape (a
 * string, an array, null) are left as they are, for validation to report: merging into them would silently
 * drop them.
 *
 * @throws UsageError for an `event_time` string that is no time
 * @example
 * batchEvent({ title_rule: "t", event_status: "Info", labels: { a: "1" } }, { team: "db" });
 * // { title_rule: "t", event_status: "Info", labels: { team: "db", a: "1" } }
 */
export function batchEvent<Event = FlashCallEvent>(
  value: Record<string, unknown>,
  extraLabels: Record<string, string>,
): Event {
  // The same for a change event (`flash-call change --file`): its event_time and labels work alike.
  const event: Record<string, unknown> = { ...value };
  if (typeof event.event_time === "string") event.event_time = parseEventTime(event.event_time, "event_time");
  if (Object.keys(extraLabels).length > 0 && (value.labels === undefined || isPlainObject(value.labels))) {
    event.labels = { ...extraLabels, ...(value.labels as Record<string, string> | undefined) };
  }
  // Unchecked: the SDK validates the event, whatever the JSON held.
  return event as Event;
}
