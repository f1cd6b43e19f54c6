/** One event read from a batch, or why it could not be read. `location` is "line N" (NDJSON) or "index N". */
export type BatchItem =
  | { location: string; value: Record<string, unknown>; error?: undefined }
  | { location: string; value?: undefined; error: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  return Array.isArray(value) ? "an array" : `a ${typeof value}`;
}

/**
 * Reads `--file` input: one JSON object, a JSON array of objects, or NDJSON (one object per line; blank lines
 * skipped). Whole-document JSON is tried first, so a pretty-printed single object or array works; otherwise
 * each line stands alone, and a bad line is reported without hiding the good ones.
 *
 * @example
 * parseBatch('{"title_rule":"a","event_status":"Info"}\nnot json');
 * // [{ location: "line 1", value: {...} }, { location: "line 2", error: "invalid JSON: ..." }]
 */
export function parseBatch(text: string): BatchItem[] {
  const body = text.replace(/^\uFEFF/, "");
  if (body.trim() === "") return [];
  let whole: unknown;
  let parsedWhole = false;
  try {
    whole = JSON.parse(body);
    parsedWhole = true;
  } catch {
    // Not one JSON document: read as NDJSON below.
  }
  if (parsedWhole) {
    if (Array.isArray(whole)) {
      return whole.map((value, index) =>
        isObject(value)
          ? { location: `index ${index}`, value }
          : { location: `index ${index}`, error: `expected an event object, got ${describe(value)}` },
      );
    }
    if (isObject(whole)) return [{ location: "line 1", value: whole }];
    return [{ location: "line 1", error: `expected an event object, got ${describe(whole)}` }];
  }
  const items: BatchItem[] = [];
  const lines = body.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") continue;
    const location = `line ${index + 1}`;
    try {
      const value: unknown = JSON.parse(line);
      items.push(
        isObject(value)
          ? { location, value }
          : { location, error: `expected an event object, got ${describe(value)}` },
      );
    } catch (error) {
      items.push({
        location,
        error: `invalid JSON: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
  return items;
}
