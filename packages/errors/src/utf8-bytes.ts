/**
 * Calls `visit` with each byte of `text` in UTF-8, as `new TextEncoder().encode(text)` would give them (a lone
 * surrogate as U+FFFD, EF BF BD), without allocating an encoder or a byte array: the key forms and the key
 * fingerprint are built at every CLI start.
 *
 * @param from the first UTF-16 unit to encode @default 0
 * @param to the unit after the last one @default text.length
 * @example
 * ```ts
 * const bytes: number[] = [];
 * forEachUtf8Byte("é", (byte) => bytes.push(byte)); // bytes: [0xc3, 0xa9]
 * ```
 */
export function forEachUtf8Byte(
  text: string,
  visit: (byte: number) => void,
  from = 0,
  to = text.length,
): void {
  for (let at = from; at < to; at++) {
    let point = text.charCodeAt(at);
    if (point >= 0xd800 && point <= 0xdfff) {
      const next = at + 1 < to ? text.charCodeAt(at + 1) : 0;
      if (point <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        point = 0x10000 + ((point - 0xd800) << 10) + (next - 0xdc00);
        at++;
      } else point = 0xfffd;
    }
    if (point < 0x80) visit(point);
    else if (point < 0x800) {
      visit(0xc0 | (point >> 6));
      visit(0x80 | (point & 0x3f));
    } else if (point < 0x10000) {
      visit(0xe0 | (point >> 12));
      visit(0x80 | ((point >> 6) & 0x3f));
      visit(0x80 | (point & 0x3f));
    } else {
      visit(0xf0 | (point >> 18));
      visit(0x80 | ((point >> 12) & 0x3f));
      visit(0x80 | ((point >> 6) & 0x3f));
      visit(0x80 | (point & 0x3f));
    }
  }
}
