import { ERROR_CODE_LIST } from "@flash-call/core/constants";
import { describe, expect, test } from "vitest";
import { EXPECTED_CLASSES } from "../test/expected-classes.js";
import { FlashdutyApiError, InternalServerError } from "./api-errors.js";
import { ERROR_CODES, hintFor } from "./error-codes.js";
import { errorFromResponse } from "./error-from-response.js";
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

test("an answer's summary is its message without the hint and the request_id, whatever the answer", () => {
  const cases = [
    errorFromResponse(401, {
      request_id: "r-1",
      error: { code: "Unauthorized", message: "authentication failed" },
    }),
    errorFromResponse(502, "<html><title>502 Bad Gateway</title></html>", { "x-request-id": "r-9" }),
    errorFromResponse(500, '{"error":', undefined, { bodyCutAtBytes: 65_536 }),
    errorFromResponse(302, "", { location: "https://elsewhere.example/x" }),
  ];
  for (const error of cases) {
    const hint = hintFor(error.code) ?? "";
    const ending = [hint, error.requestId && `request_id=${error.requestId}`].filter(Boolean).join(" ");
    expect(hint).not.toBe("");
    expect(error.message).toBe(`${error.summary} ${ending}`);
    expect(error.summary).not.toContain("request_id");
  }
  expect(cases[2]?.summary).toContain("cut at");
});
