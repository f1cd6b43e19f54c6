/** The length of a piece of a key found in a URL: the redaction registry's window, so both judge alike. */
const PIECE = 8;

/** The URL's texts a key may be written in: as it is, and with its percent escapes decoded. */
function views(url: string): string[] {
  const lower = url.toLowerCase();
  try {
    const decoded = decodeURIComponent(url).toLowerCase();
    return decoded === lower ? [lower] : [lower, decoded];
  } catch {
    // A stray "%" is no escape: the text as it is is all there is to read.
    return [lower];
  }
}

/**
 * Whether `url` holds `key`, or any piece of it of 8 or more characters, in any case of its letters, raw or
 * percent-encoded. Only this key is looked for, not every secret the process registered: a secret that happens to
 * begin with `https://` must not make every URL look like it holds a key. A key under 8 characters is not looked
 * for (it could be any word of a path). Linear in the lengths of both: the key's pieces are put in a set once, and
 * each piece of the URL looked up in it.
 *
 * @example
 * ```ts
 * holdsKey("https://gw.example/0a1b2c3d4e5f6789", "0a1b2c3d4e5f6789"); // true
 * holdsKey("https://api.flashcat.cloud", "0a1b2c3d4e5f6789"); // false
 * ```
 */
export function holdsKey(url: string, key: string): boolean {
  if (key.length < PIECE) return false;
  const lowerKey = key.toLowerCase();
  const pieces = new Set<string>();
  for (let at = 0; at + PIECE <= lowerKey.length; at++) pieces.add(lowerKey.slice(at, at + PIECE));
  for (const text of views(url)) {
    for (let at = 0; at + PIECE <= text.length; at++) {
      if (pieces.has(text.slice(at, at + PIECE))) return true;
    }
  }
  return false;
}
