/**
 * Counting and cutting a string by Unicode code points, as Flashduty counts lengths, walking its UTF-16 units:
 * a surrogate pair is one code point and a lone surrogate is one too, as string iteration (`[...text]`) counts.
 * Neither builds an array of the whole string (one entry per character would exhaust the heap for a value of
 * some tens of MiB): counting allocates nothing, cutting only what it keeps.
 */

/** Whether the UTF-16 units at `index` and the next one of `text` are a surrogate pair. */
const isPair = (text: string, index: number) =>
  (text.charCodeAt(index) & 0xfc00) === 0xd800 && (text.charCodeAt(index + 1) & 0xfc00) === 0xdc00;

/**
 * The length of `text` in Unicode code points.
 *
 * @example
 * ```ts
 * codePointLength("a😀"); // 2
 * ```
 */
export function codePointLength(text: string): number {
  let pairs = 0;
  for (let index = 0; index < text.length; index++) {
    if (isPair(text, index)) {
      pairs++;
      index++;
    }
  }
  return text.length - pairs;
}

/**
 * The first `limit` code points of `text`, never half a surrogate pair. A copy: in V8 a slice of a long string
 * keeps the whole string alive, and a truncated value may outlive it (a queued event).
 *
 * @example
 * ```ts
 * firstCodePoints("a😀b", 2); // "a😀"
 * ```
 */
export function firstCodePoints(text: string, limit: number): string {
  let end = 0;
  for (let kept = 0; kept < limit && end < text.length; kept++) end += isPair(text, end) ? 2 : 1;
  return text.slice(0, end).split("").join("");
}
