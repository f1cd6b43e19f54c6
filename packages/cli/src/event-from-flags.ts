import type { EventStatus } from "@flash-call/core";
import { EVENT_STATUSES } from "@flash-call/core/constants";
import type { FlashCallEvent } from "flash-call";
import type { ResolveValues } from "./args.js";
import { didYouMean } from "./did-you-mean.js";
import { parseEventTime } from "./event-time.js";
import { parseImageFlag } from "./image-flag.js";
import { parseLabelFlags } from "./label-flag.js";
import { ownProperty } from "./own-property.js";
import { quoteInput } from "./quote-input.js";
import { UsageError } from "./usage-error.js";

const STATUSES: Record<string, EventStatus> = {
  critical: "Critical",
  warning: "Warning",
  info: "Info",
  ok: "Ok",
};

/**
 * Normalises `--status` case-insensitively to the wire spelling (`critical` → `Critical`); anything else is a
 * {@link UsageError} listing the statuses, with a "did you mean" when one is close.
 *
 * @example
 * normaliseStatus("warning"); // "Warning"
 * normaliseStatus("critcal"); // throws: --status "critcal" is not one of …; did you mean Critical?
 */
export function normaliseStatus(status: string, command: "push" | "resolve" = "push"): EventStatus {
  const known = ownProperty(STATUSES, status.trim().toLowerCase());
  if (known !== undefined) return known;
  const near = didYouMean(status.trim(), EVENT_STATUSES);
  throw new UsageError(
    `--status ${quoteInput(status)} is not one of ${EVENT_STATUSES.join(", ")}${near === undefined ? "" : `; did you mean ${near}?`}`,
    command,
  );
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
  const event: FlashCallEvent = { title_rule: values.title, event_status: normaliseStatus(status, command) };
  if (values["alert-key"] !== undefined) event.alert_key = values["alert-key"];
  if (values.description !== undefined) event.description = values.description;
  if (values.label !== undefined) event.labels = parseLabelFlags(values.label);
  if (values.image !== undefined) event.images = values.image.map(parseImageFlag);
  if (values["event-time"] !== undefined) event.event_time = parseEventTime(values["event-time"]);
  return event;
}
