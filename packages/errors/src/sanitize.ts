import { redact } from "./secret-registry.js";

/** Deep enough for real cause chains and error bodies; a deeper object is replaced by a note, unscanned. */
const MAX_DEPTH = 5;
const TOO_DEEP = "[flash-call: nested too deeply to be checked for secrets; omitted]";

/**
 * Makes a value safe to hold in an error (a server body, a `cause`): every string in it, however deep, passes
 * through {@link redact}. The value itself is returned when nothing changed; otherwise a copy with the same
 * prototype (so an Error keeps its `name` and `instanceof`, an array stays an array) and the redacted values.
 */
export function sanitize(value: unknown, depth = 0): unknown {
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
  // An error's text is in properties that are not enumerable (message, stack) or inherited (name): name them.
  const names = Array.isArray(value)
    ? Object.keys(value)
    : new Set([...Object.getOwnPropertyNames(value), "name", "message", "stack", "cause"]);
  const copy = Array.isArray(value) ? [] : Object.create(Object.getPrototypeOf(value));
  let changed = false;
  for (const name of names) {
    if (!(name in value)) continue;
    const original = source[name];
    const safe = sanitize(original, depth + 1);
    if (safe !== original) changed = true;
    const enumerable = Object.getOwnPropertyDescriptor(value, name)?.enumerable ?? false;
    Object.defineProperty(copy, name, { value: safe, enumerable, writable: true, configurable: true });
  }
  return changed ? copy : value;
}
