/** The most characters of one string the page is sent: Flashduty's longest documented field limit (a label value). */
export const SHOWN_CHARS = 2048;

/** The most items of one list (images, adjustments) or entries of one map (labels) the page is sent. */
export const SHOWN_ITEMS = 50;

/**
 * What the inspector's page is sent of a record: the record itself when it is within bounds, else a copy with
 * each string over {@link SHOWN_CHARS} cut and marked in its own text, and each list or map over
 * {@link SHOWN_ITEMS} cut, with how many were left out as `<name>_not_shown` beside it. A change's title has no
 * length limit and an event may carry thousands of images within the 4 MiB a body may have: sent whole, a few
 * of them make the page hold hundreds of megabytes and spend minutes drawing each new request. The downloads
 * and the mock's records keep everything.
 *
 * @example shownPart({ title: "x".repeat(5000) }).title; // "xxx…x … (2952 more characters not shown here; …)"
 */
export function shownPart<T>(value: T): T {
  if (typeof value === "string") return shownText(value) as T;
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return shownItems(value).items as T;
  let changed = false;
  const entries: [string, unknown][] = [];
  for (const [name, item] of Object.entries(value)) {
    const cut = Array.isArray(item) ? shownItems(item) : isMap(item) ? shownMap(item) : undefined;
    const shown = cut === undefined ? shownPart(item) : cut.items;
    entries.push([name, shown]);
    if (shown !== item) changed = true;
    if (cut !== undefined && cut.notShown > 0) entries.push([`${name}_not_shown`, cut.notShown]);
  }
  // Entries, not assignment: a label named "__proto__" stays a property of the copy.
  return changed ? (Object.fromEntries(entries) as T) : value;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function shownText(text: string): string {
  if (text.length <= SHOWN_CHARS) return text;
  // Never half a surrogate pair: the page would show a replacement character that was not sent.
  const end = /[\uD800-\uDBFF]/.test(text[SHOWN_CHARS - 1] ?? "") ? SHOWN_CHARS - 1 : SHOWN_CHARS;
  return `${text.slice(0, end)} … (${text.length - end} more characters not shown here; the NDJSON download has them)`;
}

function shownItems(items: unknown[]): { items: unknown[]; notShown: number } {
  const kept = items.length > SHOWN_ITEMS ? items.slice(0, SHOWN_ITEMS) : items;
  const shown = kept.map((item) => shownPart(item));
  const changed = kept !== items || shown.some((item, index) => item !== items[index]);
  return { items: changed ? shown : items, notShown: items.length - kept.length };
}

function shownMap(map: Record<string, unknown>): { items: unknown; notShown: number } {
  const names = Object.keys(map);
  if (names.length <= SHOWN_ITEMS) return { items: shownPart(map), notShown: 0 };
  const kept = Object.fromEntries(names.slice(0, SHOWN_ITEMS).map((name) => [name, map[name]]));
  return { items: shownPart(kept), notShown: names.length - SHOWN_ITEMS };
}
