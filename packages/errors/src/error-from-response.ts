import type { ErrorCode } from "@flash-call/core";
import { ERROR_STATUS } from "@flash-call/core/constants";
import {
  AccessDeniedError,
  FlashdutyApiError,
  type FlashdutyApiErrorOptions,
  InternalServerError,
  InvalidContentTypeError,
  InvalidParameterError,
  MethodNotAllowedError,
  NoLicenseError,
  RequestTooFrequentlyError,
  ResourceNotFoundError,
  RouteNotFoundError,
  SERVER_MESSAGE_LENGTH,
  UnauthorizedError,
} from "./api-errors.js";
import { hintFor, REDIRECTED } from "./error-codes.js";
import { excerpt } from "./excerpt.js";
import { type HeadersLike, readHeader } from "./headers.js";
import { type ErrorBody, readErrorBody } from "./read-error-body.js";
import { parseRetryAfter } from "./retry-after.js";

type ApiErrorClass = new (message: string, options: FlashdutyApiErrorOptions) => FlashdutyApiError;

const CLASS_BY_CODE = {
  InvalidParameter: InvalidParameterError,
  InvalidContentType: InvalidContentTypeError,
  MethodNotAllowed: MethodNotAllowedError,
  Unauthorized: UnauthorizedError,
  AccessDenied: AccessDeniedError,
  RequestTooFrequently: RequestTooFrequentlyError,
  RouteNotFound: RouteNotFoundError,
  ResourceNotFound: ResourceNotFoundError,
  NoLicense: NoLicenseError,
  InternalError: InternalServerError,
} satisfies Record<ErrorCode, ApiErrorClass>;

/**
 * Statuses that only one documented code is answered with (the spec's `ERROR_STATUS`): an answer with that status
 * and no readable code is that code's error. 400 is shared by several codes, so it maps to no subclass.
 */
const CLASS_BY_STATUS: ReadonlyMap<number, ApiErrorClass> = (() => {
  const codesByStatus = new Map<number, ErrorCode[]>();
  for (const code of Object.keys(ERROR_STATUS) as ErrorCode[]) {
    const status = ERROR_STATUS[code];
    codesByStatus.set(status, [...(codesByStatus.get(status) ?? []), code]);
  }
  const classes = new Map<number, ApiErrorClass>();
  for (const [status, codes] of codesByStatus) {
    if (codes.length === 1 && codes[0] !== undefined) classes.set(status, CLASS_BY_CODE[codes[0]]);
  }
  return classes;
})();

/** What a caller knows of a response beyond its status, body and headers. */
export interface ResponseFacts {
  /**
   * The body was read only up to this many bytes (see `readBodyText`): the message says it was cut.
   * @default undefined (read whole)
   */
  bodyCutAtBytes?: number | undefined;
  /**
   * The response was a redirect whose status the runtime hides (a browser's `opaqueredirect`, status 0), or the
   * end of redirects a custom fetch followed (pass its `url` as the `location` header to name the target).
   * @default false
   */
  redirected?: boolean | undefined;
}

/** A status as given, when it is one: a whole number (or the digits of one, cast from a string). */
function statusOf(status: unknown): number | undefined {
  if (typeof status === "number") return Number.isSafeInteger(status) && status >= 0 ? status : undefined;
  if (typeof status === "string" && /^\d{1,3}$/.test(status)) return Number(status);
  return undefined;
}

/** `64 KiB` for whole kibibytes, else `N bytes`. */
function formatBytes(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}

function sentence(text: string): string {
  // The ideographic full stop escaped: one character beyond Latin-1 in the source makes V8 hold the whole CLI
  // bundle (which inlines this file) as a two-byte string, twice the memory to hash and parse at every start.
  return /[.!?\u3002]$/.test(text) ? text : `${text}.`;
}

function describe(status: number | undefined, code: string, body: ErrorBody): string {
  const detail = body.message === undefined ? "" : `: ${excerpt(body.message, SERVER_MESSAGE_LENGTH)}`;
  const shownStatus = status ?? "(no valid status)";
  if (body.code !== undefined) {
    const verb = status !== undefined && status >= 500 ? "failed to process" : "rejected";
    return `Flashduty ${verb} the push (${shownStatus} ${code})${detail}`;
  }
  return `Flashduty answered HTTP ${shownStatus} ${body.instead ?? `without an error code${detail}`}`;
}

/** Where a redirect pointed, as an origin only: its path and query may hold the key. */
function redirectTarget(headers: HeadersLike | undefined): string {
  const location = readHeader(headers, "location");
  if (location === undefined) return "an unnamed location";
  try {
    const target = new URL(location.trim());
    return target.protocol === "https:" || target.protocol === "http:"
      ? excerpt(target.origin, 300)
      : "a location that is not an http(s) URL";
  } catch {
    return "another path on the same host";
  }
}

function redirectError(status: number | undefined, headers: HeadersLike | undefined): FlashdutyApiError {
  // An opaque redirect has status 0; one a custom fetch followed has the status of where it ended.
  const shownStatus =
    status !== undefined && status >= 300 && status <= 399 ? `HTTP ${status}, a redirect,` : "a redirect";
  const summary = `Flashduty answered ${shownStatus} to ${redirectTarget(headers)}; it was not followed, so the push was not delivered.`;
  return new FlashdutyApiError(`${summary} ${hintFor(REDIRECTED)}`, {
    code: REDIRECTED,
    status,
    retryable: false,
    summary,
  });
}

function build(
  status: number | undefined,
  body: unknown,
  headers: HeadersLike | undefined,
  facts: ResponseFacts,
) {
  if (facts.redirected === true || (status !== undefined && status >= 300 && status <= 399)) {
    return redirectError(status, headers);
  }
  const parsed = readErrorBody(body);
  const httpCode = `HTTP_${status ?? "unknown"}`;
  const code = parsed.code ?? httpCode;
  const ErrorClass =
    (Object.hasOwn(CLASS_BY_CODE, code)
      ? CLASS_BY_CODE[code as ErrorCode]
      : status === undefined
        ? undefined
        : CLASS_BY_STATUS.get(status)) ?? FlashdutyApiError;
  const requestId = parsed.requestId ?? readHeader(headers, "x-request-id");
  const retryAfterMs = headers === undefined ? undefined : parseRetryAfter(headers);
  const hint = hintFor(code) ?? hintFor(httpCode);
  const parts = [sentence(describe(status, code, parsed))];
  if (facts.bodyCutAtBytes !== undefined) {
    parts.push(`The body was cut at ${formatBytes(facts.bodyCutAtBytes)}; the rest was not read.`);
  }
  const summary = parts.join(" ");
  if (hint !== undefined) parts.push(hint);
  if (requestId !== undefined) parts.push(`request_id=${excerpt(requestId, 128)}`);
  return new ErrorClass(parts.join(" "), {
    code,
    status,
    requestId,
    retryAfterMs,
    body: parsed.value,
    serverMessage: parsed.message,
    summary,
  });
}

/**
 * Turns a failed response into a typed error: the class by the body's `error.code` first, then by HTTP status
 * (401, 403, 404, 429, 500), else {@link FlashdutyApiError}; `code` is the body's code or `HTTP_<status>`.
 * A redirect (3xx, or `facts.redirected`) is a non-retryable `FlashdutyApiError` with code `Redirected` whose
 * message names only the target's origin. Never throws, for any status, body or headers (HTML from a proxy,
 * empty, truncated JSON, hostile objects, a 2xx carrying `error`): what cannot be read is reported as such.
 * Keeps `request_id` as `requestId`, reads `Retry-After` / `retry-after-ms` into `retryAfterMs`, and writes a
 * message that says what happened and what to do — never the key: every text is redacted whole before it is cut.
 *
 * @param status the HTTP status
 * @param body the parsed JSON body, the raw text (parsed here, tolerantly), or `undefined`
 * @param headers the response headers, for `Retry-After`, `x-request-id` and `Location` @default none
 * @param facts whether the body was cut, or the answer was an opaque redirect @default {}
 * @example
 * ```ts
 * const { data, error, response } = await client.POST("/event/push/alert/standard", request);
 * if (error !== undefined || data?.error !== undefined) {
 *   throw errorFromResponse(response.status, error ?? data, response.headers);
 * }
 * ```
 */
export function errorFromResponse(
  status: number,
  body: unknown,
  headers?: HeadersLike,
  facts: ResponseFacts = {},
): FlashdutyApiError {
  const knownStatus = statusOf(status);
  try {
    return build(knownStatus, body, headers, facts ?? {});
  } catch {
    // Not reached by any input known; kept so that a hostile value can never turn an answer into a throw.
    return new FlashdutyApiError(
      `Flashduty answered HTTP ${knownStatus ?? "(no valid status)"}, and its answer could not be read.`,
      { code: `HTTP_${knownStatus ?? "unknown"}`, status: knownStatus },
    );
  }
}
