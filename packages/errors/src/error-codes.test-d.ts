import type { ErrorCode } from "@flash-call/core";
import { describe, expectTypeOf, test } from "vitest";
import { ERROR_CODES, type ErrorCodeInfo } from "./error-codes.js";

describe("ERROR_CODES is exhaustive over the spec's ErrorCode enum", () => {
  test("its keys are exactly ErrorCode", () => {
    expectTypeOf<keyof typeof ERROR_CODES>().toEqualTypeOf<ErrorCode>();
    expectTypeOf(ERROR_CODES).toExtend<Record<ErrorCode, ErrorCodeInfo>>();
  });

  test("a table missing a code fails the type check", () => {
    const { NoLicense: _dropped, ...missingOne } = ERROR_CODES;
    // @ts-expect-error NoLicense is missing: the same `satisfies` guards the hints ERROR_CODES is built with
    const incomplete = missingOne satisfies Record<ErrorCode, ErrorCodeInfo>;
    expectTypeOf(incomplete).not.toEqualTypeOf<typeof ERROR_CODES>();
  });

  test("a table with a code the spec lacks fails the type check", () => {
    const extra = {
      ...ERROR_CODES,
      // @ts-expect-error NotInSpec is not an ErrorCode
      NotInSpec: { status: 400, retryable: false, hint: "x" },
    } satisfies Record<ErrorCode, ErrorCodeInfo>;
    expectTypeOf(extra).toBeObject();
  });

  test("entries keep their literal types", () => {
    expectTypeOf(ERROR_CODES.RequestTooFrequently.retryable).toEqualTypeOf<true>();
    expectTypeOf(ERROR_CODES.Unauthorized.status).toEqualTypeOf<401>();
  });
});
