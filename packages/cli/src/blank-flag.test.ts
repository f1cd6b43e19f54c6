import { describe, expect, it } from "vitest";
import { nonBlankFlag } from "./blank-flag.js";
import { UsageError } from "./usage-error.js";

describe("nonBlankFlag", () => {
  it("passes a value, or no flag, through", () => {
    expect(nonBlankFlag("/var/spool/flash-call", "--spool")).toBe("/var/spool/flash-call");
    expect(nonBlankFlag(undefined, "--spool")).toBeUndefined();
  });
  it.each(["", " ", "\t\n"])("refuses a blank value (%j), naming the flag", (value) => {
    expect(() => nonBlankFlag(value, "--spool", "push")).toThrow(UsageError);
    expect(() => nonBlankFlag(value, "--spool")).toThrow(
      /^--spool is empty; give it a value, or leave the flag out/,
    );
  });
});
