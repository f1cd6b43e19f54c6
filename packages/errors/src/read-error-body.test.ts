import { describe, expect, test } from "vitest";
import { readErrorBody } from "./read-error-body.js";

describe("readErrorBody", () => {
  test.each([
    [
      { request_id: "r", error: { code: "C", message: "m" } },
      { kind: "json", code: "C", message: "m", requestId: "r" },
    ],
    ['{"request_id":"r","error":{"code":"C","message":"m"}}', { kind: "json", code: "C", requestId: "r" }],
    ["", { kind: "empty" }],
    [undefined, { kind: "empty" }],
    [null, { kind: "empty" }],
    ["null", { kind: "empty" }],
    ["<html><title> Bad </title></html>", { kind: "html", excerpt: "Bad" }],
    ['{"error":', { kind: "truncated" }],
    ["[1,", { kind: "truncated" }],
    ["nope", { kind: "text", excerpt: "nope" }],
    [true, { kind: "text", excerpt: "true" }],
    [{ error: { code: 5, message: "" } }, { kind: "json", code: "5" }],
    [{ error: { code: "  " } }, { kind: "json" }],
  ])("%j", (body, expected) => {
    expect(readErrorBody(body)).toMatchObject(expected);
  });

  test("never throws on anything", () => {
    for (const body of [Symbol.for("x"), () => 1, new Map(), [], {}, 0, Number.NaN, "{", "}", "<"]) {
      expect(() => readErrorBody(body)).not.toThrow();
    }
  });
});
