import type { ErrorCode } from "@flash-call/core";

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
 * Every documented Flashduty error code with its HTTP status, whether it retries, and a hint. Typed over the
 * spec's generated `ErrorCode` enum: a code added to the spec fails the type check until it is mapped here.
 *
 * @example
 * ```ts
 * ERROR_CODES.RequestTooFrequently; // { status: 429, retryable: true, hint: "Rate limited …" }
 * ```
 */
export const ERROR_CODES = {
  InvalidParameter: {
    status: 400,
    retryable: false,
    hint: `A field of the event is invalid, or the integration key is. ${CHECK_KEY}`,
  },
  InvalidContentType: {
    status: 400,
    retryable: false,
    hint: "Send the body as JSON, with Content-Type: application/json.",
  },
  MethodNotAllowed: { status: 400, retryable: false, hint: "Send pushes with POST." },
  Unauthorized: { status: 401, retryable: false, hint: CHECK_KEY },
  AccessDenied: {
    status: 403,
    retryable: false,
    hint: `The key may not push to this integration. ${CHECK_KEY}`,
  },
  RequestTooFrequently: {
    status: 429,
    retryable: true,
    hint: "Rate limited (100 requests/s, 1000/min per integration): wait for Retry-After, then retry with backoff.",
  },
  RouteNotFound: {
    status: 404,
    retryable: false,
    hint: "Check the base URL: the push URL should end in /event/push/alert/standard.",
  },
  ResourceNotFound: {
    status: 400,
    retryable: false,
    hint: `The account has not purchased this resource. ${CHECK_SUBSCRIPTION}`,
  },
  NoLicense: {
    status: 400,
    retryable: false,
    hint: `Not enough subscription licenses. ${CHECK_SUBSCRIPTION}`,
  },
  InternalError: {
    status: 500,
    retryable: true,
    hint: "Flashduty failed internally: retry with backoff; quote the request_id to support if it persists.",
  },
} as const satisfies Record<ErrorCode, ErrorCodeInfo>;

/**
 * The code of a push answered with a redirect (3xx): never followed, since fetch would resend it as a GET without
 * the event (and a 2xx from there is not a delivery), and the key would go wherever the redirect points.
 *
 * @example
 * ```ts
 * if (error.code === REDIRECTED) console.error("fix the base URL:", error.message);
 * ```
 */
export const REDIRECTED = "Redirected";

/** Hints of the codes this SDK produces itself. */
const CLIENT_HINTS: Record<string, string> = {
  [REDIRECTED]:
    "Check the base URL or the push URL: it must reach Flashduty (or a proxy) without a redirect.",
  ValidationError: "Fix the listed fields of the event; nothing was sent.",
  ConfigError:
    "Check the configuration the message names: the integration key (pass one, call setKey(), or set FLASHDUTY_INTEGRATION_KEY or FLASHDUTY_PUSH_URL) or the base URL.",
  NetworkError: "Check network access, proxy settings and the base URL; the push can be retried.",
  Timeout: "Flashduty did not answer in time: retry, or raise timeoutMs.",
  Aborted: "The operation was cancelled through its AbortSignal; nothing more will be attempted.",
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
 * or one of the client-side codes (`ValidationError`, `ConfigError`, `NetworkError`, `Timeout`, `Aborted`,
 * `Redirected`).
 *
 * @returns the hint, or `undefined` for a code it knows nothing about
 * @example
 * ```ts
 * hintFor("Unauthorized"); // "Check the integration key or the push URL."
 * hintFor("HTTP_502"); // "Flashduty, or a proxy or load balancer in front of it, failed: retry with backoff."
 * ```
 */
export function hintFor(code: string): string | undefined {
  if (isDocumentedCode(code)) return ERROR_CODES[code].hint;
  if (Object.hasOwn(CLIENT_HINTS, code)) return CLIENT_HINTS[code];
  const status = httpStatusOf(code);
  return status === undefined ? undefined : hintForStatus(status);
}
