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
  checkLength(length, "excerpt()");
  return cutWithin(redact(text), length);
}

/**
 * `text` cut to `length` UTF-16 code units, never inside a surrogate pair, with `…` where it was cut; `text` itself
 * when it fits. Nothing is redacted: for a text that holds no key (a server's own words, as a mock quotes them),
 * or one redacted already. {@link excerpt} is this after {@link redact}.
 *
 * @param length the longest result before its `…`, in UTF-16 code units
 * @throws FlashdutyConfigError when `text` is not a string or `length` not a whole number, 1 or more
 * @example
 * ```ts
 * cutText("😀😀", 3); // "😀…": the second emoji is not split
 * ```
 */
export function cutText(text: string, length: number): string {
  if (typeof text !== "string") textArgument(text, "cutText()");
  checkLength(length, "cutText()");
  return cutWithin(text, length);
}

function checkLength(length: number, helper: string): void {
  if (!Number.isSafeInteger(length) || length < 1) {
    throw new FlashdutyConfigError(
      `${helper}'s length must be a whole number, 1 or more; got ${kindOf(length)}.`,
    );
  }
}

function cutWithin(text: string, length: number): string {
  if (text.length <= length) return text;
  const unit = text.charCodeAt(length - 1);
  const end = unit >= 0xd800 && unit <= 0xdbff ? length - 1 : length;
  return `${text.slice(0, end)}…`;
}
