import { FlashdutyConfigError } from "@flash-call/errors";
import type { CallOptions, FlashCallOptions } from "./options.js";

/** What a numeric option must be: a whole number or any number (Infinity included), and its least value. */
type Rule = readonly [whole: boolean, least: 0 | 1];
/** The rules of an options object; a nested object (`backoff`, `rateLimit`) has its own. */
type Rules = { readonly [name: string]: Rule | Rules };

const CALL_RULES: Rules = { timeoutMs: [true, 1], maxRetries: [true, 0] };
const OPTION_RULES: Rules = {
  ...CALL_RULES,
  backoff: { baseMs: [false, 0], maxMs: [false, 0] },
  maxRetryAfterMs: [false, 0],
  maxQueue: [true, 1],
  concurrency: [true, 1],
  rateLimit: { perSecond: [true, 1], perMinute: [true, 1] },
};

function check(options: object, rules: Rules, prefix = ""): void {
  for (const [name, rule] of Object.entries(rules)) {
    const value = (options as Record<string, unknown>)[name];
    if (!Array.isArray(rule)) {
      // `rateLimit: false` (no pacing) or no `backoff`: nothing to check.
      if (typeof value === "object" && value !== null) check(value, rule as Rules, `${prefix}${name}.`);
      continue;
    }
    const [whole, least] = rule as Rule;
    // `!(value >= least)` also refuses NaN.
    if (
      value !== undefined &&
      (typeof value !== "number" || !(value >= least) || (whole && !Number.isSafeInteger(value)))
    ) {
      throw new FlashdutyConfigError(
        `${prefix}${name} must be ${whole ? "a whole number" : "a number"}, ${least} or more; got ${String(value)}.`,
      );
    }
  }
}

/**
 * Rejects numeric settings that could only hang or crash later (a concurrency of 0 never sends, a rate of 0 never
 * paces a request through, a fractional timeout throws inside the runtime): at creation, with a clear message.
 */
export function checkOptions(options: FlashCallOptions): void {
  check(options, OPTION_RULES);
}

/** The per-call subset: `timeoutMs` and `maxRetries`. */
export function checkCallOptions(options: Pick<CallOptions, "timeoutMs" | "maxRetries">): void {
  // Most calls set neither: skip the walk on the hot path.
  if (options.timeoutMs !== undefined || options.maxRetries !== undefined) check(options, CALL_RULES);
}
