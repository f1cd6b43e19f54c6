import { redact } from "./secret-registry.js";

/** Deep enough for real cause chains and error bodies; deeper values are kept only if they hold no text. */
const MAX_DEPTH = 5;

/**
 * A value with every string in it passed through {@link redact}: the value itself when nothing changed, else a
 * plain copy (arrays stay arrays). Used for server bodies and for properties of causes.
 */
export function sanitizeJson(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redact(value);
  // Binary views hold no text worth scanning and may be huge.
  if (typeof value !== "object" || value === null || depth >= MAX_DEPTH || ArrayBuffer.isView(value))
    return value;
  let changed = false;
  const entries = Object.entries(value).map(([key, item]) => {
    const safe = sanitizeJson(item, depth + 1);
    if (safe !== item) changed = true;
    return [key, safe] as const;
  });
  if (!changed) return value;
  return Array.isArray(value) ? entries.map(([, item]) => item) : Object.fromEntries(entries);
}

/**
 * Makes a `cause` safe to hold: strings and plain objects are redacted; an Error whose message, stack, own
 * properties (however deep) or nested cause would print a secret is replaced by a copy (same prototype, so
 * `name` and `instanceof` survive) with those redacted. An Error that is already clean is kept as is.
 */
export function sanitizeCause(cause: unknown, depth = 0): unknown {
  if (typeof cause === "string") return redact(cause);
  if (typeof cause !== "object" || cause === null || depth >= MAX_DEPTH) return cause;
  const source = cause as Record<string, unknown>;
  if (typeof source.message !== "string") return sanitizeJson(cause, depth);
  let changed = false;
  const copy = Object.create(Object.getPrototypeOf(cause)) as Record<string, unknown>;
  const names = new Set([...Object.getOwnPropertyNames(cause), "name", "message", "stack", "cause"]);
  for (const name of names) {
    if (!(name in cause)) continue;
    const original = source[name];
    const safe = name === "cause" ? sanitizeCause(original, depth + 1) : sanitizeJson(original, depth + 1);
    if (safe !== original) changed = true;
    const enumerable = Object.getOwnPropertyDescriptor(cause, name)?.enumerable ?? false;
    Object.defineProperty(copy, name, { value: safe, enumerable, writable: true, configurable: true });
  }
  return changed ? copy : cause;
}
