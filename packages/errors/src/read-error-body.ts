import { excerpt } from "./excerpt.js";
import { htmlTitle } from "./html-title.js";
import { sanitize } from "./sanitize.js";
import { redact } from "./secret-registry.js";

/** The parts of a response body an error needs, whatever shape the body had; every text in it redacted. */
export interface ErrorBody {
  /** `error.code` of a JSON body. */
  code?: string | undefined;
  /** `error.message` of a JSON body (or a bare string `error`, or a top-level `message`), redacted, not cut. */
  message?: string | undefined;
  /** `request_id` of a JSON body. */
  requestId?: string | undefined;
  /**
   * What the body was instead of a JSON object, worded to follow "Flashduty answered HTTP 502": e.g. `with an
   * empty body`, or `with an HTML page ("502 Bad Gateway") instead of JSON, …`. Absent for a JSON object.
   */
  instead?: string | undefined;
  /** The parsed JSON, or the raw text, redacted. */
  value?: unknown;
}

/** Enough to recognise a proxy's page or a short text error; the rest adds length, not meaning. */
const EXCERPT_LENGTH = 200;
/** Codes and request ids are short words; a longer one is a hostile or broken body. */
const IDENTIFIER_LENGTH = 128;

/** A property of a value that may be hostile (a throwing getter, a Proxy): `undefined` when it cannot be read. */
function property(value: unknown, name: string): unknown {
  try {
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[name] : undefined;
  } catch {
    return undefined;
  }
}

function text(value: unknown): string | undefined {
  if (typeof value === "string" && value.trim() !== "") return redact(value.trim());
  if (typeof value === "number") return String(value);
  return undefined;
}

function identifier(value: unknown): string | undefined {
  const found = text(value);
  return found === undefined ? undefined : excerpt(found, IDENTIFIER_LENGTH);
}

/** A value that is not a JSON object, described without calling anything of its own (its toString may throw). */
function describeValue(value: unknown): string {
  if (typeof value === "string") return excerpt(value, EXCERPT_LENGTH);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
    return String(value);
  if (Array.isArray(value)) return "a JSON array instead of an object";
  return `a ${typeof value}`;
}

/** A text body that is not JSON: `raw` is already redacted whole and trimmed. */
function fromText(raw: string): ErrorBody {
  if (raw.startsWith("<")) {
    const title = htmlTitle(raw);
    const quoted = title === undefined ? "" : ` ("${excerpt(title, EXCERPT_LENGTH)}")`;
    return {
      instead: `with an HTML page${quoted} instead of JSON, probably from a proxy or load balancer`,
      value: raw,
    };
  }
  if (raw.startsWith("{") || raw.startsWith("["))
    return { instead: "with truncated or malformed JSON", value: raw };
  return { instead: `with a non-JSON body: ${excerpt(raw, EXCERPT_LENGTH)}`, value: raw };
}

function fromValue(value: unknown, raw: string | undefined): ErrorBody {
  if (value === undefined || value === null) return { instead: "with an empty body" };
  if (typeof value !== "object" || Array.isArray(value)) {
    const shown =
      typeof value === "string" || raw === undefined ? describeValue(value) : excerpt(raw, EXCERPT_LENGTH);
    return { instead: `with a non-JSON body: ${shown}`, value };
  }
  const error = property(value, "error");
  const code = identifier(property(error, "code"));
  const message = text(property(error, "message")) ?? text(error) ?? text(property(value, "message"));
  const requestId = identifier(property(value, "request_id"));
  return { code, message, requestId, value };
}

/**
 * Interprets whatever a response carried — parsed JSON, raw text (parsed here, tolerantly), or nothing — without
 * ever throwing: HTML from a proxy, an empty body and truncated JSON are reported as such. Every text is redacted
 * whole before any of it is cut for a message; the HTML title is found by linear scanning.
 */
export function readErrorBody(body: unknown): ErrorBody {
  try {
    if (typeof body !== "string") return fromValue(sanitize(body), undefined);
    // Trimmed first: JSON.parse rejects a byte-order mark or a no-break space around the JSON.
    const raw = body.trim();
    if (raw === "") return { instead: "with an empty body" };
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return fromText(redact(raw));
    }
    // Parsed before redacting: a key written with JSON escapes is masked once the escapes are undone.
    return fromValue(sanitize(parsed), redact(raw));
  } catch {
    return { instead: "with a body that could not be read" };
  }
}
