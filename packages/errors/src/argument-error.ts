import { FlashdutyConfigError } from "./client-errors.js";
import { kindOf } from "./kind-of.js";

/**
 * The `FlashdutyConfigError` an exported helper answers plain JavaScript's wrong value with: what was wrong (the
 * helper and argument), what it must be, and what it got, by {@link kindOf} (never a string's text).
 *
 * @example
 * ```ts
 * throw argumentError("sleep()'s ms", "a number", "10"); // "sleep()'s ms must be a number, not a string."
 * ```
 */
export function argumentError(what: string, expected: string, value: unknown): FlashdutyConfigError {
  return new FlashdutyConfigError(`${what} must be ${expected}, not ${kindOf(value)}.`);
}
