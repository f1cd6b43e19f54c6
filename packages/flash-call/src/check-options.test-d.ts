import { describe, expectTypeOf, test } from "vitest";
import {
  CALL_NUMBER_RULES,
  CALL_TYPE_RULES,
  type NESTED_NUMBER_RULES,
  type NumberRules,
  type OPTION_NUMBER_RULES,
  type OPTION_TYPE_RULES,
  type TypeRules,
} from "./check-options.js";
import type { CallOptions, FlashCallOptions } from "./options.js";

describe("option rules are typed against the option keys", () => {
  test("every option of an instance and of a call has exactly one rule", () => {
    expectTypeOf<keyof typeof OPTION_NUMBER_RULES | keyof typeof OPTION_TYPE_RULES>().toEqualTypeOf<
      keyof FlashCallOptions
    >();
    expectTypeOf<keyof typeof CALL_NUMBER_RULES | keyof typeof CALL_TYPE_RULES>().toEqualTypeOf<
      keyof CallOptions
    >();
    expectTypeOf<keyof typeof NESTED_NUMBER_RULES.backoff>().toEqualTypeOf<"baseMs" | "maxMs">();
  });

  test("a renamed option fails the type check instead of losing its rule", () => {
    type Renamed = Omit<CallOptions, "timeoutMs"> & { timeoutMillis?: number };
    // @ts-expect-error the rules still name timeoutMs, which Renamed no longer has, and miss timeoutMillis
    CALL_NUMBER_RULES satisfies NumberRules<Renamed>;
    type RenamedKey = Omit<CallOptions, "pushUrl"> & { url?: string };
    // @ts-expect-error the rules still name pushUrl and have none for url
    CALL_TYPE_RULES satisfies TypeRules<RenamedKey>;
  });

  test("a rule for an option that does not exist, or a missing rule, fails the type check", () => {
    const whole = { whole: true, least: 1 } as const;
    // @ts-expect-error timeoutMillis is no option of a call
    ({ timeoutMs: whole, maxRetries: whole, timeoutMillis: whole }) satisfies NumberRules<CallOptions>;
    // @ts-expect-error maxRetries has no rule
    ({ timeoutMs: whole }) satisfies NumberRules<CallOptions>;
  });
});
