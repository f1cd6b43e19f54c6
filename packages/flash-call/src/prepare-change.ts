import type { ChangeEvent } from "@flash-call/core";
import { CHANGE_LIMITS, CHANGE_OVERFLOW, CHANGE_STATUSES } from "@flash-call/core/constants";
import { FlashdutyValidationError } from "@flash-call/errors";
import type { FlashCallChange, PreparedChange } from "./change-event.js";
import {
  copyEventTime,
  copyLabels,
  copyStatus,
  copyText,
  createEventChecks,
  type EventSubject,
  type Fields,
  finish,
  inputFailure,
  type LabelRules,
  notBlank,
  onlyKnown,
  read,
  report,
  type TextField,
} from "./event-checks.js";
import { NO_OPTIONS, type PrepareOptions } from "./prepare-event.js";
import { KEY_IN_LABEL_NAME, maskSecretFields } from "./secret-fields.js";
import { isObject } from "./untrusted-value.js";

// No length limit where none is documented.
const TITLE: TextField = ["title", undefined, "reject"];
const CHANGE_KEY: TextField = ["change_key", undefined, "reject"];
const DESCRIPTION: TextField = ["description", CHANGE_LIMITS.description, CHANGE_OVERFLOW.description];
const LINK: TextField = ["link", undefined, "reject"];
const CHANGE_FIELDS = ["title", "change_status", "change_key", "event_time", "description", "link", "labels"];

// Flashduty documents no rule for a change label's name beyond its length: none is invented.
const LABEL_RULES: LabelRules = {
  max: CHANGE_LIMITS.labels_max,
  key: CHANGE_LIMITS.label_key,
  value: CHANGE_LIMITS.label_value,
  valueOverflow: CHANGE_OVERFLOW.label_value,
};

/** How its validation errors name a change event. */
const CHANGE: EventSubject = "change event";

/**
 * Validates a change event by the spec's rules and shapes it exactly as Flashduty would store it, as
 * `prepareEvent` does for alerts: every issue thrown at once as a `FlashdutyValidationError`, values over a
 * truncating limit cut and reported (rejected with `strict`). Nothing invalid is sent.
 *
 * @example
 * ```ts
 * const { event } = prepareChange({ title: "Deploy v2", change_status: "Done", change_key: "deploy-42" });
 * ```
 */
export function prepareChange(input: FlashCallChange, options: PrepareOptions = NO_OPTIONS): PreparedChange {
  try {
    return prepareChecked(input, options);
  } catch (error) {
    throw inputFailure(error, CHANGE);
  }
}

function prepareChecked(input: FlashCallChange, options: PrepareOptions): PreparedChange {
  if (!isObject(input)) {
    throw new FlashdutyValidationError([{ path: "", message: "the change event must be an object" }], {
      subject: CHANGE,
    });
  }
  const checks = createEventChecks(options.strict === true);
  const raw = input as unknown as Fields;
  onlyKnown(checks, raw, CHANGE_FIELDS, "", "a change event");
  // Each known field read once, in the spec's order: a getter is never called twice, nor one that is not known.
  const title = read(checks, raw, "title");
  const changeStatus = read(checks, raw, "change_status");
  const changeKey = read(checks, raw, "change_key");
  const eventTime = read(checks, raw, "event_time");
  const description = read(checks, raw, "description");
  const link = read(checks, raw, "link");
  const labels = read(checks, raw, "labels");
  const event: Fields = {};
  // Fields are set in the spec's order, the order a dry run shows them in.
  copyText(checks, title, event, TITLE, "");
  if (title === undefined) report(checks, "title", "is required");
  copyStatus(checks, changeStatus, event, "change_status", CHANGE_STATUSES);
  copyText(checks, changeKey, event, CHANGE_KEY, "");
  if (changeKey === undefined) {
    report(checks, "change_key", "is required: the change's id, e.g. a ticket or pipeline number");
  }
  notBlank(checks, title, "title");
  notBlank(checks, changeKey, "change_key");
  copyEventTime(checks, eventTime, event, CHANGE_LIMITS.event_time_max);
  copyText(checks, description, event, DESCRIPTION, "");
  copyText(checks, link, event, LINK, "");
  copyLabels(checks, labels, event, options.baseLabels, LABEL_RULES);
  const masked = maskSecretFields(event, (path) => report(checks, path, KEY_IN_LABEL_NAME));
  const truncations = finish(checks, CHANGE);
  return { event: event as unknown as ChangeEvent, truncations, masked };
}
