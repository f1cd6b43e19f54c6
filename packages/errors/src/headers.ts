/** Response headers as fetch gives them, or a plain object (any letter case) as a test or adapter might. */
export type HeadersLike = Headers | Record<string, string | undefined>;

/** A header's value, looked up case-insensitively. */
export function readHeader(headers: HeadersLike | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted && typeof value === "string") return value;
  }
  return undefined;
}
