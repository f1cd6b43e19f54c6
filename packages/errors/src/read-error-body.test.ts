import { describe, expect, test } from "vitest";
import { readErrorBody } from "./read-error-body.js";

describe("readErrorBody", () => {
  test.each([
    [
      { request_id: "r", error: { code: "C", message: "m" } },
      { code: "C", message: "m", requestId: "r" },
    ],
    ['{"request_id":"r","error":{"code":"C","message":"m"}}', { code: "C", requestId: "r" }],
    ['\ufeff{"error":{"code":"C"}}\u00a0', { code: "C" }],
    ["", { instead: "with an empty body" }],
    [undefined, { instead: "with an empty body" }],
    [null, { instead: "with an empty body" }],
    ["null", { instead: "with an empty body" }],
    [
      "<html><title> Bad </title></html>",
      { instead: 'with an HTML page ("Bad") instead of JSON, probably from a proxy or load balancer' },
    ],
    ['{"error":', { instead: "with truncated or malformed JSON" }],
    ["[1,", { instead: "with truncated or malformed JSON" }],
    ["nope", { instead: "with a non-JSON body: nope" }],
    [true, { instead: "with a non-JSON body: true" }],
    [{ error: { code: 5, message: "" } }, { code: "5" }],
    [{ error: { code: "  " } }, { code: undefined }],
  ])("%j", (body, expected) => {
    expect(readErrorBody(body)).toMatchObject(expected);
  });

  test("a JSON object is not described as something else", () => {
    expect(readErrorBody({ error: { code: "C" } }).instead).toBeUndefined();
    expect(readErrorBody("{}").instead).toBeUndefined();
  });

  test("never throws on anything", () => {
    for (const body of [Symbol.for("x"), () => 1, new Map(), [], {}, 0, Number.NaN, "{", "}", "<"]) {
      expect(() => readErrorBody(body)).not.toThrow();
    }
  });
});
