/** Response headers as fetch gives them, or a plain object (any letter case) as a test or adapter might. */
export type HeadersLike = Headers | Record<string, string | undefined>;

/** Header values are short; a longer one is a hostile answer and is cut before anything parses it. */
const MAX_HEADER_LENGTH = 4096;

function lookUp(headers: HeadersLike, name: string): unknown {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name);
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted && typeof value === "string") return value;
  }
  return undefined;
}

/**
 * A header's value, looked up case-insensitively: `undefined` when absent, not a string, or when the headers
 * cannot be read (a throwing `get`, a hostile object).
 */
export function readHeader(headers: HeadersLike | undefined, name: string): string | undefined {
  if (typeof headers !== "object" || headers === null) return undefined;
  try {
    const value = lookUp(headers, name);
    return typeof value === "string" ? value.slice(0, MAX_HEADER_LENGTH) : undefined;
  } catch {
    return undefined;
  }
}
