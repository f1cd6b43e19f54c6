import { LIMITS } from "@flash-call/core/constants";
import { type DateTimeParts, parseIsoSeconds, utcMilliseconds } from "./event-time.js";
import { UsageError } from "./usage-error.js";

/** A wall-clock date and time with no zone attached (what OCP writes, e.g. `2024-05-01 12:00:00`). */
export type WallTime = DateTimeParts;

const FIXED_OFFSET = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/i;

/**
 * A function giving a zone's UTC offset (ms) at an instant. Accepts IANA names (`Asia/Shanghai`),
 * `UTC`, and fixed offsets (`+08:00`, `-0530`, `UTC+8`); built on `Intl.DateTimeFormat`, no dependency.
 * Throws a {@link UsageError} for an unknown zone.
 *
 * @example
 * offsetFor("Asia/Shanghai")(Date.UTC(2024, 0, 1)); // 28_800_000
 */
export function offsetFor(zone: string): (instant: number) => number {
  const trimmed = zone.trim();
  if (/^(?:UTC|GMT|Z)$/i.test(trimmed)) return () => 0;
  const fixed = FIXED_OFFSET.exec(trimmed);
  if (fixed) {
    const sign = fixed[1] === "-" ? -1 : 1;
    const minutes = Number(fixed[2]) * 60 + Number(fixed[3] ?? 0);
    if (minutes > 14 * 60 || Number(fixed[3] ?? 0) > 59)
      throw new UsageError(`--tz offset out of range: ${JSON.stringify(zone)}`);
    return () => sign * minutes * 60_000;
  }
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: trimmed,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  } catch {
    throw new UsageError(
      `unknown time zone ${JSON.stringify(zone)} (use an IANA name like Asia/Shanghai, or +08:00)`,
    );
  }
  return (instant) => {
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(new Date(instant))) {
      if (part.type !== "literal") parts[part.type] = Number(part.value);
    }
    const asUtc = Date.UTC(
      parts.year ?? 1970,
      (parts.month ?? 1) - 1,
      parts.day ?? 1,
      parts.hour ?? 0,
      parts.minute ?? 0,
      parts.second ?? 0,
    );
    return asUtc - (instant - (instant % 1000));
  };
}

/**
 * Converts a wall-clock time in `zone` to Unix milliseconds. Around a DST change the offset is probed twice,
 * so times just after a transition land on the right side of it.
 *
 * @example
 * wallTimeToEpochMs({ year: 2024, month: 1, day: 1, hour: 8, minute: 0, second: 0 }, "Asia/Shanghai");
 * // Date.UTC(2024, 0, 1, 0)
 */
export function wallTimeToEpochMs(wall: WallTime, zone: string): number {
  const offset = offsetFor(zone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  const firstGuess = asUtc - offset(asUtc);
  const secondOffset = offset(firstGuess);
  return asUtc - secondOffset;
}

const WALL_TIME = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?$/;

function inRange(seconds: number): number | undefined {
  return Number.isSafeInteger(seconds) && seconds >= 0 && seconds <= LIMITS.event_time_max
    ? seconds
    : undefined;
}

/**
 * Parses an OCP time variable to Unix seconds: epoch seconds or milliseconds, ISO-8601 with `Z`/offset
 * (zone ignored), or a wall-clock `YYYY-MM-DD HH:mm:ss` read in `zone`. `undefined` when unparseable, when the
 * date does not exist (2023-02-29, 24:00, a leap second: never rolled over into another day) or when it is
 * before 1970 or past Flashduty's limit, so the alarm is still sent (the server then uses the time it
 * receives it).
 *
 * @example
 * parseZonedTime("2024-05-01 20:00:00", "Asia/Shanghai"); // 1714564800
 */
export function parseZonedTime(text: string, zone: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d{9,10}$/.test(trimmed)) return inRange(Number(trimmed));
  if (/^\d{12,13}$/.test(trimmed)) return inRange(Math.floor(Number(trimmed) / 1000));
  const wall = WALL_TIME.exec(trimmed);
  if (wall) {
    const parts = {
      year: Number(wall[1]),
      month: Number(wall[2]),
      day: Number(wall[3]),
      hour: Number(wall[4] ?? 0),
      minute: Number(wall[5] ?? 0),
      second: Number(wall[6] ?? 0),
    };
    if (!utcMilliseconds(parts).ok) return undefined;
    const epoch = wallTimeToEpochMs(parts, zone);
    return Number.isFinite(epoch) ? inRange(Math.floor(epoch / 1000)) : undefined;
  }
  const iso = parseIsoSeconds(trimmed);
  return iso.ok && /(?:Z|[+-]\d{2}:?\d{2})$/i.test(trimmed) ? inRange(iso.value) : undefined;
}
