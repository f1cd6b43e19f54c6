import { FlashdutyConfigError } from "./client-errors.js";
import { kindOf } from "./kind-of.js";
import { redact } from "./secret-registry.js";
import { textArgument } from "./text-argument.js";

/**
 * A text made safe and short enough to quote in a message: redacted whole first, then cut to `length` UTF-16
 * code units (never inside a surrogate pair), with `…` where it was cut. In that order, so that a key
 * straddling the cut is still seen whole by {@link redact}.
 *
 * @param length the longest excerpt, in UTF-16 code units @default 200
 * @throws FlashdutyConfigError when `text` is not a string or `length` not a whole number, 1 or more
 * @example
 * ```ts
 * excerpt(`upstream said: ${"x".repeat(1000)}`, 20); // "upstream said: xxxxx…"
 * ```
 */
export function excerpt(text: string, length = 200): string {
  if (typeof text !== "string") textArgument(text, "excerpt()");
  if (!Number.isSafeInteger(length) || length < 1) {
    throw new FlashdutyConfigError(
      `excerpt()'s length must be a whole number, 1 or more; got ${kindOf(length)}.`,
    );
  }
  const safe = redact(text);
  if (safe.length <= length) return safe;
  const unit = safe.charCodeAt(length - 1);
  const end = unit >= 0xd800 && unit <= 0xdbff ? length - 1 : length;
  return `${safe.slice(0, end)}…`;
}
