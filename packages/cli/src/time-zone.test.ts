import { describe, expect, it } from "vitest";
import { offsetFor, parseZonedTime, wallTimeToEpochMs } from "./time-zone.js";
import { UsageError } from "./usage-error.js";

describe("offsetFor", () => {
  it("knows IANA zones, UTC and fixed offsets", () => {
    expect(offsetFor("Asia/Shanghai")(Date.UTC(2024, 0, 1))).toBe(8 * 3_600_000);
    expect(offsetFor("UTC")(0)).toBe(0);
    expect(offsetFor("+05:30")(0)).toBe(5.5 * 3_600_000);
    expect(offsetFor("-0800")(0)).toBe(-8 * 3_600_000);
    expect(offsetFor("UTC+8")(0)).toBe(8 * 3_600_000);
  });
  it("follows daylight saving", () => {
    expect(offsetFor("America/New_York")(Date.UTC(2024, 0, 15))).toBe(-5 * 3_600_000);
    expect(offsetFor("America/New_York")(Date.UTC(2024, 6, 15))).toBe(-4 * 3_600_000);
  });
  it("rejects an unknown zone", () => {
    expect(() => offsetFor("Mars/Olympus")).toThrow(UsageError);
    expect(() => offsetFor("+05:75")).toThrow(/offset out of range/);
  });
});

describe("wallTimeToEpochMs", () => {
  it("converts a wall-clock time in a zone", () => {
    const wall = { year: 2024, month: 5, day: 1, hour: 20, minute: 0, second: 0 };
    expect(wallTimeToEpochMs(wall, "Asia/Shanghai")).toBe(Date.UTC(2024, 4, 1, 12));
    expect(wallTimeToEpochMs(wall, "UTC")).toBe(Date.UTC(2024, 4, 1, 20));
  });
  it("lands on the right side of a DST change", () => {
    // 2024-03-10 03:30 in New York is just after the spring-forward gap: EDT (UTC-4).
    const wall = { year: 2024, month: 3, day: 10, hour: 3, minute: 30, second: 0 };
    expect(wallTimeToEpochMs(wall, "America/New_York")).toBe(Date.UTC(2024, 2, 10, 7, 30));
    // 2024-11-03 12:00 after fall-back: EST (UTC-5).
    const later = { year: 2024, month: 11, day: 3, hour: 12, minute: 0, second: 0 };
    expect(wallTimeToEpochMs(later, "America/New_York")).toBe(Date.UTC(2024, 10, 3, 17));
  });
});

describe("parseZonedTime", () => {
  it.each([
    ["2024-05-01 20:00:00", "Asia/Shanghai", Date.UTC(2024, 4, 1, 12) / 1000],
    ["2024-05-01 20:00:00", "UTC", Date.UTC(2024, 4, 1, 20) / 1000],
    ["2024/5/1 20:00:00.123", "UTC", Date.UTC(2024, 4, 1, 20) / 1000],
    ["2024-05-01T20:00:00", "+08:00", Date.UTC(2024, 4, 1, 12) / 1000],
    ["2024-05-01T20:00:00Z", "Asia/Shanghai", Date.UTC(2024, 4, 1, 20) / 1000],
    ["2024-05-01T20:00:00+02:00", "Asia/Shanghai", Date.UTC(2024, 4, 1, 18) / 1000],
    ["1714564800", "Asia/Shanghai", 1_714_564_800],
    ["1714564800123", "UTC", 1_714_564_800],
  ])("reads %j in %s", (text, zone, seconds) => {
    expect(parseZonedTime(text, zone)).toBe(seconds);
  });
  it("gives undefined for what it cannot read", () => {
    expect(parseZonedTime("soon", "UTC")).toBeUndefined();
  });
  // Date.UTC would roll each of these over into a neighbouring day, month or minute.
  it.each([
    "2023-02-29 12:00:00",
    "2023/2/30 12:00:00",
    "2023-13-01 00:00:00",
    "2023-04-31 10:00:00",
    "2023-04-30 24:00:00",
    "2023-04-30 12:60:00",
    "2016-12-31 23:59:60",
    "2023-02-29T12:00:00Z",
    "2023-04-30T24:00:00+08:00",
    "2023-04-30T12:00:00+15:00",
    "1969-12-31 23:59:59",
    "9999-12-31 23:59:59",
    "99999999999999",
  ])("gives undefined for the impossible or out-of-range %j", (text) => {
    expect(parseZonedTime(text, "Asia/Shanghai")).toBeUndefined();
  });
});
