import type { ErrorCode } from "@flash-call/core";
import {
  CHANGE_PUSH_PATH,
  ERROR_CODE_LIST,
  ERROR_RETRYABLE,
  ERROR_STATUS,
  PUSH_PATH,
} from "@flash-call/core/constants";
import { CLIENT_ERROR_CODES, type ClientErrorCode } from "./client-error-codes.js";

/** What one of Flashduty's error codes means for a caller. */
export interface ErrorCodeInfo {
  /** The HTTP status Flashduty answers with. */
  readonly status: number;
  /** Whether the same push can succeed if sent again later. */
  readonly retryable: boolean;
  /** One line telling a person what to do about it. */
  readonly hint: string;
}

const CHECK_KEY = "Check the integration key or the push URL.";
const CHECK_SUBSCRIPTION = "Check the account's Flashduty subscription (billing) in the console.";

/**
 * The one thing this package adds to each documented code: a hint for a person. Typed over the spec's generated
 * `ErrorCode` enum, so a code added to the spec fails the type check until it has a hint here.
 */
const HINTS = {
  InvalidParameter: `A field of the event is invalid, or the integration key is. ${CHECK_KEY}`,
  InvalidContentType: "Send the body as JSON, with Content-Type: application/json.",
  MethodNotAllowed: "Send pushes with POST.",
  Unauthorized: CHECK_KEY,
  AccessDenied: `The key may not push to this integration. ${CHECK_KEY}`,
  RequestTooFrequently:
    "Rate limited (100 requests/s, 1000/min per integration): wait for Retry-After, then retry with backoff.",
  // The same code answers an alert push and a change push: the hint names both paths.
  RouteNotFound: `Check the base URL: a push URL ends in ${PUSH_PATH}, or ${CHANGE_PUSH_PATH} for changes.`,
  ResourceNotFound: `The account has not purchased this resource. ${CHECK_SUBSCRIPTION}`,
  NoLicense: `Not enough subscription licenses. ${CHECK_SUBSCRIPTION}`,
  InternalError:
    "Flashduty failed internally: retry with backoff; quote the request_id to support if it persists.",
} as const satisfies Record<ErrorCode, string>;

/** {@link ERROR_CODES}' type: each code's own literal status, retryability and hint. */
type ErrorCodeTable = {
  readonly [Code in ErrorCode]: {
    readonly status: (typeof ERROR_STATUS)[Code];
    readonly retryable: (typeof ERROR_RETRYABLE)[Code];
    readonly hint: (typeof HINTS)[Code];
  };
};

/**
 * Every documented Flashduty error code with its HTTP status and whether Flashduty documents it as retryable (both
 * from the spec's `x-flashduty-status` and `x-flashduty-retryable`, through `@flash-call/core/constants`), and a
 * hint. Exhaustive over the spec's generated `ErrorCode` enum.
 *
 * @example
 * ```ts
 * ERROR_CODES.RequestTooFrequently; // { status: 429, retryable: true, hint: "Rate limited …" }
 * ```
 */
// Object.fromEntries loses the per-code types; ErrorCodeTable is what each entry is built to be.
export const ERROR_CODES = Object.fromEntries(
  ERROR_CODE_LIST.map((code) => [
    code,
    { status: ERROR_STATUS[code], retryable: ERROR_RETRYABLE[code], hint: HINTS[code] },
  ]),
) as ErrorCodeTable;

/**
 * The code of a push answered with a redirect (3xx): never followed, since fetch would resend it as a GET without
 * the event (and a 2xx from there is not a delivery), and the key would go wherever the redirect points.
 *
 * @example
 * ```ts
 * if (error.code === REDIRECTED) console.error(`Fix the base URL. ${error.message}`);
 * ```
 */
export const REDIRECTED = CLIENT_ERROR_CODES.redirected;

/** Hints of the codes this SDK produces itself: one for each, or the type check fails. */
const CLIENT_HINTS: Record<ClientErrorCode, string> = {
  [REDIRECTED]:
    "Check the base URL or the push URL: it must reach Flashduty (or a proxy) without a redirect.",
  [CLIENT_ERROR_CODES.validation]: "Fix the listed fields of the event; nothing was sent.",
  [CLIENT_ERROR_CODES.config]:
    "Check the configuration the message names: the integration key (pass one, call setKey(), or set FLASHDUTY_INTEGRATION_KEY or FLASHDUTY_PUSH_URL) or the base URL.",
  [CLIENT_ERROR_CODES.network]:
    "Check network access, proxy settings and the base URL; the push can be retried.",
  [CLIENT_ERROR_CODES.timeout]: "Flashduty did not answer in time: retry, or raise timeoutMs.",
  [CLIENT_ERROR_CODES.aborted]:
    "The operation was cancelled through its AbortSignal; nothing more will be attempted.",
  [CLIENT_ERROR_CODES.queueFull]:
    "The queue is full and nothing was sent: await flush() before enqueueing more, or raise maxQueue.",
  [CLIENT_ERROR_CODES.clientClosed]:
    "The instance was closed and nothing was sent: create a new one to send more.",
};

/** Whether `code` is one of Flashduty's documented error codes (a key of {@link ERROR_CODES}). */
export function isDocumentedCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}

/** The status in an `HTTP_<status>` code, or `undefined` for any other code. */
export function httpStatusOf(code: string): number | undefined {
  const match = /^HTTP_(\d{3})$/.exec(code);
  return match ? Number(match[1]) : undefined;
}

function hintForStatus(status: number): string | undefined {
  if (status === 401 || status === 403) return CHECK_KEY;
  if (status === 404) return ERROR_CODES.RouteNotFound.hint;
  if (status === 408) return "The request timed out on the way: retry with backoff.";
  if (status === 429) return ERROR_CODES.RequestTooFrequently.hint;
  if (status >= 500 && status <= 599) {
    return "Flashduty, or a proxy or load balancer in front of it, failed: retry with backoff.";
  }
  if (status >= 400 && status <= 499) return "Check the event and the push URL.";
  // A 2xx is an error only when its body is not a usable result: cut off, unreadable, or carrying an error.
  if (status >= 200 && status <= 299) {
    return "The push may not have landed: retry (Flashduty drops duplicates).";
  }
  return undefined;
}

/**
 * The one-line hint for any code an error of this package carries: a documented Flashduty code, `HTTP_<status>`,
 * or one of the client-side codes (see `CLIENT_ERROR_CODES`).
 *
 * @returns the hint, or `undefined` for a code it knows nothing about
 * @example
 * ```ts
 * hintFor("Unauthorized"); // "Check the integration key or the push URL."
 * hintFor("HTTP_502"); // "Flashduty, or a proxy or load balancer in front of it, failed: retry with backoff."
 * ```
 */
export function hintFor(code: string): string | undefined {
  // Plain JavaScript may ask about anything: a code that is not a string is one it knows nothing about.
  if (typeof code !== "string") return undefined;
  if (isDocumentedCode(code)) return ERROR_CODES[code].hint;
  if (Object.hasOwn(CLIENT_HINTS, code)) return CLIENT_HINTS[code as ClientErrorCode];
  const status = httpStatusOf(code);
  return status === undefined ? undefined : hintForStatus(status);
}
