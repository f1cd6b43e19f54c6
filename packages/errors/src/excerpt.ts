import { redact } from "./secret-registry.js";

/**
 * A text made safe and short enough to quote in a message: redacted whole first, then cut to `length` UTF-16
 * code units (never inside a surrogate pair), with `…` where it was cut. In that order, so that a key
 * straddling the cut is still seen whole by {@link redact}.
 *
 * @param length the longest excerpt, in UTF-16 code units @default 200
 * @example
 * ```ts
 * excerpt(`upstream said: ${"x".repeat(1000)}`, 20); // "upstream said: xxxxx…"
 * ```
 */
export function excerpt(text: string, length = 200): string {
  const safe = redact(text);
  if (safe.length <= length) return safe;
  const unit = safe.charCodeAt(length - 1);
  const end = unit >= 0xd800 && unit <= 0xdbff ? length - 1 : length;
  return `${safe.slice(0, end)}…`;
}
