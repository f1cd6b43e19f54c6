import type { ErrorCode } from "@flash-call/core";
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
  UnauthorizedError,
} from "./api-errors.js";
import { hintFor } from "./error-codes.js";
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

/** Statuses that name one documented code; 400 is shared by five, so it maps to no subclass. */
const CLASS_BY_STATUS: Partial<Record<number, ApiErrorClass>> = {
  401: UnauthorizedError,
  403: AccessDeniedError,
  404: RouteNotFoundError,
  429: RequestTooFrequentlyError,
  500: InternalServerError,
};

/** Server messages are one line; a longer one is noise in a log line. */
const MESSAGE_LENGTH = 500;

function sentence(text: string): string {
  return /[.!?。]$/.test(text) ? text : `${text}.`;
}

function describe(status: number, code: string, body: ErrorBody): string {
  const detail = body.message === undefined ? "" : `: ${body.message.slice(0, MESSAGE_LENGTH)}`;
  if (body.code !== undefined) {
    const verb = status >= 500 ? "failed to process" : "rejected";
    return `Flashduty ${verb} the push (${status} ${code})${detail}`;
  }
  return `Flashduty answered HTTP ${status} ${body.instead ?? `without an error code${detail}`}`;
}

/**
 * Turns a failed response into a typed error: the class by the body's `error.code` first, then by HTTP status
 * (401, 403, 404, 429, 500), else {@link FlashdutyApiError}; `code` is the body's code or `HTTP_<status>`.
 * Never throws on odd bodies (HTML from a proxy, empty, truncated JSON, a 2xx carrying `error`), keeps
 * `request_id` as `requestId`, reads `Retry-After` / `retry-after-ms` into `retryAfterMs`, and writes a
 * message that says what happened and what to do — never the key.
 *
 * @param status the HTTP status
 * @param body the parsed JSON body, the raw text (parsed here, tolerantly), or `undefined`
 * @param headers the response headers, for `Retry-After` and `x-request-id` @default none
 * @example
 * ```ts
 * const { data, error, response } = await client.POST("/event/push/alert/standard", request);
 * if (error !== undefined || data?.error !== undefined) {
 *   throw errorFromResponse(response.status, error ?? data, response.headers);
 * }
 * ```
 */
export function errorFromResponse(status: number, body: unknown, headers?: HeadersLike): FlashdutyApiError {
  const parsed = readErrorBody(body);
  const code = parsed.code ?? `HTTP_${status}`;
  const ErrorClass =
    (Object.hasOwn(CLASS_BY_CODE, code) ? CLASS_BY_CODE[code as ErrorCode] : CLASS_BY_STATUS[status]) ??
    FlashdutyApiError;
  const requestId = parsed.requestId ?? readHeader(headers, "x-request-id");
  const retryAfterMs = headers === undefined ? undefined : parseRetryAfter(headers);
  const hint = hintFor(code) ?? hintFor(`HTTP_${status}`);
  const parts = [sentence(describe(status, code, parsed))];
  if (hint !== undefined) parts.push(hint);
  if (requestId !== undefined) parts.push(`request_id=${requestId}`);
  return new ErrorClass(parts.join(" "), {
    code,
    status,
    requestId,
    retryAfterMs,
    body: parsed.value,
  });
}
