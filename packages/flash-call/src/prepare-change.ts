import type { ChangeEvent } from "@flash-call/core";
import { CHANGE_LIMITS, CHANGE_OVERFLOW, CHANGE_STATUSES } from "@flash-call/core/constants";
import { FlashdutyValidationError } from "@flash-call/errors";
import type { FlashCallChange, PreparedChange } from "./change-event.js";
import { EventChecks, type Fields, inputFailure, type LabelRules, type TextField } from "./event-checks.js";
import { NO_OPTIONS, type PrepareOptions } from "./prepare-event.js";
import { isObject } from "./untrusted-value.js";

// No length limit where none is documented.
const TITLE: TextField = { name: "title", limit: undefined, overflow: "reject" };
const CHANGE_KEY: TextField = { name: "change_key", limit: undefined, overflow: "reject" };
const DESCRIPTION: TextField = {
  name: "description",
  limit: CHANGE_LIMITS.description,
  overflow: CHANGE_OVERFLOW.description,
};
const LINK: TextField = { name: "link", limit: undefined, overflow: "reject" };
const CHANGE_FIELDS = ["title", "change_status", "change_key", "event_time", "description", "link", "labels"];

// Flashduty documents no rule for a change label's name beyond its length: none is invented.
const LABEL_RULES: LabelRules = {
  max: CHANGE_LIMITS.labels_max,
  key: CHANGE_LIMITS.label_key,
  value: CHANGE_LIMITS.label_value,
  valueOverflow: CHANGE_OVERFLOW.label_value,
};

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
    throw inputFailure(error);
  }
}

function prepareChecked(input: FlashCallChange, options: PrepareOptions): PreparedChange {
  if (!isObject(input)) {
    throw new FlashdutyValidationError([{ path: "", message: "the change event must be an object" }]);
  }
  const checks = new EventChecks(options.strict === true);
  const raw = input as unknown as Fields;
  checks.onlyKnown(raw, CHANGE_FIELDS, "", "a change event");
  // Each known field read once, in the spec's order: a getter is never called twice, nor one that is not known.
  const title = checks.read(raw, "title", "title");
  const changeStatus = checks.read(raw, "change_status", "change_status");
  const changeKey = checks.read(raw, "change_key", "change_key");
  const eventTime = checks.read(raw, "event_time", "event_time");
  const description = checks.read(raw, "description", "description");
  const link = checks.read(raw, "link", "link");
  const labels = checks.read(raw, "labels", "labels");
  const event: Fields = {};
  // Fields are set in the spec's order, the order a dry run shows them in.
  checks.copyText(title, event, TITLE, "");
  if (title === undefined) checks.report("title", "is required");
  checks.copyStatus(changeStatus, event, "change_status", CHANGE_STATUSES);
  checks.copyText(changeKey, event, CHANGE_KEY, "");
  if (changeKey === undefined) {
    checks.report("change_key", "is required: the change's id, e.g. a ticket or pipeline number");
  }
  checks.notBlank(title, "title");
  checks.notBlank(changeKey, "change_key");
  checks.copyEventTime(eventTime, event, CHANGE_LIMITS.event_time_max);
  checks.copyText(description, event, DESCRIPTION, "");
  checks.copyText(link, event, LINK, "");
  checks.copyLabels(labels, event, options.baseLabels, LABEL_RULES);
  const truncations = checks.finish();
  return { event: event as unknown as ChangeEvent, truncations };
}
