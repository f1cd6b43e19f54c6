import { textArgument } from "./text-argument.js";

/**
 * `integration_key` (its `_` possibly encoded as `%5F`), then `=`, `%3D` or `%253D` (encoded twice), or a JSON
 * `":"` (or `\":\"` inside a JSON string), then the value up to the next separator. Linear: a literal name starts every match, and no part of the pattern can match the
 * same character two ways.
 */
const KEY_PARAMETER = /(integration(?:_|%5F)key(?:=|%3D|%253D|"\s*:\s*"|\\"\s*:\s*\\"))[^&\s"'<>#\\]*/gi;

/**
 * What every match of KEY_PARAMETER starts with, in any ASCII case: a text without it (most texts) is not run
 * through the replace. Looked for lower-cased, not with a case-blind expression (compiled at its first use, at every
 * CLI start): no other character lower-cases into these letters without a combining mark after it.
 */
const KEY_NAME = "integration";

/**
 * Masks the value of every `integration_key` query parameter in a text, raw or URL-encoded, so that a
 * push URL can be quoted in a message or a log without leaking its key.
 *
 * @param text any text: a URL, an error message, a log line
 * @throws FlashdutyConfigError when `text` is not a string
 * @returns the text with each `integration_key=<value>` (or `"integration_key":"<value>"`) value replaced by `***`
 * @example
 * ```ts
 * scrubUrl("POST https://api.flashcat.cloud/event/push/alert/standard?integration_key=abc123&x=1");
 * // "POST https://api.flashcat.cloud/event/push/alert/standard?integration_key=***&x=1"
 * ```
 */
export function scrubUrl(text: string): string {
  if (typeof text !== "string") textArgument(text, "scrubUrl()");
  return text.toLowerCase().includes(KEY_NAME) ? text.replace(KEY_PARAMETER, "$1***") : text;
}
