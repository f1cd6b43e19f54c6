import { FlashdutyConfigError } from "@flash-call/errors";
import type { CallOptions, FlashCallOptions } from "./options.js";

type Rule = "positive-integer" | "non-negative-integer" | "positive-number" | "non-negative-number";

const RULES: Record<Rule, [test: (value: number) => boolean, words: string]> = {
  "positive-integer": [(value) => Number.isSafeInteger(value) && value > 0, "a whole number above 0"],
  "non-negative-integer": [(value) => Number.isSafeInteger(value) && value >= 0, "a whole number, 0 or more"],
  "positive-number": [(value) => Number.isFinite(value) && value > 0, "a finite number above 0"],
  "non-negative-number": [(value) => !Number.isNaN(value) && value >= 0, "a number, 0 or more"],
};

function check(name: string, value: unknown, rule: Rule): void {
  if (value === undefined) return;
  const [test, words] = RULES[rule];
  if (typeof value !== "number" || !test(value)) {
    throw new FlashdutyConfigError(`${name} must be ${words}; got ${String(value)}.`);
  }
}

/**
 * Rejects numeric settings that could only hang or crash later (a concurrency of 0 never sends, a rate of 0 never
 * paces a request through, a fractional timeout throws inside the runtime): at creation, with a clear message.
 */
export function checkOptions(options: FlashCallOptions): void {
  checkCallOptions(options);
  check("backoff.baseMs", options.backoff?.baseMs, "non-negative-number");
  check("backoff.maxMs", options.backoff?.maxMs, "non-negative-number");
  check("maxRetryAfterMs", options.maxRetryAfterMs, "non-negative-number");
  check("maxQueue", options.maxQueue, "positive-integer");
  check("concurrency", options.concurrency, "positive-integer");
  if (options.rateLimit) {
    check("rateLimit.perSecond", options.rateLimit.perSecond, "positive-integer");
    check("rateLimit.perMinute", options.rateLimit.perMinute, "positive-integer");
  }
}

/** The per-call subset: `timeoutMs` and `maxRetries`. */
export function checkCallOptions(options: Pick<CallOptions, "timeoutMs" | "maxRetries">): void {
  check("timeoutMs", options.timeoutMs, "positive-integer");
  check("maxRetries", options.maxRetries, "non-negative-integer");
}
