/** Below this length even four leading characters would reveal too much of the key. */
const MIN_LENGTH_TO_SHOW_PREFIX = 16;

/**
 * The printable stand-in of a secret: at most its first 4 characters followed by `…****`; keys shorter than
 * 16 characters are fully masked as `****`.
 *
 * @example
 * ```ts
 * maskKey("0123456789abcdef0123456789abcdef"); // "0123…****"
 * maskKey("short"); // "****"
 * ```
 */
export function maskKey(key: string): string {
  return key.length >= MIN_LENGTH_TO_SHOW_PREFIX ? `${key.slice(0, 4)}…****` : "****";
}
