import type { OVERFLOW } from "@flash-call/core/constants";
import { FlashdutyValidationError, type ValidationIssue } from "@flash-call/errors";
import type { LabelValue, Truncation } from "./event.js";
import { hasLoneSurrogate, isObject, kindOf, printable } from "./untrusted-value.js";

/** What Flashduty does with a string over its limit, as the spec's `x-flashduty-overflow` says. */
export type Overflow = (typeof OVERFLOW)[keyof typeof OVERFLOW];

/**
 * A string field: its name, its limit (none: Flashduty documents none), and what Flashduty does beyond it.
 * Described once per module, not per event: each check would otherwise allocate its own copy.
 *
 * @example
 * ```ts
 * const DESCRIPTION: TextField = { name: "description", limit: LIMITS.description, overflow: OVERFLOW.description };
 * ```
 */
export interface TextField {
  readonly name: string;
  readonly limit: number | undefined;
  readonly overflow: Overflow;
}

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

/** Length in Unicode code points, as Flashduty counts. */
const length = (text: string) => [...text].length;

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
export function inputFailure(error: unknown): FlashdutyValidationError {
  if (FlashdutyValidationError.isInstance(error)) return error;
  return new FlashdutyValidationError([
    {
      path: "",
      message: "could not be read: a getter or Proxy trap of the event threw while it was checked",
    },
  ]);
}

/**
 * The checks every event type shares, reading untrusted values safely: each issue is collected (thrown at once by
 * `finish`), values over a truncating limit are cut by Unicode code points and recorded as truncations. One
 * object per event, its lists made only when a first issue or truncation is found: what a valid event leaves
 * behind is its prepared copy, not the machinery that checked it.
 *
 * @param strict reject what Flashduty would truncate instead of truncating it @default false
 * @example
 * ```ts
 * const checks = new EventChecks(options.strict === true);
 * checks.copyText(checks.read(input, "description", "description"), event, DESCRIPTION, "");
 * const truncations = checks.finish();
 * ```
 */
export class EventChecks {
  private readonly strict: boolean;
  private issues: ValidationIssue[] | undefined = undefined;
  private truncations: Truncation[] | undefined = undefined;

  constructor(strict = false) {
    this.strict = strict;
  }

  /** Records an issue at `path`. */
  report(path: string, message: string): void {
    if (this.issues === undefined) this.issues = [];
    this.issues.push({ path, message });
  }

  /** `source[name]`, or UNREADABLE (reported at `path`) when its getter throws. */
  read(source: Fields, name: string, path: string): unknown {
    try {
      return source[name];
    } catch {
      this.report(path, "could not be read: its getter threw");
      return UNREADABLE;
    }
  }

  /**
   * The own enumerable string keys of `source`; a Symbol key is reported at `prefix` without its trailing dot
   * (JSON cannot carry it).
   */
  private keysOf(source: Fields, prefix: string): string[] {
    try {
      const symbols = Object.getOwnPropertySymbols(source);
      for (let index = 0; index < symbols.length; index++) {
        if (Object.prototype.propertyIsEnumerable.call(source, symbols[index] as symbol)) {
          this.report(withoutDot(prefix), "has a Symbol key: names must be strings");
          break;
        }
      }
      return Object.keys(source);
    } catch {
      this.report(withoutDot(prefix), "could not be read: listing its fields threw");
      return [];
    }
  }

  /** Reports fields of `source` that are not in `known` (Flashduty would ignore them: a typo would go unnoticed). */
  onlyKnown(source: Fields, known: readonly string[], prefix: string, what: string): void {
    const names = this.keysOf(source, prefix);
    for (let index = 0; index < names.length; index++) {
      const field = names[index] as string;
      if (known.includes(field)) continue;
      const path = prefix + printable(field);
      if (this.read(source, field, path) !== undefined) {
        this.report(path, `is not ${what} field (${known.join(", ")}); Flashduty would ignore it`);
      }
    }
  }

  /**
   * The value to send for a string: over its limit, cut as Flashduty would, or an issue. Its path, `prefix` and
   * the printable `name` (a known field's name prints as itself), is built only when an issue or a truncation
   * names it.
   */
  private fit(
    value: string,
    limit: number | undefined,
    overflow: Overflow,
    prefix: string,
    name: string,
  ): string {
    if (hasLoneSurrogate(value)) {
      this.report(
        prefix + printable(name),
        "has a lone UTF-16 surrogate (half a character): Flashduty would turn it into U+FFFD",
      );
      return value;
    }
    // A string has no more code points than UTF-16 units: only one longer than the limit needs counting.
    if (limit === undefined || value.length <= limit) return value;
    const size = length(value);
    if (size <= limit) return value;
    if (overflow === "truncate" && !this.strict) {
      if (this.truncations === undefined) this.truncations = [];
      this.truncations.push({ path: prefix + printable(name), from: size, to: limit });
      return [...value].slice(0, limit).join("");
    }
    this.report(
      prefix + printable(name),
      `is ${size} characters, over Flashduty's limit of ${limit}${OVER_LIMIT[overflow]}`,
    );
    return value;
  }

  /** Copies one string field's `value` to `target`, checked and fitted; an absent one stays absent. */
  copyText(value: unknown, target: Fields, field: TextField, prefix: string): void {
    if (typeof value === "string") {
      target[field.name] = this.fit(value, field.limit, field.overflow, prefix, field.name);
    } else if (value !== undefined && value !== UNREADABLE) {
      this.report(prefix + field.name, `must be a string, not ${kindOf(value)}`);
    }
  }

  /** Reports `value` of `field` if it is given but blank. */
  notBlank(value: unknown, field: string): void {
    if (typeof value === "string" && value.trim() === "") this.report(field, "must not be empty");
  }

  /** Checks `status` of `field`, one of `statuses` (case-sensitive), and copies it to `target`. */
  copyStatus(status: unknown, target: Fields, field: string, statuses: readonly string[]): void {
    if (statuses.includes(status as string)) target[field] = status;
    else if (status === undefined) this.report(field, `is required: one of ${statuses.join(", ")}`);
    else if (typeof status !== "string") {
      if (status !== UNREADABLE) {
        this.report(field, `must be a string, one of ${statuses.join(", ")}; got ${kindOf(status)}`);
      }
    } else {
      const near = statuses.find((known) => known.toLowerCase() === status.toLowerCase());
      this.report(
        field,
        `"${printable(status)}" is not one of ${statuses.join(", ")}${near ? ` (statuses are case-sensitive: did you mean "${near}"?)` : ""}`,
      );
    }
  }

  /** Checks `time`, the event's `event_time` (a Date or whole Unix seconds up to `latest`), and copies it as seconds. */
  copyEventTime(time: unknown, target: Fields, latest: number): void {
    const dateMs = dateTime(time);
    if (dateMs !== undefined) {
      // The same range as a number: a Date is converted to seconds, so only its range can be wrong.
      const seconds = Math.floor(dateMs / 1000);
      if (Number.isNaN(dateMs)) this.report("event_time", "is an invalid Date");
      else if (seconds < 0)
        this.report("event_time", "is a Date before 1970: Flashduty takes Unix seconds from 0");
      else if (seconds > latest) {
        this.report("event_time", `is a Date after ${latestDate(latest)}, the latest Flashduty accepts`);
      } else target.event_time = seconds;
    } else if (time !== undefined && time !== UNREADABLE) {
      if (typeof time !== "number" || !Number.isInteger(time)) {
        this.report("event_time", `must be a Date or a whole number of Unix seconds, not ${kindOf(time)}`);
      } else if (time < 0) {
        this.report("event_time", "must not be negative: Flashduty takes Unix seconds from 0");
      } else if (time > latest * 1000) {
        this.report(
          "event_time",
          `is after ${latestDate(latest)} even read as milliseconds; Flashduty takes Unix seconds`,
        );
      } else if (time > latest) {
        this.report(
          "event_time",
          `${time} looks like milliseconds; Flashduty takes seconds: pass Math.floor(ms / 1000) or a Date`,
        );
      } else target.event_time = time;
    }
  }

  /** `source[name]` of a label, or UNREADABLE (reported) when its getter throws. */
  private readLabel(source: Fields, name: string): unknown {
    try {
      return source[name];
    } catch {
      this.report(LABELS + printable(name), "could not be read: its getter threw");
      return UNREADABLE;
    }
  }

  /**
   * The value to send for one label, or undefined when it cannot be sent (reported). Escaping a name for a
   * message costs more than checking it: only a message needs it.
   */
  private checkLabel(name: string, value: unknown, rules: LabelRules): string | undefined {
    if (hasLoneSurrogate(name)) {
      this.report(LABELS + printable(name), "label name has a lone UTF-16 surrogate (half a character)");
    } else if (rules.name !== undefined && !rules.name.test(name)) {
      this.report(
        LABELS + printable(name),
        "is not a valid label name: use letters, digits and _, not starting with a digit",
      );
    } else if (name === "") {
      this.report(LABELS + printable(name), "label name must not be empty");
    } else if (name.length > rules.key) {
      this.report(
        LABELS + printable(name),
        `label name is ${name.length} characters, over Flashduty's limit of ${rules.key}`,
      );
    }
    if (typeof value === "string" || typeof value === "boolean" || Number.isFinite(value)) {
      return this.fit(String(value), rules.value, rules.valueOverflow, LABELS, name);
    }
    this.report(
      LABELS + printable(name),
      `${value === null || typeof value === "number" ? value : typeof value} cannot be a label value: use a string, a finite number or a boolean`,
    );
    return undefined;
  }

  /**
   * Merges `base` labels under `given` (the event's `labels`), checks them by `rules` and sets `target.labels`
   * when any. Every value is read before any is checked, so issues come in the same order whatever the labels.
   */
  copyLabels(
    given: unknown,
    target: Fields,
    base: Record<string, LabelValue> | undefined,
    rules: LabelRules,
  ): void {
    if (given !== undefined && given !== UNREADABLE && !isObject(given)) {
      this.report("labels", "must be an object of label names to values");
      return;
    }
    const baseNames = isObject(base) ? this.keysOf(base, "labels") : [];
    const labels: Fields = {};
    let named = 0;
    if (baseNames.length === 0) {
      // No labels to merge under the event's own: its values are read into the result, then replaced by
      // what is sent. A value that cannot be sent is reported, so the result is never used.
      if (!isObject(given)) return;
      const names = this.keysOf(given, "labels");
      for (let index = 0; index < names.length; index++) {
        const name = names[index] as string;
        setOwn(labels, name, this.readLabel(given, name));
      }
      let omitted = false;
      for (let index = 0; index < names.length; index++) {
        const name = names[index] as string;
        const value = labels[name];
        if (value === undefined || value === UNREADABLE) {
          omitted = true;
          continue;
        }
        named++;
        labels[name] = this.checkLabel(name, value, rules);
      }
      if (omitted) {
        for (let index = 0; index < names.length; index++) {
          const name = names[index] as string;
          if (labels[name] === undefined || labels[name] === UNREADABLE) delete labels[name];
        }
      }
    } else {
      // A Map, not an object: a label named "__proto__" stays a label, and a name in both keeps its base place.
      const merged = new Map<string, unknown>();
      for (let index = 0; index < baseNames.length; index++) {
        const name = baseNames[index] as string;
        merged.set(name, this.readLabel(base as Fields, name));
      }
      if (isObject(given)) {
        const names = this.keysOf(given, "labels");
        for (let index = 0; index < names.length; index++) {
          const name = names[index] as string;
          merged.set(name, this.readLabel(given, name));
        }
      }
      for (const [name, value] of merged) {
        if (value === undefined || value === UNREADABLE) continue;
        named++;
        const sent = this.checkLabel(name, value, rules);
        if (sent !== undefined) setOwn(labels, name, sent);
      }
    }
    if (named > rules.max) {
      this.report("labels", `has ${named} labels; Flashduty accepts at most ${rules.max}`);
    }
    if (named > 0) target.labels = labels;
  }

  /**
   * Throws every issue found at once, as one `FlashdutyValidationError`; otherwise returns the truncations made.
   */
  finish(): Truncation[] {
    if (this.issues !== undefined) throw new FlashdutyValidationError(this.issues);
    return this.truncations ?? [];
  }
}

/** A field prefix ("images[0].") as the path of the object itself ("images[0]"). */
const withoutDot = (prefix: string) => (prefix.endsWith(".") ? prefix.slice(0, -1) : prefix);
