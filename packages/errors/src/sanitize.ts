import { redact } from "./secret-registry.js";

/** Deep enough for real cause chains and error bodies; deeper values are kept only if they hold no text. */
const MAX_DEPTH = 5;

/**
 * Makes a value safe to hold in an error (a server body, a `cause`): every string in it, however deep, passes
 * through {@link redact}. The value itself is returned when nothing changed; otherwise a copy with the same
 * prototype (so an Error keeps its `name` and `instanceof`, an array stays an array) and the redacted values.
 */
export function sanitize(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redact(value);
  // Binary views hold no text worth scanning and may be huge.
  if (typeof value !== "object" || value === null || depth >= MAX_DEPTH || ArrayBuffer.isView(value))
    return value;
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
