import { CLIENT_ERROR_CODES } from "@flash-call/errors";
/**
 * What a failed push says about what to do with the spool:
 * - `destination`: about the key, the account or where requests go (a rotated key, a wrong base URL, a proxy
 *   or redirect in the way, no network): every event would fail the same way, so stop and touch nothing.
 * - `event`: Flashduty refused this event's own content: set it aside, the others may still go.
 * - `transient`: Flashduty is busy or failing (429, 5xx): stop, keep everything, try again later.
 */
export type FailureScope = "destination" | "event" | "transient";

/** Codes about the key, the account or the destination, never about one event's content. */
const DESTINATION_CODES: ReadonlySet<string> = new Set([
  "Unauthorized",
  "AccessDenied",
  "RouteNotFound",
  "ResourceNotFound",
  "NoLicense",
  CLIENT_ERROR_CODES.redirected,
  CLIENT_ERROR_CODES.network,
  CLIENT_ERROR_CODES.timeout,
  "InvalidContentType",
  "MethodNotAllowed",
  CLIENT_ERROR_CODES.config,
]);

/** Flashduty answers a wrong integration key with `InvalidParameter` too; its message says so. */
const ABOUT_THE_KEY = /integration[\s_-]?key/i;

function serverMessage(body: unknown): string {
  if (typeof body !== "object" || body === null) return typeof body === "string" ? body : "";
  const error = (body as { error?: unknown }).error;
  const message =
    typeof error === "object" && error !== null
      ? (error as { message?: unknown }).message
      : (body as { message?: unknown }).message;
  return typeof message === "string" ? message : "";
}

/**
 * Whether a failure is a 400 without Flashduty's error code: an answer from something on the way (a proxy, a load
 * balancer, a server that is not Flashduty), which may refuse this one event or every one alike. Flashduty's own
 * refusals always carry a code. A flush takes the first for the event's and a second in a row for the way's.
 *
 * @example
 * isUncodedRefusal(errorFromResponse(400, "<html>400 Bad Request</html>")); // true
 */
export function isUncodedRefusal(error: unknown): boolean {
  const like = (typeof error === "object" && error !== null ? error : {}) as {
    code?: unknown;
    status?: unknown;
  };
  return like.code === "HTTP_400" && like.status === 400;
}

/**
 * Decides whether a failure is about the destination, the event, or a passing fault (see {@link FailureScope}).
 * Only `InvalidParameter` (unless its message is about the integration key), a 400 or 413 without an error code
 * and a `ValidationError` (the SDK refused to send it) are about the event; an unknown failure counts as `destination`, so nothing is ever set aside on a guess.
 *
 * @example
 * failureScope(new UnauthorizedError("…")); // "destination"
 * failureScope({ code: "InvalidParameter", retryable: false, body: { error: { message: "title_rule is empty" } } }); // "event"
 */
export function failureScope(error: unknown): FailureScope {
  const like = (typeof error === "object" && error !== null ? error : {}) as {
    code?: unknown;
    status?: unknown;
    retryable?: unknown;
    body?: unknown;
  };
  const code = typeof like.code === "string" ? like.code : "";
  if (code === "InvalidParameter")
    return ABOUT_THE_KEY.test(serverMessage(like.body)) ? "destination" : "event";
  if (isUncodedRefusal(error)) return "event";
  // Too large: this event's body, which a proxy's or Flashduty's limit refuses; the events after it may go. Kept
  // as a destination failure, it would stop every flush at it, and the spool behind it would never be delivered.
  if (code === "HTTP_413" && like.status === 413) return "event";
  // Caught before sending: a spooled event that no longer passes validation (an older version wrote it, or
  // someone edited the file). It is this event's content, not the destination.
  if (code === CLIENT_ERROR_CODES.validation) return "event";
  if (DESTINATION_CODES.has(code)) return "destination";
  if (typeof like.status === "number" && like.status >= 300 && like.status < 400) return "destination";
  return like.retryable === true ? "transient" : "destination";
}
