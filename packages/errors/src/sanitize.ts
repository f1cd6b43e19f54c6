import { redact } from "./secret-registry.js";

/** Deep enough for real cause chains and error bodies; a deeper object is replaced by a note, unscanned. */
const MAX_DEPTH = 5;
const TOO_DEEP = "[flash-call: nested too deeply to be checked for secrets; omitted]";
/** What stands for a value that could not be read (a throwing getter, a revoked Proxy): it is not kept. */
const UNREADABLE = "[flash-call: unreadable; omitted]";
/** An error's text is in properties that are not enumerable (message, stack) or inherited (name): named too. */
const ERROR_FIELDS = ["name", "message", "stack", "cause"];

/**
 * Makes a value safe to hold in an error or hand back to a caller (a server body, a `cause`): every string in it,
 * however deep, and every property name passes through {@link redact}, on the whole string, before anything
 * cuts it. The value itself is returned when nothing changed; otherwise a copy with the same prototype (so an
 * Error keeps its `name` and `instanceof`, an array stays an array) and the redacted values. Never throws:
 * a property whose read throws (a getter, a Proxy trap), and a value that cannot be walked, become a note.
 *
 * @example
 * ```ts
 * const safe = sanitize(await response.json()); // every string (and name) in it redacted
 * ```
 */
export function sanitize(value: unknown, depth = 0): unknown {
  try {
    return sanitizeOrThrow(value, depth);
  } catch {
    return UNREADABLE;
  }
}

function sanitizeOrThrow(value: unknown, depth: number): unknown {
  if (typeof value === "string") return redact(value);
  // Binary views hold no text worth scanning and may be huge.
  if (typeof value !== "object" || value === null || ArrayBuffer.isView(value)) return value;
  if (depth >= MAX_DEPTH) return TOO_DEEP;
  // Their text is not in own properties: a URL's is in getters, a Map's and a Set's in their entries.
  if (value instanceof URL) return redact(value.href);
  if (value instanceof Map || value instanceof Set) {
    const entries = [...value].map((entry) => sanitize(entry, depth + 1));
    return value instanceof Map ? new Map(entries as Array<[unknown, unknown]>) : new Set(entries);
  }
  const source = value as Record<string, unknown>;
  const isArray = Array.isArray(value);
  const names = isArray
    ? Object.keys(value)
    : new Set([...Object.getOwnPropertyNames(value), ...ERROR_FIELDS]);
  const copy = isArray ? [] : Object.create(Object.getPrototypeOf(value));
  let changed = false;
  for (const name of names) {
    if (!(name in value)) continue;
    let original: unknown;
    let safe: unknown;
    try {
      original = source[name];
      safe = sanitize(original, depth + 1);
    } catch {
      safe = UNREADABLE;
    }
    // A server's JSON may carry a key as a property name, too.
    const safeName = isArray ? name : redact(name);
    if (safe !== original || safeName !== name) changed = true;
    const enumerable = Object.getOwnPropertyDescriptor(value, name)?.enumerable ?? false;
    Object.defineProperty(copy, safeName, { value: safe, enumerable, writable: true, configurable: true });
  }
  return changed ? copy : value;
}

/**
 * `sanitize(value)` for a value JSON.parse made from `text` (or `text` itself, where it was not JSON), without
 * walking the value when the text shows the walk would change nothing: when `text` has no `\` (so every string
 * and name in the value is a run of the text as it is, between quotes), nests at most {@link MAX_DEPTH} deep (so
 * nothing is cut as too deep) and {@link redact} leaves the whole of it unchanged (a piece of a key, or an
 * `integration_key` value, inside one of those runs would be inside the text too), and `Object.prototype` has
 * none of the error fields `sanitize` also reads (they would be inherited by every parsed object). Otherwise it
 * is `sanitize`.
 * A server's success answer is about 100 bytes of such text: this is one scan of it instead of a walk.
 *
 * @param value what `JSON.parse(text)` returned, or `text`; anything else is not covered by the check
 * @example
 * ```ts
 * const safe = sanitizeParsedJson(JSON.parse(text), text); // the parsed value itself when it holds no secret
 * ```
 */
export function sanitizeParsedJson(value: unknown, text: string): unknown {
  if (
    typeof value === "object" &&
    value !== null &&
    !ERROR_FIELDS.some((name) => name in Object.prototype) &&
    nestsPlainly(text) &&
    redact(text) === text
  )
    return value;
  return sanitize(value);
}

/** Whether `text` has no backslash and no bracket nested deeper than MAX_DEPTH outside a string. */
function nestsPlainly(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let at = 0; at < text.length; at++) {
    const unit = text.charCodeAt(at);
    // 0x5c "\": an escape could spell a key that is not in the text as it is.
    if (unit === 0x5c) return false;
    if (unit === 0x22) inString = !inString;
    else if (inString) continue;
    else if (unit === 0x7b || unit === 0x5b) {
      depth++;
      if (depth > MAX_DEPTH) return false;
    } else if (unit === 0x7d || unit === 0x5d) depth--;
  }
  return true;
}
