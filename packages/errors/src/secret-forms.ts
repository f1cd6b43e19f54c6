/** A flag per ASCII code: which characters an encoder leaves as they are. */
function asciiSet(characters: string): Uint8Array {
  const set = new Uint8Array(128);
  for (let code = 0x30; code <= 0x39; code++) set[code] = 1;
  for (let code = 0x41; code <= 0x5a; code++) set[code] = 1;
  for (let code = 0x61; code <= 0x7a; code++) set[code] = 1;
  for (let at = 0; at < characters.length; at++) set[characters.charCodeAt(at)] = 1;
  return set;
}

/** The characters encodeURIComponent leaves as they are: letters, digits and these. */
const COMPONENT_SAFE = asciiSet("-_.!~*'()");
/** The characters form encoding (application/x-www-form-urlencoded, URLSearchParams) leaves as they are. */
const FORM_SAFE = asciiSet("-_.*");
const HEX_DIGITS = "0123456789ABCDEF";

/** Whether a UTF-16 code unit is a hex digit, either case. */
function isHexDigit(unit: number): boolean {
  return (unit >= 0x30 && unit <= 0x39) || (unit >= 0x41 && unit <= 0x46) || (unit >= 0x61 && unit <= 0x66);
}

/** Made on the first character that needs escaping (most keys have none), then kept. */
let utf8: TextEncoder | undefined;

function percentEncode(text: string, safe: Uint8Array, spaceAsPlus: boolean): string {
  let encoded = "";
  // for…of walks code points; a lone surrogate is encoded as U+FFFD, as URLSearchParams does. The safe characters
  // are looked up in a table: a key is registered at every CLI start, and an expression compiles at its first use.
  for (const character of text) {
    const unit = character.charCodeAt(0);
    if (unit < 128 && safe[unit] === 1) encoded += character;
    else if (spaceAsPlus && unit === 0x20) encoded += "+";
    else {
      utf8 ??= new TextEncoder();
      for (const byte of utf8.encode(character))
        encoded += `%${HEX_DIGITS[byte >> 4]}${HEX_DIGITS[byte & 15]}`;
    }
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

/**
 * `text` with `&`, `<`, `>`, `"` and `'` as HTML entities: `&` first, so that no entity is escaped again (no
 * expression: one compiles at its first use, at every CLI start).
 */
function htmlEscape(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

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
      htmlEscape(text),
      ...jsonEscapings(text),
    ]),
  ];
}

/**
 * The runs of base64 (and of URL-safe base64) that a secret's UTF-8 bytes always encode to, wherever they stand in
 * a longer encoded text: a server echoing an `Authorization: Basic` header, a token or a whole request in base64.
 * Base64 encodes three bytes as four characters, so the secret reads differently at each of the three places it
 * may start in a group; at each, only the groups made of its bytes alone are the same whatever surrounds it (the
 * groups at either end also hold a neighbour's bits). Three forms, or six when `+` or `/` appear. Never throws.
 */
export function base64Forms(text: string): string[] {
  // What btoa encodes: one character per byte. A key is ASCII (its bytes are its characters, and the CLI registers
  // one at every start); anything else is encoded to UTF-8 first.
  let binary = text;
  for (let at = 0; at < text.length; at++) {
    if (text.charCodeAt(at) > 0x7f) {
      utf8 ??= new TextEncoder();
      binary = "";
      for (const byte of utf8.encode(text)) binary += String.fromCharCode(byte);
      break;
    }
  }
  const forms = new Set<string>();
  for (let start = 0; start < 3; start++) {
    // The secret's first byte is byte `start` of its group: its first whole group starts after the rest of that one.
    const firstWhole = start === 0 ? 0 : 3 - start;
    const wholeGroups = Math.floor((binary.length - firstWhole) / 3);
    if (wholeGroups <= 0) continue;
    const encoded = btoa(binary.slice(firstWhole, firstWhole + wholeGroups * 3));
    forms.add(encoded);
    forms.add(encoded.replaceAll("+", "-").replaceAll("/", "_"));
  }
  return [...forms];
}

/** Upper-cases the two hex digits of every `%xx` escape: the same length, so positions carry over. */
export function upperCaseEscapes(text: string): string {
  let result = "";
  let from = 0;
  for (let at = text.indexOf("%"); at !== -1 && at + 2 < text.length; at = text.indexOf("%", at + 1)) {
    if (isHexDigit(text.charCodeAt(at + 1)) && isHexDigit(text.charCodeAt(at + 2))) {
      result += text.slice(from, at + 1) + text.slice(at + 1, at + 3).toUpperCase();
      from = at + 3;
    }
  }
  return from === 0 ? text : result + text.slice(from);
}
