export type {
  AlertEvent,
  AlertImage,
  ChangeEvent,
  ChangeStatus,
  ErrorCode,
  EventStatus,
  PushFailure,
  PushSuccess,
} from "@flash-call/core";
export { DEFAULT_BASE_URL } from "@flash-call/core";
export { CHANGE_LIMITS, CHANGE_STATUSES, LIMITS } from "@flash-call/core/constants";
export {
  AccessDeniedError,
  type Backoff,
  CLIENT_ERROR_CODES,
  type ClientErrorCode,
  DEFAULT_RETRY_ON,
  ERROR_CODES,
  errorFromResponse,
  FlashdutyAbortError,
  FlashdutyApiError,
  FlashdutyConfigError,
  FlashdutyError,
  FlashdutyNetworkError,
  FlashdutyTimeoutError,
  FlashdutyValidationError,
  hintFor,
  InternalServerError,
  InvalidContentTypeError,
  InvalidParameterError,
  isRetryable,
  isWorthRetryingLater,
  MethodNotAllowedError,
  NoLicenseError,
  RequestTooFrequentlyError,
  ResourceNotFoundError,
  type RetryOn,
  RouteNotFoundError,
  UnauthorizedError,
} from "@flash-call/errors";
export { clearKey, getKey, parsePushUrl, redact, setKey } from "@flash-call/keys";
export type { FlashCallChange, PreparedChange } from "./change-event.js";
export type { ChangeExtra, ChangeHandle, ChangeMethods, ChangeResult } from "./change-handle.js";
export { pushAlert, pushChange, resolveAlert } from "./default-instance.js";
export type { FlushResult } from "./delivery-queue.js";
export { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from "./delivery-request.js";
export type { FlashCallEvent, LabelValue, PreparedEvent, Truncation } from "./event.js";
export { type AlertHandle, createFlashCall, type FlashCall, type PushResult } from "./flash-call.js";
export type { AttemptInfo, ErrorInfo, Hooks, Logger, LogLevel, ResponseInfo, RetryInfo } from "./hooks.js";
export type { CallOptions, FlashCallOptions } from "./options.js";
export type { Pacer, Release } from "./pacer.js";
export { prepareChange } from "./prepare-change.js";
export { type PrepareOptions, prepareEvent } from "./prepare-event.js";
export { type RateLimit, RateLimiter, type RateLimitWindows } from "./rate-limiter.js";
export { preparationWarnings } from "./secret-fields.js";
export { sleep } from "./sleep.js";
export type { Telemetry, TelemetryMeter, TelemetrySpan, TelemetryTracer } from "./telemetry.js";
export { PUSH_CHANNEL, type PushChannelContext } from "./tracing-channel.js";
