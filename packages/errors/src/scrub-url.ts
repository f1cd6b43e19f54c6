/** `integration_key=` or its URL-encoded form `integration_key%3D`, then the value up to the next separator. */
const KEY_PARAMETER = /(integration_key(?:=|%3D))[^&\s"'<>#]*/gi;

/**
 * Masks the value of every `integration_key` query parameter in a text, raw or URL-encoded, so that a
 * push URL can be quoted in a message or a log without leaking its key.
 *
 * @param text any text: a URL, an error message, a log line
 * @returns the text with each `integration_key=<value>` replaced by `integration_key=***`
 * @example
 * ```ts
 * scrubUrl("POST https://api.flashcat.cloud/event/push/alert/standard?integration_key=abc123&x=1");
 * // "POST https://api.flashcat.cloud/event/push/alert/standard?integration_key=***&x=1"
 * ```
 */
export function scrubUrl(text: string): string {
  return text.replace(KEY_PARAMETER, "$1***");
}
