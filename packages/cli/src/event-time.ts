import { LIMITS } from "@flash-call/core/constants";
import { quoteInput } from "./quote-input.js";
import { UsageError } from "./usage-error.js";

/** The forms `--event-time` (and a batch's `event_time` string) accepts, as the error message lists them. */
export const EVENT_TIME_FORMS =
  "use Unix seconds or ISO-8601 like 2024-05-01, 2024-05-01T12:00:00Z or 2024-05-01T20:00:00+08:00";

/** What to do with a time in milliseconds, in a shell user's terms. */
export const MILLISECONDS_HINT = "divide by 1000 (date +%s gives seconds)";

/** A calendar date and wall-clock time, as written (months and days from 1). */
export interface DateTimeParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** A parse result: the value, or why the text is not one (a phrase for an error message). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Unix milliseconds of a wall-clock time read as UTC, or why it is not a real time: month 1–12, a day that
 * exists in that month (2023-02-29 does not), hour 0–23 (no `24:00`), minute and second 0–59 (no leap second).
 * `Date` would silently roll every one of those over into the next day or month; the result is checked against
 * a `Date` round trip as well.
 *
 * @example
 * utcMilliseconds({ year: 2023, month: 2, day: 29, hour: 0, minute: 0, second: 0 });
 * // { ok: false, reason: "February 2023 has 28 days" }
 */
export function utcMilliseconds(parts: DateTimeParts): Parsed<number> {
  const { year, month, day, hour, minute, second } = parts;
  if (month < 1 || month > 12) return { ok: false, reason: `month ${month} does not exist` };
  const days = daysInMonth(year, month);
  if (day < 1 || day > days) {
    return { ok: false, reason: `${MONTHS[month - 1]} ${year} has ${days} days, not ${day}` };
  }
  if (hour > 23)
    return { ok: false, reason: `hour ${hour} is out of range (00-23; 24:00 is 00:00 next day)` };
  if (minute > 59) return { ok: false, reason: `minute ${minute} is out of range (00-59)` };
  if (second > 59) return { ok: false, reason: `second ${second} is out of range (00-59; no leap seconds)` };
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  const same =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  return same ? { ok: true, value: date.getTime() } : { ok: false, reason: "is not a real date and time" };
}

// Fixed-width fields and one run of fraction digits that only a zone or the end may follow: linear.
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?)?$/;
const MAX_OFFSET_MINUTES = 14 * 60;

/**
 * Reads an ISO-8601 date or date-time to Unix seconds (fractions dropped): `YYYY-MM-DD`, then optionally
 * `THH:MM`, `:SS`, `.fraction`, and `Z` or `±HH:MM`/`±HHMM`. Without a zone it is UTC, never the machine's
 * zone. Every field is checked (see {@link utcMilliseconds}); offsets beyond ±14:00 are refused.
 *
 * @example
 * parseIsoSeconds("2023-11-15T06:13:20+08:00"); // { ok: true, value: 1700000000 }
 * parseIsoSeconds("2023-13-01"); // { ok: false, reason: "month 13 does not exist" }
 */
export function parseIsoSeconds(text: string): Parsed<number> {
  const match = ISO_8601.exec(text);
  if (match === null) return { ok: false, reason: "is not a date in a form this accepts" };
  const field = (index: number) => Number(match[index] ?? 0);
  const wall = utcMilliseconds({
    year: field(1),
    month: field(2),
    day: field(3),
    hour: field(4),
    minute: field(5),
    second: field(6),
  });
  if (!wall.ok) return wall;
  let offsetMinutes = 0;
  if (match[8] !== undefined) {
    const hours = field(9);
    const minutes = field(10);
    if (minutes > 59 || hours * 60 + minutes > MAX_OFFSET_MINUTES) {
      return { ok: false, reason: `offset ${match[8]}${match[9]}:${match[10]} is beyond ±14:00` };
    }
    offsetMinutes = (match[8] === "-" ? -1 : 1) * (hours * 60 + minutes);
  }
  return { ok: true, value: Math.floor((wall.value - offsetMinutes * 60_000) / 1000) };
}

// Numbers the digits-only branch did not take: signed, decimal, exponent, NaN, Infinity.
const NUMERIC = /^[-+]?(?:[\d.]+(?:e[-+]?\d+)?|NaN|Infinity)$/i;

/**
 * The latest `event_time` Flashduty accepts, as ISO-8601, for error messages. Made when a message needs it: the
 * first `Date` of a process costs a fifth of a millisecond, paid at every start if made when the module loads.
 */
const latest = () => new Date(LIMITS.event_time_max * 1000).toISOString().replace(".000Z", "Z");

/**
 * Parses `--event-time`: whole Unix seconds, or an ISO-8601 date or date-time (`Z` or an offset; without one it
 * is read as UTC, never as the machine's local zone, so a script gives the same result everywhere). Impossible
 * dates (2023-02-29, month 13, 24:00, a leap second), times before 1970 or after Flashduty's limit, and
 * milliseconds are a {@link UsageError} naming `option` and the accepted forms; nothing is rolled over.
 *
 * @example
 * parseEventTime("1700000000"); // 1700000000
 * parseEventTime("2023-11-14T22:13:20Z"); // 1700000000
 */
export function parseEventTime(text: string, option = "--event-time"): number {
  const trimmed = text.trim();
  const invalid = (reason: string) =>
    new UsageError(`${option} ${quoteInput(text)} ${reason}; ${EVENT_TIME_FORMS}`);
  let seconds: number;
  if (/^\d+$/.test(trimmed)) {
    seconds = Number(trimmed);
    if (seconds > LIMITS.event_time_max) {
      throw invalid(
        `is too large for Unix seconds (milliseconds? ${MILLISECONDS_HINT}; the latest is ${latest()})`,
      );
    }
  } else {
    if (NUMERIC.test(trimmed)) throw invalid("is not a whole, non-negative number of Unix seconds");
    const parsed = parseIsoSeconds(trimmed);
    if (!parsed.ok) {
      throw invalid(
        parsed.reason.startsWith("is ") ? parsed.reason : `is not a real date and time: ${parsed.reason}`,
      );
    }
    seconds = parsed.value;
    if (seconds < 0) throw invalid("is before 1970-01-01T00:00:00Z");
    if (seconds > LIMITS.event_time_max)
      throw invalid(`is after the latest time Flashduty accepts, ${latest()}`);
  }
  return seconds;
}
