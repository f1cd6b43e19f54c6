import { ERROR_CODE_LIST } from "@flash-call/core/constants";
import { describe, expect, test } from "vitest";
import { errorTypeOf } from "./error-type.js";

describe("errorTypeOf", () => {
  test.each(ERROR_CODE_LIST)("Flashduty's documented code %s is recorded as it is", (code) => {
    expect(errorTypeOf(code, 400)).toBe(code);
  });

  test.each([
    ["NetworkError", undefined],
    ["Timeout", undefined],
    ["Redirected", 302],
  ])("the SDK's own code %s is recorded as it is", (code, status) => {
    expect(errorTypeOf(code, status)).toBe(code);
  });

  test.each([
    ["a code no one documents", "400", "Bucket_7f3a9c", 400],
    ["a status without a documented code", "502", "HTTP_502", 502],
    ["a made-up code in a 200", "_OTHER", "Whatever", 200],
    ["no code, no status", "_OTHER", undefined, undefined],
    ["a status that is not a number", "_OTHER", "Odd", "503"],
    ["a status out of range", "_OTHER", "Odd", 999],
  ])("%s is recorded as %s", (_name, expected, code, status) => {
    expect(errorTypeOf(code, status)).toBe(expected);
  });
});
