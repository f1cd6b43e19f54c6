/**
 * Helpers for values a caller passed in, which may be anything (a Proxy, a getter that throws, a lone surrogate):
 * they describe and test such values without calling any of their code.
 */

/** A non-array object, whose fields can be read by name. */
export const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * What a value is, for a message, without calling anything on it. Never the text of a string: it may be a key.
 *
 * @example
 * ```ts
 * kindOf(Symbol()); // "a symbol"
 * kindOf(42); // "42"
 * ```
 */
export function kindOf(value: unknown): string {
  if (value === null || typeof value === "number") return String(value);
  return Array.isArray(value) ? "an array" : typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/**
 * A user's text as it may appear in a message: at most 64 UTF-16 units, control characters and lone surrogates
 * escaped (as JSON escapes them), so the message stays one short line whatever the input.
 *
 * @example
 * ```ts
 * printable("a\nb"); // "a\\nb"
 * ```
 */
export const printable = (text: string): string =>
  JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text).slice(1, -1);

const isWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;

/**
 * Whether `text` holds a lone UTF-16 surrogate (half of an emoji, as from a string cut with `slice`): JSON carries
 * it, but Flashduty's decoder would silently replace it with U+FFFD. encodeURIComponent refuses exactly those,
 * and `String.prototype.isWellFormed` finds exactly those.
 *
 * @example
 * ```ts
 * hasLoneSurrogate("😀".slice(0, 1)); // true
 * ```
 */
export function hasLoneSurrogate(text: string): boolean {
  // isWellFormed (Node 20, Bun, Deno, every current browser) answers without building the encoded copy.
  if (typeof isWellFormed === "function") return !isWellFormed.call(text);
  try {
    encodeURIComponent(text);
    return false;
  } catch {
    return true;
  }
}
