/**
 * A copy of a value the mock accepted (an event or change as validated: plain objects, arrays, strings, numbers)
 * with `mask` applied to every string and property name, so that a key a client wrote into what it pushed is
 * neither recorded, shown nor offered for download. The value itself when `mask` changed nothing.
 *
 * @example
 * maskTexts({ title_rule: `key ${key}` }, (text) => maskKeysIn(text, [key])); // { title_rule: "key ****#1a2b3c" }
 */
export function maskTexts<T>(value: T, mask: (text: string) => string): T {
  if (typeof value === "string") return mask(value) as T;
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    const items = value.map((item) => maskTexts(item, mask));
    return items.some((item, index) => item !== value[index]) ? (items as T) : value;
  }
  let changed = false;
  const entries = Object.entries(value).map(([name, item]) => {
    const entry: [string, unknown] = [mask(name), maskTexts(item, mask)];
    if (entry[0] !== name || entry[1] !== item) changed = true;
    return entry;
  });
  // Entries, not assignment: a label named "__proto__" stays a property of the copy.
  return changed ? (Object.fromEntries(entries) as T) : value;
}
