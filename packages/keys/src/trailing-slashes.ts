/**
 * `text` without the slashes it ends with, in one backward scan. A `/\/+$/` replace is quadratic: on a long run of
 * slashes followed by anything else (a hostile FLASHDUTY_BASE_URL, a push URL's path) it retries the run from each
 * slash, and 50,000 of them take a second.
 *
 * @example
 * ```ts
 * withoutTrailingSlashes("https://api.flashcat.cloud//"); // "https://api.flashcat.cloud"
 * ```
 */
export function withoutTrailingSlashes(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x2f) end--;
  return end === text.length ? text : text.slice(0, end);
}
