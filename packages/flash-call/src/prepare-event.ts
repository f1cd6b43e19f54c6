import type { AlertEvent } from "@flash-call/core";
import { EVENT_STATUSES, LIMITS, OVERFLOW } from "@flash-call/core/constants";
import { FlashdutyValidationError } from "@flash-call/errors";
import type { FlashCallEvent, LabelValue, PreparedEvent } from "./event.js";
import {
  copyEventTime,
  copyLabels,
  copyStatus,
  copyText,
  createEventChecks,
  type Fields,
  finish,
  inputFailure,
  notBlank,
  onlyKnown,
  read,
  report,
  type TextField,
  UNREADABLE,
} from "./event-checks.js";
import { KEY_IN_LABEL_NAME, maskSecretFields } from "./secret-fields.js";
import { isObject } from "./untrusted-value.js";

/** How `prepareEvent` treats values longer than Flashduty keeps. */
export interface PrepareOptions {
  /** Labels under the event's own (instance defaults, identity labels). @default none */
  baseLabels?: Record<string, LabelValue>;
  /** Reject what Flashduty would truncate instead of truncating it. @default false */
  strict?: boolean;
}

// The image's string fields, in the spec's order.
const IMAGE_SRC: TextField = ["src", LIMITS.image_src, OVERFLOW.image_src];
const IMAGE_ALT: TextField = ["alt", LIMITS.image_alt, OVERFLOW.image_alt];
const IMAGE_HREF: TextField = ["href", LIMITS.image_href, OVERFLOW.image_href];
const IMAGE_FIELDS = [IMAGE_SRC[0], IMAGE_ALT[0], IMAGE_HREF[0]];

const TITLE_RULE: TextField = ["title_rule", LIMITS.title_rule, OVERFLOW.title_rule];
const ALERT_KEY: TextField = ["alert_key", LIMITS.alert_key, OVERFLOW.alert_key];
const DESCRIPTION: TextField = ["description", LIMITS.description, OVERFLOW.description];
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
  const checks = createEventChecks(options.strict === true);

  const raw = input as unknown as Fields;
  onlyKnown(checks, raw, EVENT_FIELDS, "", "an alert event");
  // Each known field read once, in the spec's order: a getter is never called twice, nor one that is not known.
  const titleRule = read(checks, raw, "title_rule");
  const eventStatus = read(checks, raw, "event_status");
  const alertKey = read(checks, raw, "alert_key");
  const eventTime = read(checks, raw, "event_time");
  const description = read(checks, raw, "description");
  const labels = read(checks, raw, "labels");
  const images = read(checks, raw, "images");
  const event: Fields = {};
  // Fields are set in the spec's order, the order a dry run shows them in.
  copyText(checks, titleRule, event, TITLE_RULE, "");
  if (titleRule === undefined) report(checks, "title_rule", "is required");
  copyStatus(checks, eventStatus, event, "event_status", EVENT_STATUSES);

  copyText(checks, alertKey, event, ALERT_KEY, "");
  if (eventStatus === "Ok" && alertKey === undefined) {
    report(checks, "alert_key", 'is required when event_status is "Ok": it names the alert to close');
  }
  notBlank(checks, titleRule, "title_rule");
  notBlank(checks, alertKey, "alert_key");
  copyEventTime(checks, eventTime, event, LIMITS.event_time_max);
  copyText(checks, description, event, DESCRIPTION, "");
  copyLabels(checks, labels, event, options.baseLabels, LABEL_RULES);

  if (images !== undefined && images !== UNREADABLE && !Array.isArray(images))
    report(checks, "images", "must be an array");
  else if (Array.isArray(images)) {
    const alts = new Map<string, number>();
    const list = images as unknown[];
    const count = list.length;
    const prepared: Fields[] = [];
    for (let index = 0; index < count; index++) {
      const path = `images[${index}]`;
      const image = read(checks, list as unknown as Fields, String(index), path);
      const copy: Fields = {};
      prepared.push(copy);
      if (image === UNREADABLE) continue;
      if (!isObject(image)) {
        report(checks, path, "must be an object with a src");
        continue;
      }
      const prefix = `${path}.`;
      onlyKnown(checks, image, IMAGE_FIELDS, prefix, "an image");
      const src = read(checks, image, "src", `${prefix}src`);
      const alt = read(checks, image, "alt", `${prefix}alt`);
      const href = read(checks, image, "href", `${prefix}href`);
      copyText(checks, src, copy, IMAGE_SRC, prefix);
      copyText(checks, alt, copy, IMAGE_ALT, prefix);
      copyText(checks, href, copy, IMAGE_HREF, prefix);
      if (src === undefined || src === "") {
        report(checks, `${prefix}src`, "is required: an http(s) URL or an image_key");
      }
      const sentAlt = (copy.alt as string | undefined) ?? "";
      const first = alts.get(sentAlt);
      if (first !== undefined) {
        report(
          checks,
          `${prefix}alt`,
          `repeats the alt of images[${first}]: Flashduty keeps one image per alt, so give each its own alt`,
        );
      } else alts.set(sentAlt, index);
    }
    event.images = prepared;
  }

  const masked = maskSecretFields(event, (path) => report(checks, path, KEY_IN_LABEL_NAME));
  const truncations = finish(checks);
  return { event: event as unknown as AlertEvent, truncations, masked };
}
