import { LIMITS } from "@flash-call/core/constants";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { propertyOptions } from "../../../test-support/fast-check.js";
import { parseEventTime, parseIsoSeconds, utcMilliseconds } from "./event-time.js";
import { UsageError } from "./usage-error.js";

describe("parseEventTime", () => {
  it("takes integer seconds as they are", () => {
    expect(parseEventTime("1700000000")).toBe(1_700_000_000);
    expect(parseEventTime("0")).toBe(0);
    expect(parseEventTime(String(LIMITS.event_time_max))).toBe(LIMITS.event_time_max);
  });
  it.each([
    ["2023-11-14T22:13:20Z", 1_700_000_000],
    ["2023-11-14T22:13:20.999Z", 1_700_000_000],
    ["2023-11-14t22:13:20,5z", 1_700_000_000],
    ["2023-11-15T06:13:20+08:00", 1_700_000_000],
    ["2023-11-15T06:13:20+0800", 1_700_000_000],
    ["2023-11-14T17:13:20-05:00", 1_700_000_000],
    ["2023-11-14 22:13:20", 1_700_000_000],
    ["2023-11-14T22:13", 1_699_999_980],
    ["2023-11-14", 1_699_920_000],
    ["2024-02-29", 1_709_164_800],
    ["2000-02-29T23:59:59Z", 951_868_799],
    ["1970-01-01T00:00:00Z", 0],
    ["1970-01-01T01:00:00+01:00", 0],
  ])("reads ISO-8601 %s (no zone = UTC)", (text, seconds) => {
    expect(parseEventTime(text)).toBe(seconds);
  });

  // Each of these used to be rolled over by Date (2023-02-29 became March 1st) or passed on as a number.
  it.each([
    ["2023-02-29", /February 2023 has 28 days/],
    ["1900-02-29", /February 1900 has 28 days/],
    ["2023-13-01", /month 13 does not exist/],
    ["2023-00-10", /month 0 does not exist/],
    ["2023-04-31T25:00:00Z", /April 2023 has 30 days/],
    ["2023-04-30T25:00:00Z", /hour 25/],
    ["2023-04-30T24:00", /hour 24/],
    ["2023-04-30T24:00:00Z", /hour 24/],
    ["2023-04-30T12:60:00Z", /minute 60/],
    ["2016-12-31T23:59:60Z", /leap seconds/],
    ["2023-04-30T12:00:00+15:00", /beyond ±14:00/],
    ["2023-04-30T12:00:00+05:75", /beyond ±14:00/],
    ["1969-12-31T23:59:59Z", /before 1970/],
    ["0000-01-01", /before 1970/],
    ["9999-12-31T23:59:59Z", /after the latest time Flashduty accepts/],
    ["10000-01-01", /not a date in a form/],
    ["+010000-01-01T00:00:00Z", /not a date in a form/],
    ["1700000000000", /too large for Unix seconds \(milliseconds\?/],
    ["9".repeat(400), /too large for Unix seconds/],
    ["-5", /whole, non-negative number/],
    ["-0", /whole, non-negative number/],
    ["12.5", /whole, non-negative number/],
    ["1e9", /whole, non-negative number/],
    ["NaN", /whole, non-negative number/],
    ["Infinity", /whole, non-negative number/],
    ["yesterday", /not a date in a form/],
    ["2023-11-14T22:13:20Z[UTC]", /not a date in a form/],
    ["2023-1-4", /not a date in a form/],
    ["", /not a date in a form/],
  ])("rejects %j: %s", (text, reason) => {
    let thrown: unknown;
    try {
      parseEventTime(text);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    const message = (thrown as UsageError).message;
    expect(message).toMatch(reason);
    // One line naming the flag, the value and the accepted forms.
    expect(message).toMatch(/^--event-time "/);
    expect(message).toMatch(/Unix seconds or ISO-8601/);
    expect(message).not.toContain("\n");
  });

  it("names the field it was given, and quotes long or odd input shortly and escaped", () => {
    expect(() => parseEventTime("2023-02-29", "event_time")).toThrow(/^event_time "2023-02-29" /);
    let message = "";
    try {
      parseEventTime(`\u001b[2J${"x".repeat(5000)}`);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('"\\u001b[2Jxxx');
    expect(message).toContain("(5004 characters)");
    expect(message.length).toBeLessThan(400);
  });

  it("takes linear time on long input", () => {
    // A regular expression with nested repetition would take seconds here.
    for (const text of [`2023-11-14T22:13:20.${"1".repeat(200_000)}x`, `${"1".repeat(200_000)}.`]) {
      expect(() => parseEventTime(text)).toThrow(UsageError);
    }
  });
});

describe("utcMilliseconds", () => {
  it("agrees with Date.UTC on every day of a leap and a common year", () => {
    for (const year of [2023, 2024]) {
      for (let month = 1; month <= 12; month += 1) {
        for (let day = 1; day <= 31; day += 1) {
          const result = utcMilliseconds({ year, month, day, hour: 23, minute: 59, second: 59 });
          const rolled = new Date(Date.UTC(year, month - 1, day, 23, 59, 59));
          const exists = rolled.getUTCDate() === day;
          expect(result.ok).toBe(exists);
          if (result.ok) expect(result.value).toBe(rolled.getTime());
        }
      }
    }
  });
  it("reads years 0-99 as written, not as 1900-1999", () => {
    const result = utcMilliseconds({ year: 50, month: 1, day: 1, hour: 0, minute: 0, second: 0 });
    expect(result.ok && new Date(result.value).getUTCFullYear()).toBe(50);
  });
});

describe("parseIsoSeconds", () => {
  it("gives a reason instead of throwing", () => {
    expect(parseIsoSeconds("2023-02-29")).toEqual({
      ok: false,
      reason: "February 2023 has 28 days, not 29",
    });
  });
});

// Property tests: a fixed seed so CI runs the same cases every time.
describe("parseEventTime properties", () => {
  const field = (max: number) => fc.integer({ min: 0, max });
  const two = (value: number) => String(value).padStart(2, "0");

  it("a written date-time is read back exactly when it exists, and refused (never rolled over) when not", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1970, max: 5000 }),
        field(14),
        field(33),
        field(25),
        field(61),
        field(61),
        (year, month, day, hour, minute, second) => {
          const text = `${year}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}Z`;
          const rolled = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
          const exists =
            rolled.getUTCFullYear() === year &&
            rolled.getUTCMonth() === month - 1 &&
            rolled.getUTCDate() === day &&
            rolled.getUTCHours() === hour &&
            rolled.getUTCMinutes() === minute &&
            rolled.getUTCSeconds() === second;
          if (exists) expect(parseEventTime(text)).toBe(rolled.getTime() / 1000);
          else expect(() => parseEventTime(text)).toThrow(UsageError);
        },
      ),
      propertyOptions(
        "a written date-time is read back exactly when it exists, and refused (never rolled over) w",
        { numRuns: 2000 },
      ),
    );
  });

  it("any text gives seconds in Flashduty's range or a UsageError, nothing else", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.stringMatching(/^[-+0-9:TZ. ]{0,30}$/)),
        (text) => {
          let seconds: number | undefined;
          try {
            seconds = parseEventTime(text);
          } catch (error) {
            expect(error).toBeInstanceOf(UsageError);
            expect((error as Error).message).not.toContain("\n");
            return;
          }
          expect(Number.isSafeInteger(seconds)).toBe(true);
          expect(seconds).toBeGreaterThanOrEqual(0);
          expect(seconds).toBeLessThanOrEqual(LIMITS.event_time_max);
        },
      ),
      propertyOptions("any text gives seconds in Flashduty's range or a UsageError, nothing else", {
        numRuns: 3000,
      }),
    );
  });
});
