import type { OVERFLOW } from "@flash-call/core/constants";
import { FlashdutyValidationError } from "@flash-call/errors";
import type { LabelValue, Truncation } from "./event.js";
import { hasLoneSurrogate, isObject, kindOf, printable } from "./untrusted-value.js";

/** What Flashduty does with a string over its limit, as the spec's `x-flashduty-overflow` says. */
export type Overflow = (typeof OVERFLOW)[keyof typeof OVERFLOW];

/** A string field: its name, its limit (none: Flashduty documents none), and what Flashduty does beyond it. */
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

/** The time of a Date, read with Date's own method (a subclass or another realm's Date too); undefined if not one. */
function dateTime(value: unknown): number | undefined {
  if (value === null || typeof value !== "object") return undefined;
  try {
    return Date.prototype.getTime.call(value);
  } catch {
    return undefined;
  }
}

/** Where a label is, in an issue or a truncation. */
const labelPath = (name: string) => `labels.${printable(name)}`;

/** Length in Unicode code points, as Flashduty counts. */
const length = (text: string) => [...text].length;

/**
 * Runs the checks of one event: a `FlashdutyValidationError` passes through, and anything else thrown (a Proxy
 * whose traps throw, a revoked Proxy) is the caller's input all the same, so it is reported as such.
 *
 * @example
 * ```ts
 * return guarded(() => prepareChecked(input, options));
 * ```
 */
export function guarded<Result>(check: () => Result): Result {
  try {
    return check();
  } catch (error) {
    if (FlashdutyValidationError.isInstance(error)) throw error;
    throw new FlashdutyValidationError([
      {
        path: "",
        message: "could not be read: a getter or Proxy trap of the event threw while it was checked",
      },
    ]);
  }
}

/**
 * The checks every event type shares, reading untrusted values safely: each issue is collected (thrown at once by
 * `finish`), values over a truncating limit are cut by Unicode code points and recorded in `truncations`.
 *
 * @param strict reject what Flashduty would truncate instead of truncating it @default false
 * @example
 * ```ts
 * const checks = createEventChecks(options.strict === true);
 * checks.copyText(source, event, "", ["description", LIMITS.description, OVERFLOW.description]);
 * checks.finish();
 * ```
 */
export function createEventChecks(strict = false) {
  const issues: { path: string; message: string }[] = [];
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
  const onlyKnown = (source: Fields, known: readonly string[], prefix: string, what: string) => {
    for (const field of keysOf(source, prefix.endsWith(".") ? prefix.slice(0, -1) : prefix)) {
      if (known.includes(field)) continue;
      const path = prefix + printable(field);
      if (read(source, field, path) !== undefined) {
        report(path, `is not ${what} field (${known.join(", ")}); Flashduty would ignore it`);
      }
    }
  };

  /**
   * The value to send for a string: over its limit, cut as Flashduty would, or an issue. `path` may be given as
   * a function, called only when an issue or a truncation names it.
   */
  const fit = (
    value: string,
    limit: number | undefined,
    overflow: Overflow,
    given: string | (() => string),
  ): string => {
    const path = () => (typeof given === "string" ? given : given());
    if (hasLoneSurrogate(value)) {
      report(path(), "has a lone UTF-16 surrogate (half a character): Flashduty would turn it into U+FFFD");
      return value;
    }
    // A string has no more code points than UTF-16 units: only one longer than the limit needs counting.
    if (limit === undefined || value.length <= limit) return value;
    const size = length(value);
    if (size <= limit) return value;
    if (overflow === "truncate" && !strict) {
      truncations.push({ path: path(), from: size, to: limit });
      return [...value].slice(0, limit).join("");
    }
    report(path(), `is ${size} characters, over Flashduty's limit of ${limit}${OVER_LIMIT[overflow]}`);
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

  /** Reports each of `names` that is given but blank. */
  const notBlank = (source: Fields, names: readonly string[]) => {
    for (const field of names) {
      const value = source[field];
      if (typeof value === "string" && value.trim() === "") report(field, "must not be empty");
    }
  };

  /** Checks `source[field]`, one of `statuses` (case-sensitive), and copies it to `target`. */
  const copyStatus = (source: Fields, target: Fields, field: string, statuses: readonly string[]) => {
    const status = source[field];
    if (statuses.includes(status as string)) target[field] = status;
    else if (status === undefined) report(field, `is required: one of ${statuses.join(", ")}`);
    else if (typeof status !== "string") {
      if (status !== UNREADABLE) {
        report(field, `must be a string, one of ${statuses.join(", ")}; got ${kindOf(status)}`);
      }
    } else {
      const near = statuses.find((known) => known.toLowerCase() === status.toLowerCase());
      report(
        field,
        `"${printable(status)}" is not one of ${statuses.join(", ")}${near ? ` (statuses are case-sensitive: did you mean "${near}"?)` : ""}`,
      );
    }
  };

  /** Checks `source.event_time` (a Date or whole Unix seconds up to `latest`) and copies it as seconds. */
  const copyEventTime = (source: Fields, target: Fields, latest: number) => {
    const time = source.event_time;
    // Only a message needs it: formatting a date costs more than the rest of the check.
    const latestDate = () => new Date(latest * 1000).toISOString();
    const dateMs = dateTime(time);
    if (dateMs !== undefined) {
      // The same range as a number: a Date is converted to seconds, so only its range can be wrong.
      const seconds = Math.floor(dateMs / 1000);
      if (Number.isNaN(dateMs)) report("event_time", "is an invalid Date");
      else if (seconds < 0)
        report("event_time", "is a Date before 1970: Flashduty takes Unix seconds from 0");
      else if (seconds > latest) {
        report("event_time", `is a Date after ${latestDate()}, the latest Flashduty accepts`);
      } else target.event_time = seconds;
    } else if (time !== undefined && time !== UNREADABLE) {
      if (typeof time !== "number" || !Number.isInteger(time)) {
        report("event_time", `must be a Date or a whole number of Unix seconds, not ${kindOf(time)}`);
      } else if (time < 0) {
        report("event_time", "must not be negative: Flashduty takes Unix seconds from 0");
      } else if (time > latest * 1000) {
        report(
          "event_time",
          `is after ${latestDate()} even read as milliseconds; Flashduty takes Unix seconds`,
        );
      } else if (time > latest) {
        report(
          "event_time",
          `${time} looks like milliseconds; Flashduty takes seconds: pass Math.floor(ms / 1000) or a Date`,
        );
      } else target.event_time = time;
    }
  };

  /** Merges `base` labels under `source.labels`, checks them by `rules` and sets `target.labels` when any. */
  const copyLabels = (
    source: Fields,
    target: Fields,
    base: Record<string, LabelValue> | undefined,
    rules: LabelRules,
  ) => {
    const given = source.labels;
    if (given !== undefined && given !== UNREADABLE && !isObject(given)) {
      report("labels", "must be an object of label names to values");
      return;
    }
    // A Map, not an object: a label named "__proto__" (an own key, as JSON.parse makes it) stays a label.
    const merged = new Map<string, unknown>();
    for (const from of [base, given === UNREADABLE ? undefined : given]) {
      if (!isObject(from)) continue;
      for (const name of keysOf(from, "labels")) {
        let value: unknown;
        try {
          value = from[name];
        } catch {
          report(labelPath(name), "could not be read: its getter threw");
          value = UNREADABLE;
        }
        merged.set(name, value);
      }
    }
    let named = 0;
    const labels: [string, string][] = [];
    for (const [name, value] of merged) {
      if (value === undefined || value === UNREADABLE) continue;
      named++;
      // Escaping a name for a message costs more than checking it: only a message needs it.
      if (hasLoneSurrogate(name)) {
        report(labelPath(name), "label name has a lone UTF-16 surrogate (half a character)");
      } else if (rules.name !== undefined && !rules.name.test(name)) {
        report(
          labelPath(name),
          "is not a valid label name: use letters, digits and _, not starting with a digit",
        );
      } else if (name === "") {
        report(labelPath(name), "label name must not be empty");
      } else if (name.length > rules.key) {
        report(
          labelPath(name),
          `label name is ${name.length} characters, over Flashduty's limit of ${rules.key}`,
        );
      }
      if (typeof value === "string" || typeof value === "boolean" || Number.isFinite(value)) {
        labels.push([name, fit(String(value), rules.value, rules.valueOverflow, () => labelPath(name))]);
      } else {
        report(
          labelPath(name),
          `${value === null || typeof value === "number" ? value : typeof value} cannot be a label value: use a string, a finite number or a boolean`,
        );
      }
    }
    if (named > rules.max) {
      report("labels", `has ${named} labels; Flashduty accepts at most ${rules.max}`);
    }
    // fromEntries, not assignment: a label named "__proto__" must become a label, not the object's prototype.
    if (named > 0) target.labels = Object.fromEntries(labels);
  };

  /** Throws every issue found at once, as one `FlashdutyValidationError`. */
  const finish = () => {
    if (issues.length > 0) throw new FlashdutyValidationError(issues);
  };

  return {
    truncations,
    report,
    read,
    onlyKnown,
    copyText,
    snapshot,
    notBlank,
    copyStatus,
    copyEventTime,
    copyLabels,
    finish,
  };
}
