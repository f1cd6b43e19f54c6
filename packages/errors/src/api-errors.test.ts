import { ERROR_CODE_LIST } from "@flash-call/core/constants";
import { describe, expect, test } from "vitest";
import { EXPECTED_CLASSES } from "../test/expected-classes.js";
import { FlashdutyApiError, InternalServerError } from "./api-errors.js";
import { ERROR_CODES } from "./error-codes.js";
import { FlashdutyError } from "./flashduty-error.js";

const CLASSES = EXPECTED_CLASSES;

describe.each(ERROR_CODE_LIST)("%s", (code) => {
  const ErrorClass = CLASSES[code];

  test("defaults its code, name and retryable", () => {
    const error = new ErrorClass("m");
    expect(error.code).toBe(code);
    expect(error.name).toBe(ErrorClass.kind);
    expect(error.retryable).toBe(ERROR_CODES[code].retryable);
    expect(error).toBeInstanceOf(FlashdutyApiError);
    expect(error).toBeInstanceOf(FlashdutyError);
    expect(ErrorClass.isInstance(error)).toBe(true);
  });

  test("is recognised by no other code's class", () => {
    const error = new ErrorClass("m");
    for (const other of ERROR_CODE_LIST.filter((candidate) => candidate !== code)) {
      expect(CLASSES[other].isInstance(error)).toBe(false);
    }
  });
});

test("InternalServerError carries the code InternalError", () => {
  expect(new InternalServerError("m").code).toBe("InternalError");
});

test("FlashdutyApiError keeps its body redacted and out of enumeration", () => {
  const error = new FlashdutyApiError("m", {
    code: "HTTP_502",
    status: 502,
    body: { error: { message: "see https://h/p?integration_key=abc" } },
  });
  expect(error.body).toEqual({ error: { message: "see https://h/p?integration_key=***" } });
  expect(Object.keys(error)).not.toContain("body");
});
