import { describe, expect, it } from "vitest";
import { parseBatch } from "./batch-input.js";

const event = { title_rule: "t", event_status: "Info" };

describe("parseBatch", () => {
  it("reads one object, even pretty-printed", () => {
    expect(parseBatch(JSON.stringify(event, null, 2))).toEqual([{ location: "line 1", value: event }]);
  });
  it("reads an array and names non-objects by index", () => {
    expect(parseBatch(JSON.stringify([event, 5, null, [1]]))).toEqual([
      { location: "index 0", value: event },
      { location: "index 1", error: "expected an event object, got a number" },
      { location: "index 2", error: "expected an event object, got null" },
      { location: "index 3", error: "expected an event object, got an array" },
    ]);
  });
  it("reads NDJSON, skips blank lines and reports bad ones by line number", () => {
    const text = `${JSON.stringify(event)}\r\n\nnot json\n"str"\n${JSON.stringify({ ...event, title_rule: "u" })}\n`;
    const items = parseBatch(text);
    expect(items.map((item) => item.location)).toEqual(["line 1", "line 3", "line 4", "line 5"]);
    expect(items[1]?.error).toMatch(/^invalid JSON/);
    expect(items[2]?.error).toBe("expected an event object, got a string");
    expect(items[3]?.value).toEqual({ ...event, title_rule: "u" });
  });
  it("gives nothing for empty input and strips a BOM", () => {
    expect(parseBatch(" \n")).toEqual([]);
    expect(parseBatch(`\uFEFF${JSON.stringify(event)}`)).toHaveLength(1);
  });
  it("reports a scalar document", () => {
    expect(parseBatch("42")).toEqual([
      { location: "line 1", error: "expected an event object, got a number" },
    ]);
  });
});
