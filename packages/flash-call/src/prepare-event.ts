import type { AlertEvent } from "@flash-call/core";
import { EVENT_STATUSES, LIMITS, OVERFLOW } from "@flash-call/core/constants";
import { FlashdutyValidationError } from "@flash-call/errors";
import type { FlashCallEvent, LabelValue, PreparedEvent, Truncation } from "./event.js";
import { hasLoneSurrogate, isObject, kindOf, printable } from "./untrusted-value.js";

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

/** A field whose getter threw: already reported, so no further issue is raised about it. */
const UNREADABLE: unique symbol = Symbol();

/** The latest `event_time` Flashduty accepts, as a date, for messages. */
const LATEST = new Date(LIMITS.event_time_max * 1000).toISOString();

/** The time of a Date, read with Date's own method (a subclass or another realm's Date too); undefined if not one. */
function dateTime(value: unknown): number | undefined {
  if (value === null || typeof value !== "object") return undefined;
  try {
    return Date.prototype.getTime.call(value);
  } catch {
    return undefined;
  }
}

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
  try {
    return prepareChecked(input, options);
  } catch (error) {
    if (FlashdutyValidationError.isInstance(error)) throw error;
    // The checks below read every value they touch safely; what still throws is an input built to (a Proxy whose
    // traps throw, a revoked Proxy): it is the caller's input all the same, so it is reported as such.
    throw new FlashdutyValidationError([
      {
        path: "",
        message: "could not be read: a getter or Proxy trap of the event threw while it was checked",
      },
    ]);
  }
}

function prepareChecked(input: FlashCallEvent, options: PrepareOptions): PreparedEvent {
  if (!isObject(input)) {
    throw new FlashdutyValidationError([{ path: "", message: "the event must be an object" }]);
  }
  const issues: Issue[] = [];
  const truncations: Truncation[] = [];
  const report = (path: string, message: string) => {
    issues.push({ path, message });
  };

  /** `source[name]`, or UNREADABLE (reported) when its getter throws. */
  const read = (source: Fields, name: string, path: string): unknown => {
    try {
      return source[name];
    } catch {
      report(path, "could not be read: its getter threw");
      return UNREADABLE;
    }
  };

  /** The own enumerable string keys of `source`; a Symbol key is reported (JSON cannot carry it). */
  const keysOf = (source: Fields, path: string): string[] => {
    try {
      if (
        Object.getOwnPropertySymbols(source).some((key) =>
          Object.prototype.propertyIsEnumerable.call(source, key),
        )
      ) {
        report(path, "has a Symbol key: names must be strings");
      }
      return Object.keys(source);
    } catch {
      report(path, "could not be read: listing its fields threw");
      return [];
    }
  };

  /** Reports fields of `source` that are not in `known` (Flashduty would ignore them: a typo would go unnoticed). */
  const onlyKnown = (source: Fields, known: string[], prefix: string, what: string) => {
    for (const field of keysOf(source, prefix.replace(/\.$/, ""))) {
      if (known.includes(field)) continue;
      const path = prefix + printable(field);
      if (read(source, field, path) !== undefined) {
        report(path, `is not ${what} field (${known.join(", ")}); Flashduty would ignore it`);
      }
    }
  };

  /** The value to send for a string: over its limit, cut as Flashduty would, or an issue. */
  const fit = (value: string, limit: number, overflow: Overflow, path: string): string => {
    if (hasLoneSurrogate(value)) {
      report(path, "has a lone UTF-16 surrogate (half a character): Flashduty would turn it into U+FFFD");
      return value;
    }
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
    else if (value !== undefined && value !== UNREADABLE)
      report(prefix + name, `must be a string, not ${kindOf(value)}`);
  };

  /** The known fields of `from`, each read once: a getter is never called twice, nor one that is not known. */
  const snapshot = (from: Fields, names: readonly string[], prefix: string): Fields => {
    const copy: Fields = Object.create(null);
    for (const name of names) copy[name] = read(from, name, prefix + name);
    return copy;
  };

  const raw = input as unknown as Fields;
  onlyKnown(raw, EVENT_FIELDS, "", "an alert event");
  const source = snapshot(raw, EVENT_FIELDS, "");
  const event: Fields = {};
  // Fields are set in the spec's order, the order a dry run shows them in.
  copyText(source, event, "", ["title_rule", LIMITS.title_rule, OVERFLOW.title_rule]);
  if (source.title_rule === undefined) report("title_rule", "is required");

  const status = source.event_status;
  if ((EVENT_STATUSES as readonly unknown[]).includes(status)) event.event_status = status;
  else if (status === undefined) report("event_status", `is required: one of ${EVENT_STATUSES.join(", ")}`);
  else if (typeof status !== "string") {
    if (status !== UNREADABLE) {
      report("event_status", `must be a string, one of ${EVENT_STATUSES.join(", ")}; got ${kindOf(status)}`);
    }
  } else {
    const near = EVENT_STATUSES.find((known) => known.toLowerCase() === status.toLowerCase());
    report(
      "event_status",
      `"${printable(status)}" is not one of ${EVENT_STATUSES.join(", ")}${near ? ` (statuses are case-sensitive: did you mean "${near}"?)` : ""}`,
    );
  }

  copyText(source, event, "", ["alert_key", LIMITS.alert_key, OVERFLOW.alert_key]);
  if (status === "Ok" && source.alert_key === undefined) {
    report("alert_key", 'is required when event_status is "Ok": it names the alert to close');
  }
  for (const field of ["title_rule", "alert_key"]) {
    const value = source[field];
    if (typeof value === "string" && value.trim() === "") report(field, "must not be empty");
  }

  const time = source.event_time;
  const dateMs = dateTime(time);
  if (dateMs !== undefined) {
    // The same range as a number: a Date is converted to seconds, so only its range can be wrong.
    const seconds = Math.floor(dateMs / 1000);
    if (Number.isNaN(dateMs)) report("event_time", "is an invalid Date");
    else if (seconds < 0) report("event_time", "is a Date before 1970: Flashduty takes Unix seconds from 0");
    else if (seconds > LIMITS.event_time_max) {
      report("event_time", `is a Date after ${LATEST}, the latest Flashduty accepts`);
    } else event.event_time = seconds;
  } else if (time !== undefined && time !== UNREADABLE) {
    if (typeof time !== "number" || !Number.isInteger(time)) {
      report("event_time", `must be a Date or a whole number of Unix seconds, not ${kindOf(time)}`);
    } else if (time < 0) {
      report("event_time", "must not be negative: Flashduty takes Unix seconds from 0");
    } else if (time > LIMITS.event_time_max * 1000) {
      report("event_time", `is after ${LATEST} even read as milliseconds; Flashduty takes Unix seconds`);
    } else if (time > LIMITS.event_time_max) {
      report(
        "event_time",
        `${time} looks like milliseconds; Flashduty takes seconds: pass Math.floor(ms / 1000) or a Date`,
      );
    } else event.event_time = time;
  }
  copyText(source, event, "", ["description", LIMITS.description, OVERFLOW.description]);

  const given = source.labels;
  if (given !== undefined && given !== UNREADABLE && !isObject(given)) {
    report("labels", "must be an object of label names to values");
  } else {
    // A Map, not an object: a label named "__proto__" (an own key, as JSON.parse makes it) stays a label.
    const merged = new Map<string, unknown>();
    for (const from of [options.baseLabels, given === UNREADABLE ? undefined : given]) {
      if (!isObject(from)) continue;
      for (const name of keysOf(from, "labels"))
        merged.set(name, read(from, name, `labels.${printable(name)}`));
    }
    const named = [...merged].filter(([, value]) => value !== undefined && value !== UNREADABLE);
    const labels: [string, string][] = [];
    for (const [name, value] of named) {
      const path = `labels.${printable(name)}`;
      if (hasLoneSurrogate(name)) {
        report(path, "label name has a lone UTF-16 surrogate (half a character)");
      } else if (!LABEL_NAME.test(name)) {
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
      onlyKnown(image, IMAGE_FIELDS, `${path}.`, "an image");
      const fields = snapshot(image, IMAGE_FIELDS, `${path}.`);
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

  if (issues.length > 0) throw new FlashdutyValidationError(issues);
  return { event: event as unknown as AlertEvent, truncations };
}
