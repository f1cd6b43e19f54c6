/**
 * Where each unit of a view came from: unit `i` of the view stands for the units `starts[i]` to `ends[i] - 1` of
 * the text the first view was made from.
 */
export interface ViewSpans {
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

/** A text as a secret could be read in it: decoded and case-folded, with where each of its units came from. */
export interface TextView {
  readonly text: string;
  /** `undefined`: the view is the text itself, unit for unit. */
  readonly spans: ViewSpans | undefined;
}

/** Each BMP unit's lower-case unit (or itself when it has none of one unit), made on the first non-ASCII unit. */
let foldTable: Uint16Array | undefined;

/**
 * The unit a secret's unit and a text's unit are compared by: the lower case of its upper case when each is one
 * unit (`A`→`a`, `Ü`→`ü`, `µ`→`μ`, `ı`→`i`), else itself. Per unit, so positions carry over; letters outside the
 * BMP (a surrogate pair) are compared as they are.
 */
export function foldUnit(unit: number): number {
  if (unit < 0x80) return unit >= 0x41 && unit <= 0x5a ? unit + 0x20 : unit;
  foldTable ??= new Uint16Array(0x10000);
  let folded = foldTable[unit] as number;
  if (folded === 0) {
    // Through the upper case first: µ, ı, ſ and ς upper-case to letters whose lower case is not themselves.
    const character = String.fromCharCode(unit);
    const upper = character.toUpperCase();
    const lower = (upper.length === 1 ? upper : character).toLowerCase();
    folded = lower.length === 1 ? lower.charCodeAt(0) : unit;
    foldTable[unit] = folded;
  }
  return folded;
}

/** A string of UTF-16 units, lone surrogates kept (a TextDecoder would replace them), in chunks the stack takes. */
function stringOf(units: Uint16Array, length: number): string {
  let text = "";
  for (let from = 0; from < length; from += 8192) {
    text += String.fromCharCode.apply(null, units.subarray(from, Math.min(from + 8192, length)) as never);
  }
  return text;
}

const NON_ASCII = /[\u0080-\uffff]/;

/**
 * `text` with every unit folded by {@link foldUnit}. An ASCII text is lower-cased by the runtime (the same, unit
 * for unit, and many times faster than a unit at a time; a text already in lower case is returned as it is).
 */
export function foldText(text: string): string {
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  const units = new Uint16Array(text.length);
  for (let index = 0; index < text.length; index++) units[index] = foldUnit(text.charCodeAt(index));
  return stringOf(units, text.length);
}

const hexValue = (unit: number): number => {
  if (unit >= 0x30 && unit <= 0x39) return unit - 0x30;
  const lower = unit | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
};

/** The value of `count` hex digits of `text` from `at`, or -1. */
function hexAt(text: string, at: number, count: number): number {
  if (at + count > text.length) return -1;
  let value = 0;
  for (let index = at; index < at + count; index++) {
    const digit = hexValue(text.charCodeAt(index));
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/** How many units the escape read by the last {@link escapeAt} took. */
let escapeLength = 0;

/** `%XX`, and the `%XX` bytes of one UTF-8 character: its code point, or -1. */
function percentAt(text: string, at: number): number {
  const lead = hexAt(text, at + 1, 2);
  if (lead < 0) return -1;
  if (lead < 0x80) {
    escapeLength = 3;
    return lead;
  }
  const count =
    lead >= 0xf0 && lead <= 0xf4
      ? 4
      : lead >= 0xe0 && lead <= 0xef
        ? 3
        : lead >= 0xc2 && lead <= 0xdf
          ? 2
          : 0;
  if (count === 0) return -1;
  let codePoint = lead & (0xff >> (count + 1));
  for (let byte = 1; byte < count; byte++) {
    const next = text.charCodeAt(at + 3 * byte) === 0x25 ? hexAt(text, at + 3 * byte + 1, 2) : -1;
    if (next < 0x80 || next > 0xbf) return -1;
    codePoint = (codePoint << 6) | (next & 0x3f);
  }
  const least = count === 2 ? 0x80 : count === 3 ? 0x800 : 0x10000;
  if (codePoint < least || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return -1;
  escapeLength = 3 * count;
  return codePoint;
}

/**
 * Digits of `radix` from `at`, at most `most` of them (then an optional `;` when `semicolon`): the value, or -1
 * (no digit, zero, past U+10FFFF).
 */
function referenceAt(text: string, at: number, radix: 10 | 16, most: number, semicolon: boolean): number {
  let value = 0;
  let end = at;
  // Leading zeros are allowed in any number (HTML, ECMAScript): the digit limit counts from the first other digit.
  while (text.charCodeAt(end) === 0x30) end++;
  const limit = end + most;
  for (; end < text.length && end < limit; end++) {
    const unit = text.charCodeAt(end);
    const digit = radix === 16 ? hexValue(unit) : unit >= 0x30 && unit <= 0x39 ? unit - 0x30 : -1;
    if (digit < 0) break;
    value = value * radix + digit;
  }
  if (end === at || value === 0 || value > 0x10ffff) return -1;
  escapeLength = end - at + (semicolon && text.charCodeAt(end) === 0x3b ? 1 : 0);
  return value;
}

const NAMED_REFERENCES: ReadonlyArray<readonly [string, number]> = [
  ["&amp;", 0x26],
  ["&lt;", 0x3c],
  ["&gt;", 0x3e],
  ["&quot;", 0x22],
  ["&apos;", 0x27],
];

/**
 * `&#NN;`, `&#xHH;` (the `;` optional, as browsers read them) and the five named references of XML, in any case
 * (HTML reads `&AMP;` too).
 */
function entityAt(text: string, at: number): number {
  if (text.charCodeAt(at + 1) === 0x23) {
    const hex = (text.charCodeAt(at + 2) | 0x20) === 0x78;
    const codePoint = referenceAt(text, at + (hex ? 3 : 2), hex ? 16 : 10, hex ? 6 : 7, true);
    if (codePoint >= 0) escapeLength += hex ? 3 : 2;
    return codePoint;
  }
  for (const [name, codePoint] of NAMED_REFERENCES) {
    if (text.slice(at, at + name.length).toLowerCase() === name) {
      escapeLength = name.length;
      return codePoint;
    }
  }
  return -1;
}

/**
 * `\uXXXX` (one unit, a surrogate too), `\u{…}`, `\xXX`, and `\` before `/ " ' \``: the value, or -1. Not the
 * control escapes (`\n`, `\t` …): read as escapes, they would take the letter after a backslash from a key written
 * there (`\toString` holds the key `toString`). Not `\\`: that is the "doubled" kind, decoded in a view of its own
 * before this one, so that `\\u0061` is read both as JSON escaped twice (an `a`) and as a backslash before an
 * escaped `a`.
 */
function backslashAt(text: string, at: number): number {
  const kind = text.charCodeAt(at + 1);
  if (kind === 0x75) {
    if (text.charCodeAt(at + 2) === 0x7b) {
      const codePoint = referenceAt(text, at + 3, 16, 6, false);
      if (codePoint < 0 || text.charCodeAt(at + 3 + escapeLength) !== 0x7d) return -1;
      escapeLength += 4;
      return codePoint;
    }
    const unit = hexAt(text, at + 2, 4);
    if (unit >= 0) escapeLength = 6;
    return unit;
  }
  if (kind === 0x78) {
    const unit = hexAt(text, at + 2, 2);
    if (unit >= 0) escapeLength = 4;
    return unit;
  }
  if (kind === 0x2f || kind === 0x22 || kind === 0x27 || kind === 0x60) {
    escapeLength = 2;
    return kind;
  }
  return -1;
}

/** `\\`: a backslash. */
function doubledBackslashAt(text: string, at: number): number {
  if (text.charCodeAt(at + 1) !== 0x5c) return -1;
  escapeLength = 2;
  return 0x5c;
}

/**
 * The kinds of escape a view decodes, one kind at a time: a reader undoes one layer of one kind at a time (a URL
 * decoded, then the HTML it was in), and an escape made by one layer can run into text the next layer reads.
 */
export type EscapeKind = "percent" | "reference" | "doubled" | "backslash";

/** Every kind, in the order a round of views decodes them (see decodeView): `\\` before the other backslash escapes. */
export const ESCAPE_KINDS: readonly EscapeKind[] = ["percent", "reference", "doubled", "backslash"];

const ESCAPE_START: Record<EscapeKind, string> = {
  percent: "%",
  reference: "&",
  doubled: "\\",
  backslash: "\\",
};

/** The code point (or lone unit) an escape of `kind` at `at` stands for, its length in {@link escapeLength}; or -1. */
function escapeAt(text: string, at: number, kind: EscapeKind): number {
  if (kind === "percent") return percentAt(text, at);
  if (kind === "reference") return entityAt(text, at);
  return kind === "doubled" ? doubledBackslashAt(text, at) : backslashAt(text, at);
}

/** Where the first escape of `kind` that decodes starts: -1 when there is none. */
function firstEscape(text: string, kind: EscapeKind): number {
  const start = ESCAPE_START[kind];
  for (let at = text.indexOf(start); at !== -1; at = text.indexOf(start, at + 1)) {
    if (escapeAt(text, at, kind) >= 0) return at;
  }
  return -1;
}

/**
 * The view with every escape of one kind decoded once: percent-encoding (any case of hex, UTF-8 sequences whole),
 * HTML character references, or JSON and JavaScript backslash escapes; each decoded unit spans its whole escape.
 * `undefined` when the view holds no such escape. Linear: each step reads at most one escape of at most 12 units.
 * Three rounds of the four kinds read any nesting of up to three layers, whatever their order.
 *
 * @example
 * ```ts
 * decodeView({ text: "%2561", spans: undefined }, "percent")?.text; // "%61"
 * ```
 */
export function decodeView(view: TextView, kind: EscapeKind): TextView | undefined {
  const { text, spans } = view;
  let next = firstEscape(text, kind);
  if (next === -1) return undefined;
  const startUnit = ESCAPE_START[kind];
  // A decoded escape is never longer than the escape, so the view is at most as long as the text.
  const starts = new Int32Array(text.length);
  const ends = new Int32Array(text.length);
  let decoded = "";
  let length = 0;
  let at = 0;
  // Runs between escapes are copied whole (a slice of the text, their spans in one copy): an answer may be
  // 64 KiB of them.
  const copyRun = (to: number) => {
    decoded += text.slice(at, to);
    if (spans === undefined) {
      for (let index = at; index < to; index++, length++) {
        starts[length] = index;
        ends[length] = index + 1;
      }
    } else {
      starts.set(spans.starts.subarray(at, to), length);
      ends.set(spans.ends.subarray(at, to), length);
      length += to - at;
    }
    at = to;
  };
  while (next !== -1) {
    copyRun(next);
    const codePoint = escapeAt(text, at, kind);
    if (codePoint < 0) copyRun(at + 1);
    else {
      const start = spans === undefined ? at : (spans.starts[at] as number);
      const end = spans === undefined ? at + escapeLength : (spans.ends[at + escapeLength - 1] as number);
      const character = String.fromCodePoint(codePoint);
      decoded += character;
      for (let unit = 0; unit < character.length; unit++, length++) {
        starts[length] = start;
        ends[length] = end;
      }
      at += escapeLength;
    }
    next = text.indexOf(startUnit, at);
  }
  copyRun(text.length);
  return { text: decoded, spans: { starts, ends } };
}

/** A letter with another case, a non-ASCII unit, or a unit an escape starts with. */
const READS_DIFFERENTLY = /[A-Z%&\\\u0080-\uffff]/;

/**
 * Whether a text could read differently in some view: it holds a letter with another case, a non-ASCII unit, or
 * a unit an escape starts with. Most texts (an answer of lower-case JSON) do not, and need no view. An expression,
 * not a loop over the units: a character class is matched several times faster, and compiles in microseconds.
 */
export const mayReadDifferently = (text: string): boolean => READS_DIFFERENTLY.test(text);
