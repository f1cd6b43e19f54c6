import { FlashdutyConfigError } from "@flash-call/errors";

/**
 * The longest push URL or base URL read, in characters (4096). Flashduty's push URL is about 100; a value far
 * longer is a broken or hostile setting, refused before it is parsed, rather than sent and answered with a reset
 * that would look like a network failure to retry (and, in the CLI, spool events no flush could ever deliver).
 *
 * @example
 * ```ts
 * if (url.length > MAX_URL_LENGTH) throw new FlashdutyConfigError("too long");
 * ```
 */
export const MAX_URL_LENGTH = 4096;

/**
 * Refuses a URL over {@link MAX_URL_LENGTH}, naming the setting and its length, never its text (it may hold a key).
 *
 * @param name how messages name the setting, e.g. `"FLASHDUTY_BASE_URL"`
 * @param advice what to do instead, e.g. `"copy the push URL again from the Flashduty console"`
 * @throws FlashdutyConfigError when `url` is longer
 * @example
 * ```ts
 * checkUrlLength(process.env.FLASHDUTY_BASE_URL ?? "", "FLASHDUTY_BASE_URL", "set the API origin, such as https://api.flashcat.cloud");
 * ```
 */
export function checkUrlLength(url: string, name: string, advice: string): void {
  if (url.length > MAX_URL_LENGTH) {
    throw new FlashdutyConfigError(
      `${name} is ${url.length} characters long, over the ${MAX_URL_LENGTH} a URL may have here: ${advice}.`,
    );
  }
}
