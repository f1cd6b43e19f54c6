/**
 * The codes the SDK and the CLI give the failures they see themselves, beside Flashduty's documented ones
 * (`ERROR_CODES`). Each literal is written here once: what is retried, which exit code a failure gets, what the
 * spool does and what telemetry records all compare against these, so none can drift from what the errors carry.
 *
 * - `validation`: `FlashdutyValidationError`, the event is invalid and nothing was sent.
 * - `config`: `FlashdutyConfigError`, no key, a bad option or base URL.
 * - `network`: `FlashdutyNetworkError`, no answer (refused, reset, DNS, TLS, a custom fetch that threw), or one
 *   with a success status whose connection ended part way through its body (then with that `status`; an error
 *   answer cut short is judged by its status, as a whole one is).
 * - `timeout`: `FlashdutyTimeoutError`, no whole answer within `timeoutMs`.
 * - `aborted`: `FlashdutyAbortError`, the caller's signal ended the operation.
 * - `redirected`: a 3xx answer, never followed.
 * - `queueFull`: the SDK's queue had no room (`maxQueue`); nothing was sent.
 * - `clientClosed`: the instance was closed; nothing was sent.
 *
 * @example
 * ```ts
 * if (error.code === CLIENT_ERROR_CODES.timeout) console.error("Flashduty did not answer in time: raise timeoutMs");
 * ```
 */
export const CLIENT_ERROR_CODES = Object.freeze({
  validation: "ValidationError",
  config: "ConfigError",
  network: "NetworkError",
  timeout: "Timeout",
  aborted: "Aborted",
  redirected: "Redirected",
  queueFull: "QueueFull",
  clientClosed: "ClientClosed",
} as const);

/** One of {@link CLIENT_ERROR_CODES}' codes. */
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[keyof typeof CLIENT_ERROR_CODES];
