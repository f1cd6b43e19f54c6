import { describe, expect, test } from "vitest";
import { ERROR_CODE_LIST, ERROR_RETRYABLE, ERROR_STATUS } from "./constants.js";

/**
 * The error table of Flashduty's documentation (shared/reference/flashduty-api.md), typed in again on purpose:
 * the spec's `x-flashduty-status` and `x-flashduty-retryable` must agree with it.
 */
const DOCUMENTED: Record<string, [status: number, retryable: boolean]> = {
  InvalidParameter: [400, false],
  InvalidContentType: [400, false],
  MethodNotAllowed: [400, false],
  Unauthorized: [401, false],
  AccessDenied: [403, false],
  RequestTooFrequently: [429, true],
  RouteNotFound: [404, false],
  ResourceNotFound: [400, false],
  NoLicense: [400, false],
  InternalError: [500, true],
};

describe("error-code facts generated from the spec", () => {
  test("ERROR_STATUS and ERROR_RETRYABLE hold exactly the enum's codes, in its order", () => {
    expect(Object.keys(ERROR_STATUS)).toEqual([...ERROR_CODE_LIST]);
    expect(Object.keys(ERROR_RETRYABLE)).toEqual([...ERROR_CODE_LIST]);
  });

  test.each(ERROR_CODE_LIST)("%s has the documented status and retryability", (code) => {
    expect([ERROR_STATUS[code], ERROR_RETRYABLE[code]]).toEqual(DOCUMENTED[code]);
  });
});
