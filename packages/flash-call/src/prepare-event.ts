import type { AlertEvent } from "@flash-call/core";
import { EVENT_STATUSES, LIMITS, OVERFLOW } from "@flash-call/core/constants";
import { FlashdutyValidationError } from "@flash-call/errors";
import type { FlashCallEvent, LabelValue, PreparedEvent } from "./event.js";
import { EventChecks, type Fields, inputFailure, type TextField, UNREADABLE } from "./event-checks.js";
import { isObject } from "./untrusted-value.js";

/** How `prepareEvent` treats values longer than Flashduty keeps. */
export interface PrepareOptions {
  /** Labels under the event's own (instance defaults, identity labels). @default none */
  baseLabels?: Record<string, LabelValue>;
  /** Reject what Flashduty would truncate instead of truncating it. @default false */
  strict?: boolean;
}

// The image's string fields, in the spec's order.
const IMAGE_SRC: TextField = { name: "src", limit: LIMITS.image_src, overflow: OVERFLOW.image_src };
const IMAGE_ALT: TextField = { name: "alt", limit: LIMITS.image_alt, overflow: OVERFLOW.image_alt };
const IMAGE_HREF: TextField = { name: "href", limit: LIMITS.image_href, overflow: OVERFLOW.image_href };
const IMAGE_FIELDS = [IMAGE_SRC.name, IMAGE_ALT.name, IMAGE_HREF.name];

const TITLE_RULE: TextField = { name: "title_rule", limit: LIMITS.title_rule, overflow: OVERFLOW.title_rule };
const ALERT_KEY: TextField = { name: "alert_key", limit: LIMITS.alert_key, overflow: OVERFLOW.alert_key };
const DESCRIPTION: TextField = {
  name: "description",
  limit: LIMITS.description,
  overflow: OVERFLOW.description,
};
const EVENT_FIELDS = [
  "title_rule",
  "event_status",
  "alert_key",
  "event_time",
  "description",
  "labels",
  "images",
];

const LABEL_RULES = {
  max: LIMITS.labels_max,
  key: LIMITS.label_key,
  value: LIMITS.label_value,
  valueOverflow: OVERFLOW.label_value,
  name: new RegExp(LIMITS.label_key_pattern),
};

/**
 * No options: one object for every call that passes none, rather than a fresh `{}` per event.
 *
 * @example
 * ```ts
 * export function prepareChange(input: FlashCallChange, options: PrepareOptions = NO_OPTIONS) {}
 * ```
 */
export const NO_OPTIONS: PrepareOptions = Object.freeze({});

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
export function prepareEvent(input: FlashCallEvent, options: PrepareOptions = NO_OPTIONS): PreparedEvent {
  try {
    return prepareChecked(input, options);
  } catch (error) {
    throw inputFailure(error);
  }
}

function prepareChecked(input: FlashCallEvent, options: PrepareOptions): PreparedEvent {
  if (!isObject(input)) {
    throw new FlashdutyValidationError([{ path: "", message: "the event must be an object" }]);
  }
  const checks = new EventChecks(options.strict === true);

  const raw = input as unknown as Fields;
  checks.onlyKnown(raw, EVENT_FIELDS, "", "an alert event");
  // Each known field read once, in the spec's order: a getter is never called twice, nor one that is not known.
  const titleRule = checks.read(raw, "title_rule", "title_rule");
  const eventStatus = checks.read(raw, "event_status", "event_status");
  const alertKey = checks.read(raw, "alert_key", "alert_key");
  const eventTime = checks.read(raw, "event_time", "event_time");
  const description = checks.read(raw, "description", "description");
  const labels = checks.read(raw, "labels", "labels");
  const images = checks.read(raw, "images", "images");
  const event: Fields = {};
  // Fields are set in the spec's order, the order a dry run shows them in.
  checks.copyText(titleRule, event, TITLE_RULE, "");
  if (titleRule === undefined) checks.report("title_rule", "is required");
  checks.copyStatus(eventStatus, event, "event_status", EVENT_STATUSES);

  checks.copyText(alertKey, event, ALERT_KEY, "");
  if (eventStatus === "Ok" && alertKey === undefined) {
    checks.report("alert_key", 'is required when event_status is "Ok": it names the alert to close');
  }
  checks.notBlank(titleRule, "title_rule");
  checks.notBlank(alertKey, "alert_key");
  checks.copyEventTime(eventTime, event, LIMITS.event_time_max);
  checks.copyText(description, event, DESCRIPTION, "");
  checks.copyLabels(labels, event, options.baseLabels, LABEL_RULES);

  if (images !== undefined && images !== UNREADABLE && !Array.isArray(images))
    checks.report("images", "must be an array");
  else if (Array.isArray(images)) {
    const alts = new Map<string, number>();
    const list = images as unknown[];
    const count = list.length;
    const prepared: Fields[] = [];
    for (let index = 0; index < count; index++) {
      const path = `images[${index}]`;
      const image = checks.read(list as unknown as Fields, String(index), path);
      const copy: Fields = {};
      prepared.push(copy);
      if (image === UNREADABLE) continue;
      if (!isObject(image)) {
        checks.report(path, "must be an object with a src");
        continue;
      }
      const prefix = `${path}.`;
      checks.onlyKnown(image, IMAGE_FIELDS, prefix, "an image");
      const src = checks.read(image, "src", `${prefix}src`);
      const alt = checks.read(image, "alt", `${prefix}alt`);
      const href = checks.read(image, "href", `${prefix}href`);
      checks.copyText(src, copy, IMAGE_SRC, prefix);
      checks.copyText(alt, copy, IMAGE_ALT, prefix);
      checks.copyText(href, copy, IMAGE_HREF, prefix);
      if (src === undefined || src === "") {
        checks.report(`${prefix}src`, "is required: an http(s) URL or an image_key");
      }
      const sentAlt = (copy.alt as string | undefined) ?? "";
      const first = alts.get(sentAlt);
      if (first !== undefined) {
        checks.report(
          `${prefix}alt`,
          `repeats the alt of images[${first}]: Flashduty keeps one image per alt, so give each its own alt`,
        );
      } else alts.set(sentAlt, index);
    }
    event.images = prepared;
  }

  const truncations = checks.finish();
  return { event: event as unknown as AlertEvent, truncations };
}
