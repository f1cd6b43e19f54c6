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
 * Whether a UTF-16 unit is one `\s` matches: one `trim` removes, since both are ECMAScript's WhiteSpace and
 * LineTerminator.
 *
 * @example
 * ```ts
 * isWhitespace(0xa0); // true (no-break space)
 * ```
 */
export const isWhitespace = (unit: number) => String.fromCharCode(unit).trim() === "";

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
