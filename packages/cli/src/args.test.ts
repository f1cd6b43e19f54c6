import { describe, expect, it } from "vitest";
import { integerFlag, parseCommandLine, positiveIntegerFlag } from "./args.js";
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
    expect(() => parseCommandLine(["push", "--titel", "x"])).toThrow(
      'unknown option "--titel"; did you mean --title?',
    );
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
  it("refuses numbers a number cannot hold exactly, and numbers over the flag's limit", () => {
    expect(() => integerFlag("--timeout", "9".repeat(20), "push")).toThrow(/--timeout must be at most/);
    expect(integerFlag("--port", "65535", "mock", 65_535)).toBe(65_535);
    expect(() => integerFlag("--port", "65536", "mock", 65_535)).toThrow(/--port must be at most 65535/);
  });
});

describe("positiveIntegerFlag", () => {
  it("parses whole numbers of 1 or more and refuses 0 as integerFlag refuses the rest", () => {
    expect(positiveIntegerFlag("--max-records", "1", "mock")).toBe(1);
    expect(positiveIntegerFlag("--max-records", " 500 ", "mock")).toBe(500);
    expect(positiveIntegerFlag("--max-records", undefined, "mock")).toBeUndefined();
    expect(() => positiveIntegerFlag("--max-records", "0", "mock")).toThrow(
      new UsageError('--max-records must be at least 1, got "0"', "mock"),
    );
    for (const value of ["", " ", "-1", "1.5", "1e3", "0x10", "ten"]) {
      expect(() => positiveIntegerFlag("--max-record-bytes", value, "mock")).toThrow(
        /^--max-record-bytes needs a whole number, got /,
      );
    }
    expect(() => positiveIntegerFlag("--max-record-bytes", "9".repeat(20), "mock")).toThrow(
      /^--max-record-bytes must be at most 9007199254740991/,
    );
  });
});

describe("parseCommandLine's messages", () => {
  it("keep parseArgs' way out for a value that starts with a dash, on one line", () => {
    expect(() => parseCommandLine(["push", "--event-time", "-1"])).toThrow(
      /argument is ambiguous\. .*'--event-time=-XYZ'/,
    );
  });
  it("quote a long stray argument shortly", () => {
    let message = "";
    try {
      parseCommandLine(["push", "x".repeat(10_000)]);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^unexpected argument "x+…" \(10000 characters\)$/);
  });
});
