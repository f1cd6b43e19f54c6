import type { AlertEvent, AlertImage } from "@flash-call/core";
import { EVENT_STATUSES, LIMITS } from "@flash-call/core/constants";
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

const KNOWN_FIELDS = new Set([
  "title_rule",
  "event_status",
  "alert_key",
  "event_time",
  "description",
  "labels",
  "images",
]);
const IMAGE_FIELDS = new Set(["src", "alt", "href"]);
const LABEL_KEY = new RegExp(LIMITS.label_key_pattern);

const length = (text: string) => (text.length < 2 ? text.length : [...text].length);

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
  const issues: Issue[] = [];
  const truncations: Truncation[] = [];
  const strict = options.strict === true;

  const fit = (value: string, limit: number, path: string): string => {
    const size = length(value);
    if (size <= limit) return value;
    if (strict) {
      issues.push({
        path,
        message: `is ${size} characters; Flashduty keeps ${limit} (strict mode rejects it)`,
      });
      return value;
    }
    truncations.push({ path, from: size, to: limit });
    return [...value].slice(0, limit).join("");
  };
  const text = (value: unknown, path: string, required: boolean): value is string => {
    if (value === undefined && !required) return false;
    if (typeof value !== "string") {
      issues.push({ path, message: required && value === undefined ? "is required" : "must be a string" });
      return false;
    }
    return true;
  };

  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new FlashdutyValidationError([{ path: "", message: "the event must be an object" }]);
  }
  const source = input as unknown as Record<string, unknown>;
  const event = {} as AlertEvent;

  for (const field of Object.keys(source)) {
    if (!KNOWN_FIELDS.has(field) && source[field] !== undefined) {
      issues.push({
        path: field,
        message: "is not a field of the standard alert event; Flashduty would ignore it",
      });
    }
  }

  if (text(source.title_rule, "title_rule", true)) {
    if (source.title_rule.trim() === "") issues.push({ path: "title_rule", message: "must not be empty" });
    event.title_rule = fit(source.title_rule, LIMITS.title_rule, "title_rule");
  }

  const status = source.event_status;
  if ((EVENT_STATUSES as readonly unknown[]).includes(status)) {
    event.event_status = status as AlertEvent["event_status"];
  } else {
    const near = EVENT_STATUSES.find((known) => known.toLowerCase() === String(status).toLowerCase());
    issues.push({
      path: "event_status",
      message:
        status === undefined
          ? `is required: one of ${EVENT_STATUSES.join(", ")}`
          : `"${String(status)}" is not one of ${EVENT_STATUSES.join(", ")}${near ? ` (statuses are case-sensitive: did you mean "${near}"?)` : ""}`,
    });
  }

  if (text(source.alert_key, "alert_key", false)) {
    const size = length(source.alert_key);
    if (source.alert_key.trim() === "") issues.push({ path: "alert_key", message: "must not be empty" });
    else if (size > LIMITS.alert_key) {
      issues.push({ path: "alert_key", message: `is ${size} characters; the limit is ${LIMITS.alert_key}` });
    }
    event.alert_key = source.alert_key;
  } else if (status === "Ok") {
    issues.push({
      path: "alert_key",
      message: 'is required when event_status is "Ok": it names the alert to close',
    });
  }

  const time = source.event_time;
  if (time !== undefined) {
    if (time instanceof Date) {
      const ms = time.getTime();
      if (Number.isNaN(ms)) issues.push({ path: "event_time", message: "is an invalid Date" });
      else event.event_time = Math.floor(ms / 1000);
    } else if (typeof time !== "number" || !Number.isInteger(time) || time < 0) {
      issues.push({ path: "event_time", message: "must be a Date or a whole number of Unix seconds" });
    } else if (time > LIMITS.event_time_max) {
      issues.push({
        path: "event_time",
        message: `${time} looks like milliseconds; Flashduty takes seconds: pass Math.floor(ms / 1000) or a Date`,
      });
    } else event.event_time = time;
  }

  if (text(source.description, "description", false)) {
    event.description = fit(source.description, LIMITS.description, "description");
  }

  const labels = prepareLabels(options.baseLabels, source.labels, issues, fit);
  if (labels) event.labels = labels;

  if (source.images !== undefined) {
    if (!Array.isArray(source.images)) issues.push({ path: "images", message: "must be an array" });
    else event.images = prepareImages(source.images, issues, fit);
  }

  if (issues.length > 0) throw new FlashdutyValidationError(issues);
  return { event, truncations };
}

function prepareLabels(
  base: Record<string, LabelValue> | undefined,
  given: unknown,
  issues: Issue[],
  fit: (value: string, limit: number, path: string) => string,
): Record<string, string> | undefined {
  if (given !== undefined && (given === null || typeof given !== "object" || Array.isArray(given))) {
    issues.push({ path: "labels", message: "must be an object of label names to values" });
    return undefined;
  }
  const merged = { ...base, ...(given as Record<string, unknown> | undefined) };
  const labels: Record<string, string> = {};
  let count = 0;
  for (const [name, value] of Object.entries(merged)) {
    if (value === undefined) continue;
    const path = `labels.${name}`;
    if (!LABEL_KEY.test(name)) {
      issues.push({
        path,
        message: "is not a valid label name: use letters, digits and _, not starting with a digit",
      });
    } else if (name.length > LIMITS.label_key) {
      issues.push({
        path,
        message: `label name is ${name.length} characters; the limit is ${LIMITS.label_key}`,
      });
    }
    let textValue: string | undefined;
    if (typeof value === "string") textValue = value;
    else if (typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value))) {
      textValue = String(value);
    } else {
      issues.push({
        path,
        message: `${value === null ? "null" : typeof value === "number" ? String(value) : typeof value} cannot be a label value: use a string, a finite number or a boolean`,
      });
    }
    // defineProperty, not assignment: a label named "__proto__" must become a label, not the object's prototype.
    if (textValue !== undefined) {
      Object.defineProperty(labels, name, {
        value: fit(textValue, LIMITS.label_value, path),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    count++;
  }
  if (count > LIMITS.labels_max) {
    issues.push({
      path: "labels",
      message: `has ${count} labels; Flashduty accepts at most ${LIMITS.labels_max}`,
    });
  }
  return count > 0 ? labels : undefined;
}

function prepareImages(
  images: unknown[],
  issues: Issue[],
  fit: (value: string, limit: number, path: string) => string,
): AlertImage[] {
  const prepared: AlertImage[] = [];
  const alts = new Map<string, number>();
  images.forEach((image, index) => {
    const path = `images[${index}]`;
    if (image === null || typeof image !== "object" || Array.isArray(image)) {
      issues.push({ path, message: "must be an object with a src" });
      return;
    }
    const fields = image as Record<string, unknown>;
    for (const field of Object.keys(fields)) {
      if (!IMAGE_FIELDS.has(field) && fields[field] !== undefined) {
        issues.push({ path: `${path}.${field}`, message: "is not an image field (src, alt, href)" });
      }
    }
    const result = {} as AlertImage;
    if (typeof fields.src !== "string" || fields.src === "") {
      issues.push({ path: `${path}.src`, message: "is required: an http(s) URL or an image_key" });
    } else if (length(fields.src) > LIMITS.image_src) {
      issues.push({
        path: `${path}.src`,
        message: `is ${length(fields.src)} characters; Flashduty discards an image whose src is over ${LIMITS.image_src}`,
      });
    } else result.src = fields.src;
    for (const [field, limit] of [
      ["alt", LIMITS.image_alt],
      ["href", LIMITS.image_href],
    ] as const) {
      const value = fields[field];
      if (value === undefined) continue;
      if (typeof value !== "string") issues.push({ path: `${path}.${field}`, message: "must be a string" });
      else result[field] = fit(value, limit, `${path}.${field}`);
    }
    const alt = result.alt ?? "";
    const first = alts.get(alt);
    if (first !== undefined) {
      issues.push({
        path: `${path}.alt`,
        message: `repeats the alt of images[${first}]; Flashduty keeps one image per distinct alt, so give each a different alt`,
      });
    } else alts.set(alt, index);
    prepared.push(result);
  });
  return prepared;
}
