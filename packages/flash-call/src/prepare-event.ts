import type { AlertEvent } from "@flash-call/core";
import { EVENT_STATUSES, LIMITS, OVERFLOW } from "@flash-call/core/constants";
import { FlashdutyValidationError } from "@flash-call/errors";
import type { FlashCallEvent, LabelValue, PreparedEvent, Truncation } from "./event.js";

/** How `prepareEvent` treats values longer than Flashduty keeps. */
export interface PrepareOptions {
  /** Labels under the event's own (instance defaults, identity labels). @default none */
  baseLabels?: Record<string, LabelValue>;
  /** Reject what Flashduty would truncate instead of truncating it. @default false */
  strict?: boolean;
}

type Issue = { path: string; message: string };
type Fields = Record<string, unknown>;

/** What Flashduty does with a string over its limit, as the spec's `x-flashduty-overflow` says. */
type Overflow = (typeof OVERFLOW)[keyof typeof OVERFLOW];

/** A string field: its name, its limit, and what Flashduty does beyond the limit. */
type TextField = readonly [name: string, limit: number, overflow: Overflow];

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

/** What Flashduty would do with a value over its limit, as the end of the issue that reports it. */
const OVER_LIMIT: Record<Overflow, string> = {
  truncate: " (Flashduty would truncate it; strict mode rejects that)",
  reject: "",
  discard: " (Flashduty would discard the image)",
};

const LABEL_NAME = new RegExp(LIMITS.label_key_pattern);

const isObject = (value: unknown): value is Fields =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** Length in Unicode code points, as Flashduty counts. */
const length = (text: string) => [...text].length;

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
  if (!isObject(input)) {
    throw new FlashdutyValidationError([{ path: "", message: "the event must be an object" }]);
  }
  const issues: Issue[] = [];
  const truncations: Truncation[] = [];
  const report = (path: string, message: string) => {
    issues.push({ path, message });
  };

  /** Reports fields of `source` that are not in `known` (Flashduty would ignore them: a typo would go unnoticed). */
  const onlyKnown = (source: Fields, known: string[], prefix: string, what: string) => {
    for (const field of Object.keys(source)) {
      if (!known.includes(field) && source[field] !== undefined) {
        report(prefix + field, `is not ${what} field (${known.join(", ")}); Flashduty would ignore it`);
      }
    }
  };

  /** The value to send for a string: over its limit, cut as Flashduty would, or an issue. */
  const fit = (value: string, limit: number, overflow: Overflow, path: string): string => {
    // A string has no more code points than UTF-16 units: only one longer than the limit needs counting.
    if (value.length <= limit) return value;
    const size = length(value);
    if (size <= limit) return value;
    if (overflow === "truncate" && options.strict !== true) {
      truncations.push({ path, from: size, to: limit });
      return [...value].slice(0, limit).join("");
    }
    report(path, `is ${size} characters, over Flashduty's limit of ${limit}${OVER_LIMIT[overflow]}`);
    return value;
  };

  /** Copies one string field from `source` to `target`, checked and fitted; an absent one stays absent. */
  const copyText = (source: Fields, target: Fields, prefix: string, [name, limit, overflow]: TextField) => {
    const value = source[name];
    if (typeof value === "string") target[name] = fit(value, limit, overflow, prefix + name);
    else if (value !== undefined) report(prefix + name, "must be a string");
  };

  const source = input as unknown as Fields;
  const event: Fields = {};
  onlyKnown(source, EVENT_FIELDS, "", "an alert event");
  // Fields are set in the spec's order, the order a dry run shows them in.
  copyText(source, event, "", ["title_rule", LIMITS.title_rule, OVERFLOW.title_rule]);
  if (source.title_rule === undefined) report("title_rule", "is required");

  const status = source.event_status;
  if ((EVENT_STATUSES as readonly unknown[]).includes(status)) event.event_status = status;
  else {
    const near = EVENT_STATUSES.find((known) => known.toLowerCase() === String(status).toLowerCase());
    report(
      "event_status",
      status === undefined
        ? `is required: one of ${EVENT_STATUSES.join(", ")}`
        : `"${String(status)}" is not one of ${EVENT_STATUSES.join(", ")}${near ? ` (statuses are case-sensitive: did you mean "${near}"?)` : ""}`,
    );
  }

  copyText(source, event, "", ["alert_key", LIMITS.alert_key, OVERFLOW.alert_key]);
  if (status === "Ok" && typeof source.alert_key !== "string") {
    report("alert_key", 'is required when event_status is "Ok": it names the alert to close');
  }
  for (const field of ["title_rule", "alert_key"]) {
    const value = source[field];
    if (typeof value === "string" && value.trim() === "") report(field, "must not be empty");
  }

  const time = source.event_time;
  if (time instanceof Date) {
    const ms = time.getTime();
    if (Number.isNaN(ms)) report("event_time", "is an invalid Date");
    else event.event_time = Math.floor(ms / 1000);
  } else if (time !== undefined) {
    if (typeof time !== "number" || !Number.isInteger(time) || time < 0) {
      report("event_time", "must be a Date or a whole number of Unix seconds");
    } else if (time > LIMITS.event_time_max) {
      report(
        "event_time",
        `${time} looks like milliseconds; Flashduty takes seconds: pass Math.floor(ms / 1000) or a Date`,
      );
    } else event.event_time = time;
  }
  copyText(source, event, "", ["description", LIMITS.description, OVERFLOW.description]);

  const given = source.labels;
  if (given !== undefined && !isObject(given)) report("labels", "must be an object of label names to values");
  else {
    const named = Object.entries({ ...options.baseLabels, ...given }).filter(
      ([, value]) => value !== undefined,
    );
    const labels: [string, string][] = [];
    for (const [name, value] of named) {
      const path = `labels.${name}`;
      if (!LABEL_NAME.test(name)) {
        report(path, "is not a valid label name: use letters, digits and _, not starting with a digit");
      } else if (name.length > LIMITS.label_key) {
        report(
          path,
          `label name is ${name.length} characters, over Flashduty's limit of ${LIMITS.label_key}`,
        );
      }
      if (typeof value === "string" || typeof value === "boolean" || Number.isFinite(value)) {
        labels.push([name, fit(String(value), LIMITS.label_value, OVERFLOW.label_value, path)]);
      } else {
        report(
          path,
          `${value === null || typeof value === "number" ? value : typeof value} cannot be a label value: use a string, a finite number or a boolean`,
        );
      }
    }
    if (named.length > LIMITS.labels_max) {
      report("labels", `has ${named.length} labels; Flashduty accepts at most ${LIMITS.labels_max}`);
    }
    // fromEntries, not assignment: a label named "__proto__" must become a label, not the object's prototype.
    if (named.length > 0) event.labels = Object.fromEntries(labels);
  }

  const images = source.images;
  if (images !== undefined && !Array.isArray(images)) report("images", "must be an array");
  else if (images) {
    const alts = new Map<string, number>();
    event.images = images.map((image: unknown, index) => {
      const path = `images[${index}]`;
      const prepared: Fields = {};
      if (!isObject(image)) {
        report(path, "must be an object with a src");
        return prepared;
      }
      onlyKnown(image, IMAGE_FIELDS, `${path}.`, "an image");
      for (const field of IMAGE_TEXT) copyText(image, prepared, `${path}.`, field);
      if (image.src === undefined || image.src === "") {
        report(`${path}.src`, "is required: an http(s) URL or an image_key");
      }
      const alt = (prepared.alt as string | undefined) ?? "";
      const first = alts.get(alt);
      if (first !== undefined) {
        report(
          `${path}.alt`,
          `repeats the alt of images[${first}]: Flashduty keeps one image per alt, so give each its own alt`,
        );
      } else alts.set(alt, index);
      return prepared;
    });
  }

  if (issues.length > 0) throw new FlashdutyValidationError(issues);
  return { event: event as unknown as AlertEvent, truncations };
}
