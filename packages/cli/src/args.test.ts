import { describe, expect, it } from "vitest";
import { integerFlag, parseCommandLine } from "./args.js";
import { UsageError } from "./usage-error.js";

describe("parseCommandLine", () => {
  it("parses push flags, repeated labels and short names", () => {
    const parsed = parseCommandLine([
      "push",
      "-t",
      "T",
      "-s",
      "critical",
      "-l",
      "a=b=c",
      "--label",
      "x=1",
      "--json",
    ]);
    expect(parsed).toMatchObject({
      kind: "push",
      values: { title: "T", status: "critical", label: ["a=b=c", "x=1"], json: true },
    });
  });
  it("treats `push -` as --file -", () => {
    expect(parseCommandLine(["push", "-"])).toMatchObject({ kind: "push", values: { file: "-" } });
    expect(parseCommandLine(["push", "--file", "-"])).toMatchObject({ kind: "push", values: { file: "-" } });
  });
  it("handles help and version everywhere", () => {
    expect(parseCommandLine([])).toEqual({ kind: "help" });
    expect(parseCommandLine(["--version"])).toEqual({ kind: "version" });
    expect(parseCommandLine(["help", "ocp"])).toEqual({ kind: "help", command: "ocp" });
    expect(parseCommandLine(["flush", "--help"])).toEqual({ kind: "help", command: "flush" });
    expect(parseCommandLine(["mock", "--version"])).toEqual({ kind: "version" });
  });
  it("rejects unknown commands, unknown flags, stray arguments and missing values", () => {
    expect(() => parseCommandLine(["pusj"])).toThrow(UsageError);
    expect(() => parseCommandLine(["push", "--titel", "x"])).toThrow(/Unknown option/);
    expect(() => parseCommandLine(["resolve", "extra"])).toThrow(/unexpected argument/);
    expect(() => parseCommandLine(["push", "--title"])).toThrow(UsageError);
    expect(() => parseCommandLine(["resolve", "--status", "Ok"])).toThrow(UsageError);
  });
});

describe("integerFlag", () => {
  it("parses whole numbers and rejects the rest", () => {
    expect(integerFlag("--retries", "0", "push")).toBe(0);
    expect(integerFlag("--retries", undefined, "push")).toBeUndefined();
    expect(() => integerFlag("--timeout", "1.5", "push")).toThrow(/whole number/);
  });
});
