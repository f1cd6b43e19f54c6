/**
 * What a value is, for a message, without calling any of its code (no getter, no Proxy trap, no `toString`). Never
 * the text of a string: it may be a key.
 *
 * @example
 * ```ts
 * kindOf(Symbol()); // "a symbol"
 * kindOf(42); // "42"
 * kindOf(null); // "null"
 * ```
 */
export function kindOf(value: unknown): string {
  if (value === null || typeof value === "number") return String(value);
  return Array.isArray(value) ? "an array" : typeof value === "object" ? "an object" : `a ${typeof value}`;
}
