export {
  AccessDeniedError,
  FlashdutyApiError,
  type FlashdutyApiErrorOptions,
  type FlashdutyApiErrorSubclassOptions,
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
export { argumentError } from "./argument-error.js";
export { CLIENT_ERROR_CODES, type ClientErrorCode } from "./client-error-codes.js";
export {
  type AbortErrorOptions,
  type ClientErrorOptions,
  FlashdutyAbortError,
  FlashdutyConfigError,
  FlashdutyNetworkError,
  FlashdutyTimeoutError,
  FlashdutyValidationError,
  type IssuesErrorOptions,
  type NetworkErrorOptions,
  type TimeoutErrorOptions,
  type ValidationErrorOptions,
  type ValidationIssue,
} from "./client-errors.js";
export { ERROR_CODES, type ErrorCodeInfo, hintFor, REDIRECTED } from "./error-codes.js";
export { errorFromResponse, type ResponseFacts } from "./error-from-response.js";
export { cutText, excerpt } from "./excerpt.js";
export { FlashdutyError, type FlashdutyErrorJSON, type FlashdutyErrorOptions } from "./flashduty-error.js";
export type { HeadersLike } from "./headers.js";
export { isRetryable } from "./is-retryable.js";
export { kindOf } from "./kind-of.js";
export { maskKey } from "./mask-key.js";
export {
  type BodyText,
  ERROR_BODY_LIMIT_BYTES,
  readBodyText,
  SUCCESS_BODY_LIMIT_BYTES,
} from "./read-body-text.js";
export { parseRetryAfter } from "./retry-after.js";
export {
  type Backoff,
  backoffDelay,
  createRetryPolicy,
  DEFAULT_RETRY_ON,
  DEFAULT_RETRY_POLICY,
  isRetryableStatus,
  isWorthRetryingLater,
  planRetry,
  type RetryOn,
  type RetryPlan,
  type RetryPolicy,
  type RetryPolicyOptions,
} from "./retry-policy.js";
export type { RetryRules } from "./retry-rule.js";
export { sanitize, sanitizeParsedJson } from "./sanitize.js";
export { scrubUrl } from "./scrub-url.js";
export { redact, redactWith, registerSecret, secretRegistryState } from "./secret-registry.js";
