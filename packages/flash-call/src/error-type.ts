import { ERROR_CODE_LIST } from "@flash-call/core/constants";
import { CLIENT_ERROR_CODES } from "@flash-call/errors";

/**
 * The code of a push the caller aborted (`FlashdutyAbortError`): OpenTelemetry's HTTP conventions do not count a
 * cancellation by the caller as an error, so it sets no `error.type` and no Error status.
 */
export const CANCELLED = CLIENT_ERROR_CODES.aborted;

/** OpenTelemetry's `error.type` for a failure the SDK has no identifier of its own for. */
const OTHER_ERROR = "_OTHER";

/**
 * The codes recorded as they are: Flashduty's documented ones and those the SDK gives the failures it sees itself
 * (no answer, no answer in time, a redirect not followed). A fixed list, so that `error.type` stays low-cardinality.
 */
const KNOWN_CODES: ReadonlySet<string> = new Set([
  ...ERROR_CODE_LIST,
  CLIENT_ERROR_CODES.redirected,
  CLIENT_ERROR_CODES.network,
  CLIENT_ERROR_CODES.timeout,
]);

/**
 * OpenTelemetry's `error.type` of a failure of code `code` answered with `status`: the code when it is one the SDK
 * documents, else the status as a string (`"502"`) when it is an HTTP error status, else `_OTHER`. A code a server
 * made up is never recorded: any answer could carry one, and every distinct value is a new metric series.
 *
 * @default `_OTHER` when nothing else applies
 * @example
 * ```ts
 * errorTypeOf("RequestTooFrequently", 429); // "RequestTooFrequently"
 * errorTypeOf("HTTP_502", 502); // "502"
 * errorTypeOf(undefined, undefined); // "_OTHER"
 * ```
 */
export function errorTypeOf(code: unknown, status: unknown): string {
  if (typeof code === "string" && KNOWN_CODES.has(code)) return code;
  if (typeof status === "number" && Number.isInteger(status) && status >= 400 && status <= 599) {
    return String(status);
  }
  return OTHER_ERROR;
}
