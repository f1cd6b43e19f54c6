import { UsageError } from "./usage-error.js";

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Parses `--event-time`: integer Unix seconds, or an ISO-8601 date-time (`Z` or an offset; without one it is
 * read as UTC, never as the machine's local zone, so a script gives the same result everywhere).
 * Milliseconds are rejected by the SDK's validation, not silently divided.
 *
 * @example
 * parseEventTime("1700000000"); // 1700000000
 * parseEventTime("2023-11-14T22:13:20Z"); // 1700000000
 */
export function parseEventTime(text: string, option = "--event-time"): number {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  if (ISO_8601.test(trimmed)) {
    let normalized = trimmed.replace(" ", "T").replace(",", ".");
    if (/^\d{4}-\d{2}-\d{2}$/.test(normalized)) normalized += "T00:00:00";
    if (!/(?:Z|[+-]\d{2}:?\d{2})$/i.test(normalized)) normalized += "Z";
    normalized = normalized.replace(/([+-]\d{2})(\d{2})$/, "$1:$2");
    const milliseconds = Date.parse(normalized);
    if (Number.isFinite(milliseconds)) return Math.floor(milliseconds / 1000);
  }
  throw new UsageError(
    `${option} must be Unix seconds or ISO-8601 (e.g. 2024-05-01T12:00:00Z), got ${JSON.stringify(text)}`,
  );
}
