import { describe, expectTypeOf, test } from "vitest";
import type { IntegrationKey } from "./integration-key.js";
import { type KeySource, resolveKey } from "./resolve-key.js";

describe("resolveKey types", () => {
  test("takes a string, an IntegrationKey or nothing", () => {
    expectTypeOf(resolveKey).parameter(0).toEqualTypeOf<string | IntegrationKey | undefined>();
    // @ts-expect-error a number is not a key
    void (() => resolveKey(42));
  });

  test("names its sources exactly", () => {
    expectTypeOf<KeySource>().toEqualTypeOf<
      "explicit" | "setKey" | "FLASHDUTY_INTEGRATION_KEY" | "FLASHDUTY_PUSH_URL"
    >();
    expectTypeOf(resolveKey().key).toEqualTypeOf<IntegrationKey>();
    expectTypeOf(resolveKey().baseUrl).toEqualTypeOf<string | undefined>();
  });
});
