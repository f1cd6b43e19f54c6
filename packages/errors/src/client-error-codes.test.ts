import { describe, expect, test } from "vitest";
import { CLIENT_ERROR_CODES } from "./client-error-codes.js";
import {
  FlashdutyAbortError,
  FlashdutyConfigError,
  FlashdutyNetworkError,
  FlashdutyTimeoutError,
  FlashdutyValidationError,
} from "./client-errors.js";
import { hintFor, REDIRECTED } from "./error-codes.js";
import { retriesUnder } from "./retry-rule.js";

describe("CLIENT_ERROR_CODES: the one list of the codes the SDK gives failures it sees itself", () => {
  test("each client error carries the code the list names for it", () => {
    expect(new FlashdutyValidationError([{ path: "title_rule", message: "is required" }]).code).toBe(
      CLIENT_ERROR_CODES.validation,
    );
    expect(new FlashdutyConfigError("no key").code).toBe(CLIENT_ERROR_CODES.config);
    expect(new FlashdutyNetworkError().code).toBe(CLIENT_ERROR_CODES.network);
    expect(new FlashdutyTimeoutError(undefined, { timeoutMs: 5 }).code).toBe(CLIENT_ERROR_CODES.timeout);
    expect(new FlashdutyAbortError().code).toBe(CLIENT_ERROR_CODES.aborted);
    expect(REDIRECTED).toBe(CLIENT_ERROR_CODES.redirected);
  });

  test("every code has a hint telling a person what to do", () => {
    for (const code of Object.values(CLIENT_ERROR_CODES)) {
      expect(hintFor(code), code).toMatch(/\w/);
    }
  });

  test("a full queue can be retried; a redirect never is", () => {
    const rules = { network: true, timeout: true, statuses: [[500, 599]] as [number, number][] };
    expect(retriesUnder(rules, CLIENT_ERROR_CODES.queueFull, undefined)).toBe(true);
    expect(retriesUnder(rules, CLIENT_ERROR_CODES.redirected, 302)).toBe(false);
  });

  test("the list cannot be changed at run time", () => {
    expect(Object.isFrozen(CLIENT_ERROR_CODES)).toBe(true);
  });
});
