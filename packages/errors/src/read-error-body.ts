/** The parts of a response body an error needs, whatever shape the body had. */
export interface ErrorBody {
  /** `error.code` of a JSON body. */
  code?: string | undefined;
  /** `error.message` of a JSON body (or a bare string `error`, or a top-level `message`). */
  message?: string | undefined;
  /** `request_id` of a JSON body. */
  requestId?: string | undefined;
  /**
   * What the body was instead of a JSON object, worded to follow "Flashduty answered HTTP 502": e.g. `with an
   * empty body`, or `with an HTML page ("502 Bad Gateway") instead of JSON, …`. Absent for a JSON object.
   */
  instead?: string | undefined;
  /** The parsed JSON, or the raw text. */
  value?: unknown;
}

/** Enough to recognise a proxy's page or a short text error; the rest adds length, not meaning. */
const EXCERPT_LENGTH = 200;

function text(value: unknown): string | undefined {
  if (typeof value === "string" && value.trim() !== "") return value.trim();
  if (typeof value === "number") return String(value);
  return undefined;
}

function fromText(raw: string): ErrorBody {
  if (raw.startsWith("<")) {
    const title = /<title[^>]*>([^<]*)</i.exec(raw)?.[1]?.trim().slice(0, EXCERPT_LENGTH);
    const quoted = title ? ` ("${title}")` : "";
    return {
      instead: `with an HTML page${quoted} instead of JSON, probably from a proxy or load balancer`,
      value: raw,
    };
  }
  if (raw.startsWith("{") || raw.startsWith("["))
    return { instead: "with truncated or malformed JSON", value: raw };
  return { instead: `with a non-JSON body: ${raw.slice(0, EXCERPT_LENGTH)}`, value: raw };
}

/**
 * Interprets whatever a response carried — parsed JSON, raw text (parsed here, tolerantly), or nothing — without
 * ever throwing: HTML from a proxy, an empty body and truncated JSON are reported as such.
 */
export function readErrorBody(body: unknown): ErrorBody {
  let value = body;
  if (typeof body === "string") {
    // Trimmed first: JSON.parse rejects a byte-order mark or a no-break space around the JSON.
    const raw = body.trim();
    try {
      value = JSON.parse(raw);
    } catch {
      return raw === "" ? { instead: "with an empty body" } : fromText(raw);
    }
  }
  if (value === undefined || value === null) return { instead: "with an empty body" };
  if (typeof value !== "object" || Array.isArray(value)) {
    return { instead: `with a non-JSON body: ${String(value)}`, value };
  }
  const record = value as Record<string, unknown>;
  const error = record.error;
  const detail = typeof error === "object" && error !== null ? (error as Record<string, unknown>) : {};
  const code = text(detail.code);
  const message = text(detail.message) ?? text(error) ?? text(record.message);
  const requestId = text(record.request_id);
  return { code, message, requestId, value };
}
