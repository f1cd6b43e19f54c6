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
  it("lets a later duplicate win", () => {
    expect(parseLabelFlags(["a=1", "a=2"])).toEqual({ a: "2" });
  });
  it("rejects a flag without key=value", () => {
    expect(() => parseLabelFlags(["team"])).toThrow(UsageError);
    expect(() => parseLabelFlags(["=x"])).toThrow(/key=value/);
  });
  it("returns no labels for no flags", () => {
    expect(parseLabelFlags(undefined)).toEqual({});
  });
});
