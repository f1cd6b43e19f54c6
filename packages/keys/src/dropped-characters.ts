import { FlashdutyConfigError } from "@flash-call/errors";

/**
 * Refuses a tab or line break inside a URL (blanks around it are trimmed, as no part of it). The WHATWG URL parser
 * removes every tab, CR and LF wherever it stands, so a value wrapped across lines in a YAML file or pasted with one
 * would be sent as another URL, with another key, without a word: a `401` to chase instead of a setting to fix. The
 * message names the position, never the text (it may hold a key).
 *
 * @param url the URL as given
 * @param name how messages name the setting, e.g. `"FLASHDUTY_PUSH_URL"`
 * @param advice what to do instead, e.g. `"copy the push URL again from the Flashduty console"`
 * @throws FlashdutyConfigError when the URL, trimmed, holds a tab, CR or LF
 * @example
 * ```ts
 * refuseDroppedCharacters("https://api.flashcat.cloud/event/push/alert/standard?integration_key=ab\ncd", "The push URL", "…");
 * // FlashdutyConfigError: The push URL has a line break or tab inside it (character 70), …
 * ```
 */
export function refuseDroppedCharacters(url: string, name: string, advice: string): void {
  const trimmed = url.trim();
  for (let index = 0; index < trimmed.length; index++) {
    const unit = trimmed.charCodeAt(index);
    if (unit === 0x09 || unit === 0x0a || unit === 0x0d) {
      throw new FlashdutyConfigError(
        `${name} has a line break or tab inside it (character ${index + 1} of ${trimmed.length}, blanks around it aside), which would be dropped without a word and another URL sent: remove it, or ${advice}.`,
      );
    }
  }
}
