import type { EventStatus } from "@flash-call/core";
import type { FlashCallEvent } from "flash-call";
import type { ResolveValues } from "./args.js";
import { parseEventTime } from "./event-time.js";
import { parseImageFlag } from "./image-flag.js";
import { parseLabelFlags } from "./label-flag.js";
import { ownProperty } from "./own-property.js";
import { UsageError } from "./usage-error.js";

const STATUSES: Record<string, EventStatus> = {
  critical: "Critical",
  warning: "Warning",
  info: "Info",
  ok: "Ok",
};

/**
 * Normalises `--status` case-insensitively to the wire spelling (`critical` → `Critical`); anything else is
 * passed through so the SDK's validation reports it with the allowed values.
 *
 * @example
 * normaliseStatus("warning"); // "Warning"
 */
export function normaliseStatus(status: string): EventStatus {
  return ownProperty(STATUSES, status.trim().toLowerCase()) ?? (status as EventStatus);
}

/**
 * Builds an event from `push`/`resolve` payload flags. `--title` and `--status` are required for push;
 * `resolve` passes `status: "Ok"` and the alert key's title default.
 *
 * @example
 * eventFromFlags({ title: "disk full", label: ["host=db1"] }, "Critical");
 * // { title_rule: "disk full", event_status: "Critical", labels: { host: "db1" } }
 */
export function eventFromFlags(
  values: ResolveValues,
  status: string,
  command: "push" | "resolve",
): FlashCallEvent {
  if (values.title === undefined) throw new UsageError("--title is required", command);
  const event: FlashCallEvent = { title_rule: values.title, event_status: normaliseStatus(status) };
  if (values["alert-key"] !== undefined) event.alert_key = values["alert-key"];
  if (values.description !== undefined) event.description = values.description;
  if (values.label !== undefined) event.labels = parseLabelFlags(values.label);
  if (values.image !== undefined) event.images = values.image.map(parseImageFlag);
  if (values["event-time"] !== undefined) event.event_time = parseEventTime(values["event-time"]);
  return event;
}
