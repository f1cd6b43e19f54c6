/** The characters encodeURIComponent leaves as they are. */
const COMPONENT_SAFE = /^[A-Za-z0-9\-_.!~*'()]$/;
/** The characters form encoding (application/x-www-form-urlencoded, URLSearchParams) leaves as they are. */
const FORM_SAFE = /^[A-Za-z0-9\-_.*]$/;
const HEX_PAIR = /^[0-9a-fA-F]{2}$/;

function percentEncode(text: string, safe: RegExp, spaceAsPlus: boolean): string {
  const utf8 = new TextEncoder();
  let encoded = "";
  // for…of walks code points; a lone surrogate is encoded as U+FFFD, as URLSearchParams does.
  for (const character of text) {
    if (safe.test(character)) encoded += character;
    else if (spaceAsPlus && character === " ") encoded += "+";
    else
      for (const byte of utf8.encode(character))
        encoded += `%${byte.toString(16).padStart(2, "0").toUpperCase()}`;
  }
  return encoded;
}

/**
 * The forms a secret takes once percent-encoded by the usual encoders, with upper-case hex: encodeURIComponent,
 * form encoding (URLSearchParams: space as `+`, more characters escaped), and form encoding with `%20` for a
 * space. Lower- and mixed-case escapes are matched by comparing through {@link upperCaseEscapes}. Never throws,
 * not even on a lone surrogate (where encodeURIComponent throws URIError).
 */
export function percentEncodings(text: string): string[] {
  return [
    ...new Set([
      percentEncode(text, COMPONENT_SAFE, false),
      percentEncode(text, FORM_SAFE, true),
      percentEncode(text, FORM_SAFE, false),
    ]),
  ];
}

/**
 * The forms a secret takes inside a JSON string that was not parsed (a cut or malformed body): as
 * JSON.stringify writes it, and with every non-ASCII character and `<`, `>`, `&` as `\uXXXX` (Python's
 * `ensure_ascii`, Go's HTML-safe encoder).
 */
function jsonEscapings(text: string): string[] {
  const plain = JSON.stringify(text).slice(1, -1);
  let ascii = "";
  for (let index = 0; index < plain.length; index++) {
    const unit = plain.charCodeAt(index);
    ascii +=
      unit > 0x7e || unit === 0x3c || unit === 0x3e || unit === 0x26
        ? `\\u${unit.toString(16).padStart(4, "0")}`
        : plain[index];
  }
  return [...new Set([plain, ascii])];
}

const HTML_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * The forms a secret takes as written back by a server or a page, without percent-encoding: itself, lower-cased
 * (a URL's host is), with `+` read as a space (form decoding of a raw `+`), HTML-escaped (an error page quoting
 * the request), and JSON-escaped (see {@link jsonEscapings}).
 */
export function textForms(text: string): string[] {
  return [
    ...new Set([
      text,
      text.toLowerCase(),
      text.replaceAll("+", " "),
      text.replace(/[&<>"']/g, (character) => HTML_ENTITIES[character] ?? character),
      ...jsonEscapings(text),
    ]),
  ];
}

/** Upper-cases the two hex digits of every `%xx` escape: the same length, so positions carry over. */
export function upperCaseEscapes(text: string): string {
  let result = "";
  let from = 0;
  for (let at = text.indexOf("%"); at !== -1 && at + 2 < text.length; at = text.indexOf("%", at + 1)) {
    const digits = text.slice(at + 1, at + 3);
    if (HEX_PAIR.test(digits)) {
      result += text.slice(from, at + 1) + digits.toUpperCase();
      from = at + 3;
    }
  }
  return from === 0 ? text : result + text.slice(from);
}
