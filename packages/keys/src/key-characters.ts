/**
 * Whether a UTF-16 unit is a C0 or C1 control or DEL: `[\u0000-\u001f\u007f-\u009f]`.
 *
 * @example
 * ```ts
 * isControl(0x0a); // true
 * ```
 */
export const isControl = (unit: number) => unit <= 0x1f || (unit >= 0x7f && unit <= 0x9f);

/**
 * Whether a UTF-16 unit is one `\s` matches (and `trim` removes): ECMAScript's WhiteSpace and LineTerminator.
 *
 * @example
 * ```ts
 * isWhitespace(0xa0); // true (no-break space)
 * ```
 */
export function isWhitespace(unit: number): boolean {
  if (unit <= 0x20) return unit === 0x20 || (unit >= 0x09 && unit <= 0x0d);
  if (unit < 0xa0) return false;
  return (
    unit === 0xa0 ||
    unit === 0x1680 ||
    (unit >= 0x2000 && unit <= 0x200a) ||
    unit === 0x2028 ||
    unit === 0x2029 ||
    unit === 0x202f ||
    unit === 0x205f ||
    unit === 0x3000 ||
    unit === 0xfeff
  );
}

/**
 * Whether some UTF-16 unit of `text` is one `test` accepts: a loop, where an expression would be compiled at its
 * first use, at every CLI start.
 *
 * @example
 * ```ts
 * hasUnit("a\tb", isWhitespace); // true
 * ```
 */
export function hasUnit(text: string, test: (unit: number) => boolean): boolean {
  for (let at = 0; at < text.length; at++) if (test(text.charCodeAt(at))) return true;
  return false;
}
