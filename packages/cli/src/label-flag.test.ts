import { describe, expect, it } from "vitest";
import { parseLabelFlags } from "./label-flag.js";
import { UsageError } from "./usage-error.js";

describe("parseLabelFlags", () => {
  it("splits at the first = so values may contain =", () => {
    expect(parseLabelFlags(["team=db", "query=a=b==c", "empty="])).toEqual({
      team: "db",
      query: "a=b==c",
      empty: "",
    });
  });
  it("refuses a key given again with another value, naming both; the same pair twice is taken once", () => {
    expect(() => parseLabelFlags(["a=1", "b=x", "a=2"])).toThrow(
      new UsageError('--label gives "a" twice, as "1" and "2"; keep the one you mean'),
    );
    expect(parseLabelFlags(["a=1", "a=1"])).toEqual({ a: "1" });
  });
  it("rejects a flag without key=value", () => {
    expect(() => parseLabelFlags(["team"])).toThrow(UsageError);
    expect(() => parseLabelFlags(["=x"])).toThrow(/key=value/);
  });
  it("keeps __proto__, constructor and toString as ordinary labels", () => {
    const labels = parseLabelFlags(["__proto__=p", "constructor=c", "toString=t"]);
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
    expect(Object.entries(labels)).toEqual([
      ["__proto__", "p"],
      ["constructor", "c"],
      ["toString", "t"],
    ]);
    expect(JSON.stringify(labels)).toBe('{"__proto__":"p","constructor":"c","toString":"t"}');
    expect(Object.entries({ ...labels })).toHaveLength(3);
  });
  it("returns no labels for no flags", () => {
    expect(parseLabelFlags(undefined)).toEqual({});
  });
});
