import type { ChangeEvent } from "@flash-call/core";
import { CHANGE_LIMITS, CHANGE_OVERFLOW, CHANGE_STATUSES } from "@flash-call/core/constants";
import { FlashdutyValidationError } from "@flash-call/errors";
import type { FlashCallChange, PreparedChange } from "./change-event.js";
import { createEventChecks, type Fields, guarded, type LabelRules } from "./event-checks.js";
import type { PrepareOptions } from "./prepare-event.js";
import { isObject } from "./untrusted-value.js";

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
export function prepareChange(input: FlashCallChange, options: PrepareOptions = {}): PreparedChange {
  return guarded(() => prepareChecked(input, options));
}

function prepareChecked(input: FlashCallChange, options: PrepareOptions): PreparedChange {
  if (!isObject(input)) {
    throw new FlashdutyValidationError([{ path: "", message: "the change event must be an object" }]);
  }
  const checks = createEventChecks(options.strict === true);
  const raw = input as unknown as Fields;
  checks.onlyKnown(raw, CHANGE_FIELDS, "", "a change event");
  const source = checks.snapshot(raw, CHANGE_FIELDS, "");
  const event: Fields = {};
  // Fields are set in the spec's order, the order a dry run shows them in; no length limit where none is documented.
  checks.copyText(source, event, "", ["title", undefined, "reject"]);
  if (source.title === undefined) checks.report("title", "is required");
  checks.copyStatus(source, event, "change_status", CHANGE_STATUSES);
  checks.copyText(source, event, "", ["change_key", undefined, "reject"]);
  if (source.change_key === undefined) {
    checks.report("change_key", "is required: the change's id, e.g. a ticket or pipeline number");
  }
  checks.notBlank(source, ["title", "change_key"]);
  checks.copyEventTime(source, event, CHANGE_LIMITS.event_time_max);
  checks.copyText(source, event, "", ["description", CHANGE_LIMITS.description, CHANGE_OVERFLOW.description]);
  checks.copyText(source, event, "", ["link", undefined, "reject"]);
  checks.copyLabels(source, event, options.baseLabels, LABEL_RULES);
  checks.finish();
  return { event: event as unknown as ChangeEvent, truncations: checks.truncations };
}
