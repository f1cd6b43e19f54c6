/** What a response body turned out to be. */
export type BodyKind = "json" | "empty" | "html" | "truncated" | "text";

/** The parts of a response body an error needs, whatever shape the body had. */
export interface ErrorBody {
  kind: BodyKind;
  /** `error.code` of a JSON body. */
  code?: string | undefined;
  /** `error.message` of a JSON body (or a bare string `error`, or a top-level `message`). */
  message?: string | undefined;
  /** `request_id` of a JSON body. */
  requestId?: string | undefined;
  /** The `<title>` of an HTML page, or the start of a text body. */
  excerpt?: string | undefined;
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
    const title = /<title[^>]*>([^<]*)</i.exec(raw)?.[1]?.trim();
    return { kind: "html", excerpt: title?.slice(0, EXCERPT_LENGTH) || undefined, value: raw };
  }
  if (raw.startsWith("{") || raw.startsWith("[")) return { kind: "truncated", value: raw };
  return { kind: "text", excerpt: raw.slice(0, EXCERPT_LENGTH), value: raw };
}

/**
 * Interprets whatever a response carried — parsed JSON, raw text (parsed here, tolerantly), or nothing — without
 * ever throwing: HTML from a proxy, an empty body and truncated JSON are reported as such.
 */
export function readErrorBody(body: unknown): ErrorBody {
  let value = body;
  if (typeof body === "string") {
    const raw = body.trim();
    if (raw === "") return { kind: "empty" };
    try {
      value = JSON.parse(raw);
    } catch {
      return fromText(raw);
    }
  }
  if (value === undefined || value === null) return { kind: "empty" };
  if (typeof value !== "object" || Array.isArray(value))
    return { kind: "text", excerpt: String(value), value };
  const record = value as Record<string, unknown>;
  const error = record.error;
  const detail = typeof error === "object" && error !== null ? (error as Record<string, unknown>) : {};
  const code = text(detail.code);
  const message = text(detail.message) ?? text(error) ?? text(record.message);
  const requestId = text(record.request_id);
  return { kind: "json", code, message, requestId, value };
}
