/**
 * Masks an integration key for records and messages: at most the first 4 characters, then `****`.
 * Keys shorter than 12 characters are masked entirely, so a short key never shows a third of itself.
 */
export function maskKey(key: string): string {
  return key.length >= 12 ? `${key.slice(0, 4)}****` : "****";
}
