import type { OVERFLOW } from "@flash-call/core/constants";
import { FlashdutyValidationError, type ValidationIssue } from "@flash-call/errors";
import { codePointLength, firstCodePoints } from "./code-points.js";
import type { LabelValue, Truncation } from "./event.js";
import { hasLoneSurrogate, hiddenFields, isObject, kindOf, printable } from "./untrusted-value.js";

/** What Flashduty does with a string over its limit, as the spec's `x-flashduty-overflow` says. */
export type Overflow = (typeof OVERFLOW)[keyof typeof OVERFLOW];

/**
 * A string field: its name, its limit (none: Flashduty documents none), and what Flashduty does beyond it.
 * Described once per module, not per event: each check would otherwise allocate its own copy.
 *
 * @example
 * ```ts
 * const DESCRIPTION: TextField = ["description", LIMITS.description, OVERFLOW.description];
 * ```
 */
export type TextField = readonly [name: string, limit: number | undefined, overflow: Overflow];

/** Fields read from an untrusted object. */
export type Fields = Record<string, unknown>;

/** How one event's labels are checked: the spec's limits of that event's labels. */
export interface LabelRules {
  /** The most labels an event may carry. */
  max: number;
  /** The longest label name. */
  key: number;
  /** The longest value Flashduty keeps, and what it does beyond. */
  value: number;
  valueOverflow: Overflow;
  /** The label-name rule, where Flashduty documents one. */
  name?: RegExp;
}

/** A field whose getter threw: already reported, so no further issue is raised about it. */
export const UNREADABLE: unique symbol = Symbol();

/** What Flashduty would do with a value over its limit, as the end of the issue that reports it. */
const OVER_LIMIT: Record<Overflow, string> = {
  truncate: " (Flashduty would truncate it; strict mode rejects that)",
  reject: "",
  discard: " (Flashduty would discard the image)",
};

/** Where a label's issue or truncation is, as the prefix of its path. */
const LABELS = "labels.";

/** The time of a Date, read with Date's own method (a subclass or another realm's Date too); undefined if not one. */
function dateTime(value: unknown): number | undefined {
  if (value === null || typeof value !== "object") return undefined;
  try {
    return Date.prototype.getTime.call(value);
  } catch {
    return undefined;
  }
}

/** The latest time Flashduty accepts, for a message: formatting a date costs more than the rest of the check. */
const latestDate = (latest: number) => new Date(latest * 1000).toISOString();

/**
 * Sets `target[name]` as `Object.fromEntries` would: a label named "__proto__" (an own key, as JSON.parse makes
 * it) becomes an own property, which JSON carries, not the object's prototype.
 */
function setOwn(target: Fields, name: string, value: unknown): void {
  if (name === "__proto__") {
    Object.defineProperty(target, name, { value, writable: true, enumerable: true, configurable: true });
  } else target[name] = value;
}

/**
 * What to throw when checking an event threw: a `FlashdutyValidationError` passes through, and anything else (a
 * Proxy whose traps throw, a revoked Proxy) is the caller's input all the same, so it is reported as such.
 * A `catch` at the call site, not a wrapper taking a callback: a closure per event is garbage per event.
 *
 * @example
 * ```ts
 * try {
 *   return prepareChecked(input, options);
 * } catch (error) {
 *   throw inputFailure(error);
 * }
 * ```
 */
export function inputFailure(error: unknown, subject?: EventSubject): FlashdutyValidationError {
  if (FlashdutyValidationError.isInstance(error)) return error;
  return new FlashdutyValidationError(
    [
      {
        path: "",
        message: "could not be read: a getter or Proxy trap of the event threw while it was checked",
      },
    ],
    { subject },
  );
}

/** What a validation error's message says was checked: an alert event (the default) or a change event. */
export type EventSubject = "alert event" | "change event";

/**
 * The state of one event's checks, shared by the functions below: each issue is collected (thrown at once by
 * `finish`), values over a truncating limit are cut by Unicode code points and recorded as truncations. One small
 * object per event, its lists made only when a first issue or truncation is found: what a valid event leaves
 * behind is its prepared copy, not the machinery that checked it. Functions rather than methods or closures: no
 * closure is made per event, and a bundler shortens their names.
 */
export interface EventChecks {
  /** Reject what Flashduty would truncate instead of truncating it. */
  readonly strict: boolean;
  issues: ValidationIssue[] | undefined;
  truncations: Truncation[] | undefined;
}

/**
 * The checks of one event, before any is run.
 *
 * @param strict reject what Flashduty would truncate instead of truncating it @default false
 * @example
 * ```ts
 * const checks = createEventChecks(options.strict === true);
 * copyText(checks, read(checks, input, "description"), event, DESCRIPTION, "");
 * const truncations = finish(checks);
 * ```
 */
export function createEventChecks(strict = false): EventChecks {
  return { strict, issues: undefined, truncations: undefined };
}

/**
 * Records an issue at `path`.
 *
 * @example report(checks, "title_rule", "is required");
 */
export function report(checks: EventChecks, path: string, message: string): void {
  if (checks.issues === undefined) checks.issues = [];
  checks.issues.push({ path, message });
}

/**
 * `source[name]`, or UNREADABLE (reported at `path`) when its getter throws.
 *
 * @param path where an issue names it @default name
 * @example const title = read(checks, input, "title");
 */
export function read(checks: EventChecks, source: Fields, name: string, path = name): unknown {
  try {
    return source[name];
  } catch {
    report(checks, path, "could not be read: its getter threw");
    return UNREADABLE;
  }
}

/**
 * The own enumerable string keys of `source`; a Symbol key is reported at `prefix` without its trailing dot
 * (JSON cannot carry it).
 */
function keysOf(checks: EventChecks, source: Fields, prefix: string): string[] {
  try {
    const symbols = Object.getOwnPropertySymbols(source);
    for (let index = 0; index < symbols.length; index++) {
      if (Object.prototype.propertyIsEnumerable.call(source, symbols[index] as symbol)) {
        report(checks, withoutDot(prefix), "has a Symbol key: names must be strings");
        break;
      }
    }
    return Object.keys(source);
  } catch {
    report(checks, withoutDot(prefix), "could not be read: listing its fields threw");
    return [];
  }
}

/**
 * Reports fields of `source` that are not in `known` (Flashduty would ignore them: a typo would go unnoticed).
 *
 * @example onlyKnown(checks, image, ["src", "alt", "href"], "images[0].", "an image");
 */
export function onlyKnown(
  checks: EventChecks,
  source: Fields,
  known: readonly string[],
  prefix: string,
  what: string,
): void {
  const names = keysOf(checks, source, prefix);
  for (let index = 0; index < names.length; index++) {
    const field = names[index] as string;
    if (known.includes(field)) continue;
    const path = prefix + printable(field);
    if (read(checks, source, field, path) !== undefined) {
      report(checks, path, `is not ${what} field (${known.join(", ")}); Flashduty would ignore it`);
    }
  }
}

/**
 * The value to send for a string: over its limit, cut as Flashduty would, or an issue. Its path, `prefix` and
 * the printable `name` (a known field's name prints as itself), is built only when an issue or a truncation
 * names it.
 */
function fit(
  checks: EventChecks,
  value: string,
  limit: number | undefined,
  overflow: Overflow,
  prefix: string,
  name: string,
): string {
  if (hasLoneSurrogate(value)) {
    report(
      checks,
      prefix + printable(name),
      "has a lone UTF-16 surrogate (half a character): Flashduty would turn it into U+FFFD",
    );
    return value;
  }
  // A string has no more code points than UTF-16 units: only one longer than the limit needs counting.
  if (limit === undefined || value.length <= limit) return value;
  const size = codePointLength(value);
  if (size <= limit) return value;
  if (overflow === "truncate" && !checks.strict) {
    if (checks.truncations === undefined) checks.truncations = [];
    checks.truncations.push({ path: prefix + printable(name), from: size, to: limit });
    return firstCodePoints(value, limit);
  }
  report(
    checks,
    prefix + printable(name),
    `is ${size} characters, over Flashduty's limit of ${limit}${OVER_LIMIT[overflow]}`,
  );
  return value;
}

/**
 * Copies one string field's `value` to `target`, checked and fitted; an absent one stays absent.
 *
 * @example copyText(checks, description, event, DESCRIPTION, "");
 */
export function copyText(
  checks: EventChecks,
  value: unknown,
  target: Fields,
  field: TextField,
  prefix: string,
): void {
  // Indexed, not destructured: destructuring a tuple may allocate an iterator.
  const name = field[0];
  if (typeof value === "string") {
    target[name] = fit(checks, value, field[1], field[2], prefix, name);
  } else if (value !== undefined && value !== UNREADABLE) {
    report(checks, prefix + name, `must be a string, not ${kindOf(value)}`);
  }
}

/**
 * Reports `value` of `field` if it is given but blank.
 *
 * @example notBlank(checks, title, "title");
 */
export function notBlank(checks: EventChecks, value: unknown, field: string): void {
  if (typeof value === "string" && value.trim() === "") report(checks, field, "must not be empty");
}

/**
 * Checks `status` of `field`, one of `statuses` (case-sensitive), and copies it to `target`.
 *
 * @example copyStatus(checks, status, event, "change_status", CHANGE_STATUSES);
 */
export function copyStatus(
  checks: EventChecks,
  status: unknown,
  target: Fields,
  field: string,
  statuses: readonly string[],
): void {
  if (statuses.includes(status as string)) target[field] = status;
  else if (status === undefined) report(checks, field, `is required: one of ${statuses.join(", ")}`);
  else if (typeof status !== "string") {
    if (status !== UNREADABLE) {
      report(checks, field, `must be a string, one of ${statuses.join(", ")}; got ${kindOf(status)}`);
    }
  } else {
    const near = statuses.find((known) => known.toLowerCase() === status.toLowerCase());
    report(
      checks,
      field,
      `"${printable(status)}" is not one of ${statuses.join(", ")}${near ? ` (statuses are case-sensitive: did you mean "${near}"?)` : ""}`,
    );
  }
}

/**
 * Checks `time`, the event's `event_time` (a Date or whole Unix seconds up to `latest`), and copies it as seconds.
 *
 * @example copyEventTime(checks, eventTime, event, LIMITS.event_time_max);
 */
export function copyEventTime(checks: EventChecks, time: unknown, target: Fields, latest: number): void {
  const dateMs = dateTime(time);
  if (dateMs !== undefined) {
    // The same range as a number: a Date is converted to seconds, so only its range can be wrong.
    const seconds = Math.floor(dateMs / 1000);
    if (Number.isNaN(dateMs)) report(checks, "event_time", "is an invalid Date");
    else if (seconds < 0)
      report(checks, "event_time", "is a Date before 1970: Flashduty takes Unix seconds from 0");
    else if (seconds > latest) {
      report(checks, "event_time", `is a Date after ${latestDate(latest)}, the latest Flashduty accepts`);
    } else target.event_time = seconds;
  } else if (time !== undefined && time !== UNREADABLE) {
    if (typeof time !== "number" || !Number.isInteger(time)) {
      report(checks, "event_time", `must be a Date or a whole number of Unix seconds, not ${kindOf(time)}`);
    } else if (time < 0) {
      report(checks, "event_time", "must not be negative: Flashduty takes Unix seconds from 0");
    } else if (time > latest * 1000) {
      report(
        checks,
        "event_time",
        `is after ${latestDate(latest)} even read as milliseconds; Flashduty takes Unix seconds`,
      );
    } else if (time > latest) {
      report(
        checks,
        "event_time",
        `${time} looks like milliseconds; Flashduty takes seconds: pass Math.floor(ms / 1000) or a Date`,
      );
    } else target.event_time = time;
  }
}

/** Records an issue about the label `name`: its path, escaped, is built only here. */
function reportLabel(checks: EventChecks, name: string, message: string): void {
  report(checks, LABELS + printable(name), message);
}

/** `source[name]` of a label, or UNREADABLE (reported) when its getter throws. */
function readLabel(checks: EventChecks, source: Fields, name: string): unknown {
  try {
    return source[name];
  } catch {
    reportLabel(checks, name, "could not be read: its getter threw");
    return UNREADABLE;
  }
}

/**
 * The value to send for one label, or undefined when it cannot be sent (reported). Escaping a name for a
 * message costs more than checking it: only a message needs it.
 */
function checkLabel(
  checks: EventChecks,
  name: string,
  value: unknown,
  rules: LabelRules,
): string | undefined {
  if (hasLoneSurrogate(name)) {
    reportLabel(checks, name, "label name has a lone UTF-16 surrogate (half a character)");
  } else if (rules.name !== undefined && !rules.name.test(name)) {
    reportLabel(
      checks,
      name,
      "is not a valid label name: use letters, digits and _, not starting with a digit",
    );
  } else if (name === "") {
    reportLabel(checks, name, "label name must not be empty");
  } else if (name.length > rules.key) {
    reportLabel(
      checks,
      name,
      `label name is ${name.length} characters, over Flashduty's limit of ${rules.key}`,
    );
  }
  if (typeof value === "string" || typeof value === "boolean" || Number.isFinite(value)) {
    return fit(checks, String(value), rules.value, rules.valueOverflow, LABELS, name);
  }
  reportLabel(
    checks,
    name,
    `${value === null || typeof value === "number" ? value : typeof value} cannot be a label value: use a string, a finite number or a boolean`,
  );
  return undefined;
}

/** No names: the list of an absent label object. */
const NO_NAMES: readonly string[] = [];

/**
 * Reads each of `names` from `source` into `labels`, as the value to check. When `merging` (reading the event's own
 * labels over base labels), a name `labels` already holds keeps its place, as it would in a Map, and is added to
 * the returned set.
 */
function readLabels(
  checks: EventChecks,
  source: unknown,
  names: readonly string[],
  labels: Fields,
  merging: boolean,
): Set<string> | undefined {
  let replaced: Set<string> | undefined;
  for (let index = 0; index < names.length; index++) {
    const name = names[index] as string;
    if (merging && Object.hasOwn(labels, name)) {
      replaced ??= new Set();
      replaced.add(name);
    }
    setOwn(labels, name, readLabel(checks, source as Fields, name));
  }
  return replaced;
}

/**
 * Replaces each of `names` in `labels`, not in `skip`, by the value to send; returns how many are set at all
 * (given and not `undefined`).
 */
function checkLabels(
  checks: EventChecks,
  names: readonly string[],
  skip: Set<string> | undefined,
  labels: Fields,
  rules: LabelRules,
): number {
  let named = 0;
  for (let index = 0; index < names.length; index++) {
    const name = names[index] as string;
    const value = labels[name];
    if (value === undefined || value === UNREADABLE || skip?.has(name)) continue;
    named++;
    labels[name] = checkLabel(checks, name, value, rules);
  }
  return named;
}

/**
 * Merges `base` labels under `given` (the event's `labels`), checks them by `rules` and sets `target.labels`
 * when any. Every value is read before any is checked, so issues come in the same order whatever the labels.
 * The values are read into the object that is sent, then replaced by what is sent: a value that cannot be sent
 * is reported, so that object is never used.
 *
 * @example copyLabels(checks, labels, event, options.baseLabels, LABEL_RULES);
 */
export function copyLabels(
  checks: EventChecks,
  given: unknown,
  target: Fields,
  base: Record<string, LabelValue> | undefined,
  rules: LabelRules,
): void {
  if (given !== undefined && given !== UNREADABLE && !isObject(given)) {
    report(checks, "labels", "must be an object of label names to values");
    return;
  }
  // A Map or inherited labels would otherwise be dropped without a word: JSON carries own fields only.
  const hidden = isObject(given) ? hiddenFields(given) : undefined;
  if (hidden !== undefined) report(checks, "labels", hidden);
  const labels: Fields = {};
  const baseNames = isObject(base) ? keysOf(checks, base, "labels") : NO_NAMES;
  readLabels(checks, base, baseNames, labels, false);
  const givenNames = isObject(given) ? keysOf(checks, given, "labels") : NO_NAMES;
  const replaced = readLabels(checks, given, givenNames, labels, baseNames.length > 0);
  // In a Map's order: base labels first, then the event's own that are not among them.
  const named =
    checkLabels(checks, baseNames, undefined, labels, rules) +
    checkLabels(checks, givenNames, replaced, labels, rules);
  if (named > rules.max) {
    report(checks, "labels", `has ${named} labels; Flashduty accepts at most ${rules.max}`);
  }
  if (named === 0) return;
  if (named < baseNames.length + givenNames.length - (replaced?.size ?? 0)) {
    // Only labels set to undefined are left to remove: any other value that is not sent has been reported.
    for (const name of Object.keys(labels)) if (labels[name] === undefined) delete labels[name];
  }
  target.labels = labels;
}

/**
 * Throws every issue found at once, as one `FlashdutyValidationError`; otherwise returns the truncations made.
 *
 * @example return { event, truncations: finish(checks) };
 */
export function finish(checks: EventChecks, subject?: EventSubject): Truncation[] {
  if (checks.issues !== undefined) throw new FlashdutyValidationError(checks.issues, { subject });
  return checks.truncations ?? [];
}

/** A field prefix ("images[0].") as the path of the object itself ("images[0]"). */
const withoutDot = (prefix: string) => (prefix.endsWith(".") ? prefix.slice(0, -1) : prefix);
