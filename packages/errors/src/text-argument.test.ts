import { expect, test } from "vitest";
import { FlashdutyConfigError } from "./client-errors.js";
import { hintFor } from "./error-codes.js";
import { excerpt } from "./excerpt.js";
import { FlashdutyError } from "./flashduty-error.js";
import { isRetryable } from "./is-retryable.js";
import { isWorthRetryingLater } from "./retry-policy.js";
import { scrubUrl } from "./scrub-url.js";
import { redact, registerSecret } from "./secret-registry.js";
import { textArgument } from "./text-argument.js";

/** What plain JavaScript may pass where a string belongs. */
const NOT_STRINGS: [string, unknown][] = [
  ["undefined", undefined],
  ["null", null],
  ["a number", 42],
  ["a symbol", Symbol("s")],
  ["a bigint", 10n],
  ["an object without a prototype", Object.create(null)],
  [
    "an object whose toString throws",
    {
      toString: () => {
        throw new Error("no");
      },
    },
  ],
  [
    "a Proxy whose traps throw",
    new Proxy(
      {},
      {
        get: () => {
          throw new Error("trap");
        },
      },
    ),
  ],
];

const KEY = "textArgumentKey5d9c1e7b3a";
registerSecret(KEY);

test.each(NOT_STRINGS)("redact, scrubUrl and excerpt answer %s with a config error", (_name, value) => {
  for (const helper of [redact, scrubUrl, excerpt] as ((text: unknown) => string)[]) {
    let thrown: unknown;
    try {
      helper(value);
    } catch (error) {
      thrown = error;
    }
    expect(FlashdutyConfigError.isInstance(thrown)).toBe(true);
    expect((thrown as Error).message).toMatch(/takes a string, not /);
  }
});

test("a string is passed through as it is, and no message quotes the value", () => {
  expect(textArgument("x", "redact()")).toBe("x");
  expect(() => textArgument([KEY], "redact()")).toThrow("redact() takes a string, not an array.");
});

test("excerpt refuses a length that is not a whole number, 1 or more", () => {
  for (const length of [0, -1, 1.5, Number.NaN, "10", Symbol("l")]) {
    expect(() => excerpt("text", length as number)).toThrow(FlashdutyConfigError);
  }
  expect(excerpt("abcdef", 3)).toBe("abc…");
});

test("hintFor knows nothing of a code that is not a string", () => {
  for (const [, value] of NOT_STRINGS) expect(hintFor(value as string)).toBeUndefined();
});

test("isInstance, isRetryable and isWorthRetryingLater answer false for a Proxy whose traps throw", () => {
  const hostile = new Proxy(
    {},
    {
      get: () => {
        throw new Error("trap");
      },
    },
  );
  expect(FlashdutyError.isInstance(hostile)).toBe(false);
  expect(isRetryable(hostile)).toBe(false);
  expect(isWorthRetryingLater(hostile)).toBe(false);
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  expect(FlashdutyError.isInstance(revoked.proxy)).toBe(false);
  expect(isRetryable(revoked.proxy)).toBe(false);
});
