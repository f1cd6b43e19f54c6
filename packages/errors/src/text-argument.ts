import { FlashdutyConfigError } from "./client-errors.js";
import { kindOf } from "./kind-of.js";

/**
 * `value` when it is a string; else the `FlashdutyConfigError` a helper given plain JavaScript's anything answers
 * with, naming the helper and what it got (never the value's text).
 *
 * @example
 * ```ts
 * const text = textArgument(given, "redact()"); // throws "redact() takes a string, not an object."
 * ```
 */
export function textArgument(value: unknown, helper: string): string {
  if (typeof value === "string") return value;
  throw new FlashdutyConfigError(`${helper} takes a string, not ${kindOf(value)}.`);
}
