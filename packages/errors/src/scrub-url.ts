/**
 * `integration_key` (its `_` possibly encoded as `%5F`), then `=`, `%3D` or `%253D` (encoded twice), or a JSON
 * `":"` (or `\":\"` inside a JSON string), then the value up to the next separator. Linear: a literal name starts every match, and no part of the pattern can match the
 * same character two ways.
 */
const KEY_PARAMETER = /(integration(?:_|%5F)key(?:=|%3D|%253D|"\s*:\s*"|\\"\s*:\s*\\"))[^&\s"'<>#\\]*/gi;

/** What every match of KEY_PARAMETER starts with: a text without it (most texts) is not run through the replace. */
const KEY_NAME = "integration";

/**
 * Whether `text` holds {@link KEY_NAME} in any ASCII case, as `/integration/i` finds it: a loop, because an
 * expression is compiled at its first use, at every CLI start. At most KEY_NAME.length reads per position.
 */
function mentionsKeyName(text: string): boolean {
  for (let at = 0; at + KEY_NAME.length <= text.length; at++) {
    let matched = 0;
    // `| 0x20` lower-cases an ASCII letter; no other UTF-16 unit becomes a lower-case letter by it.
    while (
      matched < KEY_NAME.length &&
      (text.charCodeAt(at + matched) | 0x20) === KEY_NAME.charCodeAt(matched)
    )
      matched++;
    if (matched === KEY_NAME.length) return true;
  }
  return false;
}

/**
 * Masks the value of every `integration_key` query parameter in a text, raw or URL-encoded, so that a
 * push URL can be quoted in a message or a log without leaking its key.
 *
 * @param text any text: a URL, an error message, a log line
 * @returns the text with each `integration_key=<value>` (or `"integration_key":"<value>"`) value replaced by `***`
 * @example
 * ```ts
 * scrubUrl("POST https://api.flashcat.cloud/event/push/alert/standard?integration_key=abc123&x=1");
 * // "POST https://api.flashcat.cloud/event/push/alert/standard?integration_key=***&x=1"
 * ```
 */
export function scrubUrl(text: string): string {
  return mentionsKeyName(text) ? text.replace(KEY_PARAMETER, "$1***") : text;
}
