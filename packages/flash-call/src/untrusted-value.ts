/**
 * Helpers for values a caller passed in, which may be anything (a Proxy, a getter that throws, a lone surrogate):
 * they describe and test such values without calling any of their code.
 */

/** A non-array object, whose fields can be read by name. */
export const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

// One description of a value for every package's messages: the errors package's.
export { kindOf } from "@flash-call/errors";

/**
 * A user's text as it may appear in a message: at most 64 UTF-16 units, control characters and lone surrogates
 * escaped (as JSON escapes them), so the message stays one short line whatever the input.
 *
 * @example
 * ```ts
 * printable("a\nb"); // "a\\nb"
 * ```
 */
export const printable = (text: string): string =>
  JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text).slice(1, -1);

const isWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;

/**
 * Whether `text` holds a lone UTF-16 surrogate (half of an emoji, as from a string cut with `slice`): JSON carries
 * it, but Flashduty's decoder would silently replace it with U+FFFD. encodeURIComponent refuses exactly those,
 * and `String.prototype.isWellFormed` finds exactly those.
 *
 * @example
 * ```ts
 * hasLoneSurrogate("😀".slice(0, 1)); // true
 * ```
 */
export function hasLoneSurrogate(text: string): boolean {
  // isWellFormed (Node 20, Bun, Deno, every current browser) answers without building the encoded copy.
  if (typeof isWellFormed === "function") return !isWellFormed.call(text);
  try {
    encodeURIComponent(text);
    return false;
  } catch {
    return true;
  }
}

/** Whether `value` is a real one (of any realm) of the built-in whose own method `check` is: it throws otherwise. */
function isBranded(
  value: object,
  check: ((this: unknown, ...rest: unknown[]) => unknown) | undefined,
): boolean {
  try {
    check?.call(value, {});
    return true;
  } catch {
    return false;
  }
}

/**
 * Built-in objects whose contents JSON drops (it writes `{}` for them, or a date string), each with a method of its
 * own that answers only for a real one, so telling them apart calls none of the object's code.
 */
const DROPPED_KINDS: readonly [string, ((this: unknown) => unknown) | undefined][] = [
  ["Map", Object.getOwnPropertyDescriptor(Map.prototype, "size")?.get],
  ["Set", Object.getOwnPropertyDescriptor(Set.prototype, "size")?.get],
  ["Date", Date.prototype.getTime],
  ["WeakMap", WeakMap.prototype.has as (this: unknown) => unknown],
  ["WeakSet", WeakSet.prototype.has as (this: unknown) => unknown],
];

/**
 * Why JSON would not carry all of an object's fields (it carries its own enumerable string keys only), or
 * `undefined` when it would: a Map, a Set, a Date, a WeakMap or a WeakSet, whose contents it drops, or a field the
 * object inherits (made with `Object.create(defaults)`), named. A plain object (of this realm, or without a
 * prototype) is answered at once: only another kind of object is looked at further, so a plain label object costs
 * one prototype read.
 *
 * @example
 * ```ts
 * hiddenFields(new Map([["host", "a"]])); // "is a Map: pass Object.fromEntries(map)"
 * hiddenFields(Object.create({ team: "db" })); // 'inherits "team": pass own fields, e.g. { ...labels }'
 * hiddenFields({ host: "a" }); // undefined
 * ```
 */
export function hiddenFields(value: object): string | undefined {
  const prototype = Object.getPrototypeOf(value);
  if (prototype === Object.prototype || prototype === null) return undefined;
  for (const [kind, check] of DROPPED_KINDS) {
    if (isBranded(value, check)) {
      return `is a ${kind}: pass ${kind === "Map" ? "Object.fromEntries(map)" : "an object of label names to values"}`;
    }
  }
  for (const name in value) {
    if (!Object.hasOwn(value, name)) {
      return `inherits "${printable(name)}": pass own fields, e.g. { ...labels }`;
    }
  }
  return undefined;
}
