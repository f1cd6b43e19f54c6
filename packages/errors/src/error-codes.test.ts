import { ERROR_CODE_LIST, ERROR_RETRYABLE, ERROR_STATUS } from "@flash-call/core/constants";
import { describe, expect, test } from "vitest";
import { ERROR_CODES, hintFor } from "./error-codes.js";

describe("ERROR_CODES", () => {
  test("has exactly the spec's codes", () => {
    expect(Object.keys(ERROR_CODES).sort()).toEqual([...ERROR_CODE_LIST].sort());
  });

  test.each(ERROR_CODE_LIST)("%s has the spec's status and retry behaviour and a one-line hint", (code) => {
    const info = ERROR_CODES[code];
    // The facts themselves are checked against Flashduty's documentation in @flash-call/core.
    expect([info.status, info.retryable]).toEqual([ERROR_STATUS[code], ERROR_RETRYABLE[code]]);
    expect(info.hint).toMatch(/^[A-Z].*\.$/);
    expect(info.hint).not.toContain("\n");
    expect(info.hint.length).toBeLessThanOrEqual(120);
    expect(hintFor(code)).toBe(info.hint);
  });

  test("hints point at the right fix", () => {
    expect(ERROR_CODES.Unauthorized.hint).toContain("integration key or the push URL");
    expect(ERROR_CODES.InvalidParameter.hint).toContain("integration key");
    expect(ERROR_CODES.NoLicense.hint).toContain("subscription");
    expect(ERROR_CODES.ResourceNotFound.hint).toContain("subscription");
    expect(ERROR_CODES.RouteNotFound.hint).toContain("base URL");
  });

  test("the RouteNotFound hint names the change path as well as the alert one (a change push gets it too)", () => {
    expect(ERROR_CODES.RouteNotFound.hint).toContain("/event/push/alert/standard");
    expect(ERROR_CODES.RouteNotFound.hint).toContain("/event/push/change/standard");
  });
});

describe("hintFor", () => {
  test.each(["ValidationError", "ConfigError", "NetworkError", "Timeout", "Aborted"])("knows %s", (code) => {
    expect(hintFor(code)).toMatch(/\.$/);
  });

  test.each([
    ["HTTP_401", "integration key"],
    ["HTTP_403", "integration key"],
    ["HTTP_404", "base URL"],
    ["HTTP_408", "retry"],
    ["HTTP_429", "Retry-After"],
    ["HTTP_502", "proxy"],
    ["HTTP_418", "push URL"],
    ["HTTP_200", "retry"],
  ])("knows %s", (code, fragment) => {
    expect(hintFor(code)).toContain(fragment);
  });

  test("returns undefined for what it does not know", () => {
    expect(hintFor("SomethingNew")).toBeUndefined();
    expect(hintFor("HTTP_302")).toBeUndefined();
    expect(hintFor("toString")).toBeUndefined();
    expect(hintFor("constructor")).toBeUndefined();
  });
});
