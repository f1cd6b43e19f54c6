import type { RateLimitOptions } from "@flash-call/testing/server";
import { positiveIntegerFlag } from "./args.js";
import { quoteInput } from "./quote-input.js";
import { UsageError } from "./usage-error.js";

/** One limit of `--rate-limit`: a count, then the window it is per. */
const LIMIT = /^\s*([^/]*)\/\s*(s|min)\s*$/i;

/**
 * Reads `flash-call mock --rate-limit`: `off` (no limits), or `N/s`, `N/min` or both, comma-separated (a window
 * not named keeps Flashduty's limit for it). `undefined` stays `undefined`: the mock's default, Flashduty's own.
 *
 * @throws UsageError naming the flag and what it got, for anything else (a count of 0, a window named twice)
 * @example
 * rateLimitFlag("10/s"); // { perSecond: 10 }
 * rateLimitFlag("off"); // false
 */
export function rateLimitFlag(value: string | undefined): RateLimitOptions | undefined {
  if (value === undefined) return undefined;
  if (value.trim().toLowerCase() === "off") return false;
  const limits: { perSecond?: number; perMinute?: number } = {};
  for (const part of value.split(",")) {
    const match = LIMIT.exec(part);
    const unit = match?.[2]?.toLowerCase();
    const window = unit === "s" ? "perSecond" : "perMinute";
    if (match === null || limits[window] !== undefined) {
      throw new UsageError(
        `--rate-limit takes off, or N/s and N/min (either or both, e.g. 100/s,1000/min), got ${quoteInput(value)}`,
        "mock",
      );
    }
    const count = positiveIntegerFlag(`--rate-limit's N/${unit}`, match[1] ?? "", "mock");
    if (count !== undefined) limits[window] = count;
  }
  return limits;
}
