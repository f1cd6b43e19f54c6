import { describe, expect, it } from "vitest";
import { parseEventTime } from "./event-time.js";

describe("parseEventTime", () => {
  it("takes integer seconds as they are", () => {
    expect(parseEventTime("1700000000")).toBe(1_700_000_000);
  });
  it("passes milliseconds through for the SDK's validation to reject", () => {
    expect(parseEventTime("1700000000000")).toBe(1_700_000_000_000);
  });
  it.each([
    ["2023-11-14T22:13:20Z", 1_700_000_000],
    ["2023-11-14T22:13:20.999Z", 1_700_000_000],
    ["2023-11-15T06:13:20+08:00", 1_700_000_000],
    ["2023-11-15T06:13:20+0800", 1_700_000_000],
    ["2023-11-14 22:13:20", 1_700_000_000],
    ["2023-11-14T22:13", 1_699_999_980],
    ["2023-11-14", 1_699_920_000],
  ])("reads ISO-8601 %s (no zone = UTC)", (text, seconds) => {
    expect(parseEventTime(text)).toBe(seconds);
  });
  it.each(["yesterday", "12.5", "-5", "2023-13-45T99:00:00Z", ""])("rejects %j", (text) => {
    expect(() => parseEventTime(text)).toThrow(/Unix seconds or ISO-8601/);
  });
});
