import type { AlertEvent } from "@flash-call/core";
import { EVENT_STATUSES, LIMITS, OVERFLOW } from "@flash-call/core/constants";
import { FlashdutyValidationError } from "@flash-call/errors";
import type { FlashCallEvent, LabelValue, PreparedEvent } from "./event.js";
import { createEventChecks, type Fields, guarded, type TextField, UNREADABLE } from "./event-checks.js";
import { isObject } from "./untrusted-value.js";

/** How `prepareEvent` treats values longer than Flashduty keeps. */
export interface PrepareOptions {
  /** Labels under the event's own (instance defaults, identity labels). @default none */
  baseLabels?: Record<string, LabelValue>;
  /** Reject what Flashduty would truncate instead of truncating it. @default false */
  strict?: boolean;
}

// The image's string fields, in the spec's order.
const IMAGE_TEXT: readonly TextField[] = [
  ["src", LIMITS.image_src, OVERFLOW.image_src],
  ["alt", LIMITS.image_alt, OVERFLOW.image_alt],
  ["href", LIMITS.image_href, OVERFLOW.image_href],
];
const EVENT_FIELDS = [
  "title_rule",
  "event_status",
  "alert_key",
  "event_time",
  "description",
  "labels",
  "images",
];
const IMAGE_FIELDS = IMAGE_TEXT.map(([name]) => name);

const LABEL_RULES = {
  max: LIMITS.labels_max,
  key: LIMITS.label_key,
  value: LIMITS.label_value,
  valueOverflow: OVERFLOW.label_value,
  name: new RegExp(LIMITS.label_key_pattern),
};

/**
 * Validates an event and shapes it exactly as Flashduty would store it: every issue is collected and thrown at once
 * as a `FlashdutyValidationError`, values over a truncating limit are cut (by Unicode code points) and reported.
 * Nothing that Flashduty would reject or silently discard passes.
 *
 * @example
 * ```ts
 * const { event, truncations } = prepareEvent({ title_rule: "disk full", event_status: "Critical" });
 * ```
 */
export function prepareEvent(input: FlashCallEvent, options: PrepareOptions = {}): PreparedEvent {
  return guarded(() => prepareChecked(input, options));
}

function prepareChecked(input: FlashCallEvent, options: PrepareOptions): PreparedEvent {
  if (!isObject(input)) {
    throw new FlashdutyValidationError([{ path: "", message: "the event must be an object" }]);
  }
  const checks = createEventChecks(options.strict === true);
  const { report, read, copyText } = checks;

  const raw = input as unknown as Fields;
  checks.onlyKnown(raw, EVENT_FIELDS, "", "an alert event");
  const source = checks.snapshot(raw, EVENT_FIELDS, "");
  const event: Fields = {};
  // Fields are set in the spec's order, the order a dry run shows them in.
  copyText(source, event, "", ["title_rule", LIMITS.title_rule, OVERFLOW.title_rule]);
  if (source.title_rule === undefined) report("title_rule", "is required");
  checks.copyStatus(source, event, "event_status", EVENT_STATUSES);

  copyText(source, event, "", ["alert_key", LIMITS.alert_key, OVERFLOW.alert_key]);
  if (source.event_status === "Ok" && source.alert_key === undefined) {
    report("alert_key", 'is required when event_status is "Ok": it names the alert to close');
  }
  checks.notBlank(source, ["title_rule", "alert_key"]);
  checks.copyEventTime(source, event, LIMITS.event_time_max);
  copyText(source, event, "", ["description", LIMITS.description, OVERFLOW.description]);
  checks.copyLabels(source, event, options.baseLabels, LABEL_RULES);

  const images = source.images;
  if (images !== undefined && images !== UNREADABLE && !Array.isArray(images))
    report("images", "must be an array");
  else if (Array.isArray(images)) {
    const alts = new Map<string, number>();
    const list = images as unknown[];
    const count = list.length;
    const prepared: Fields[] = [];
    for (let index = 0; index < count; index++) {
      const path = `images[${index}]`;
      const image = read(list as unknown as Fields, String(index), path);
      const copy: Fields = {};
      prepared.push(copy);
      if (image === UNREADABLE) continue;
      if (!isObject(image)) {
        report(path, "must be an object with a src");
        continue;
      }
      checks.onlyKnown(image, IMAGE_FIELDS, `${path}.`, "an image");
      const fields = checks.snapshot(image, IMAGE_FIELDS, `${path}.`);
      for (const field of IMAGE_TEXT) copyText(fields, copy, `${path}.`, field);
      if (fields.src === undefined || fields.src === "") {
        report(`${path}.src`, "is required: an http(s) URL or an image_key");
      }
      const alt = (copy.alt as string | undefined) ?? "";
      const first = alts.get(alt);
      if (first !== undefined) {
        report(
          `${path}.alt`,
          `repeats the alt of images[${first}]: Flashduty keeps one image per alt, so give each its own alt`,
        );
      } else alts.set(alt, index);
    }
    event.images = prepared;
  }

  checks.finish();
  return { event: event as unknown as AlertEvent, truncations: checks.truncations };
}
