/**
 * Characters a terminal acts on instead of showing, or that make the text shown differ from the text held:
 * C0 controls (ESC starts colour, cursor, clear-screen and title sequences; CR rewrites the line), DEL, C1
 * controls (0x9b is a one-byte CSI on some terminals), the Arabic letter mark, LRM/RLM, the line and
 * paragraph separators, the bidi embeddings and overrides U+202A–U+202E, the bidi isolates U+2066–U+2069,
 * and lone surrogates (with the `u` flag, a surrogate pair is one code point and does not match).
 * One character class, no repetition: linear in the length of the text.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]/gu;

const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function escaped(character: string): string {
  const named = NAMED[character];
  if (named !== undefined) return named;
  const code = character.charCodeAt(0);
  // C0 as \xNN, like a shell or a JS string would; everything else as \uXXXX, which is also a valid JSON
  // escape, so a JSON document (whose strings JSON.stringify leaves these characters raw in) stays valid
  // JSON meaning the same thing.
  if (code < 0x20) return `\\x${code.toString(16).padStart(2, "0")}`;
  return `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * Makes text safe to write to a terminal: every character that a terminal would act on (an escape sequence
 * that clears the screen or retitles the window, a carriage return that overwrites what was printed, a bidi
 * override that reorders it) or that cannot be shown (a lone surrogate) is replaced by a visible escape;
 * everything else, including non-ASCII text, is kept. A newline becomes `\n`, so one message stays one line.
 * Applied to JSON text it keeps it valid JSON: JSON.stringify already escaped every C0 control, and the rest
 * become `\uXXXX`.
 *
 * @example
 * escapeForTerminal("bad\u001b[2J key\r\u202e"); // "bad\\x1b[2J key\\r\\u202e"
 */
export function escapeForTerminal(text: string): string {
  // Printable ASCII only (most text: a key, an alert key, a request id) has nothing to escape. Looked at first
  // because the expression's first use compiles it, a tenth of a millisecond of every start.
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code < 0x20 || code > 0x7e) return text.replace(UNSAFE, escaped);
  }
  return text;
}
