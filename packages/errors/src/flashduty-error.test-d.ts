import { describe, expectTypeOf, test } from "vitest";
import { FlashdutyApiError, RequestTooFrequentlyError, UnauthorizedError } from "./api-errors.js";
import { FlashdutyValidationError } from "./client-errors.js";
import { FlashdutyError } from "./flashduty-error.js";

describe("isInstance narrows to its own class", () => {
  test("on the base class and on subclasses", () => {
    expectTypeOf(FlashdutyError.isInstance).guards.toEqualTypeOf<FlashdutyError>();
    expectTypeOf(FlashdutyApiError.isInstance).guards.toEqualTypeOf<FlashdutyApiError>();
    expectTypeOf(UnauthorizedError.isInstance).guards.toEqualTypeOf<UnauthorizedError>();
    expectTypeOf(FlashdutyValidationError.isInstance).guards.toEqualTypeOf<FlashdutyValidationError>();
  });

  test("detached, as a filter callback", () => {
    const values: unknown[] = [];
    expectTypeOf(values.filter(RequestTooFrequentlyError.isInstance)).toEqualTypeOf<
      RequestTooFrequentlyError[]
    >();
  });
});
