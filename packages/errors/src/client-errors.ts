import { CLIENT_ERROR_CODES } from "./client-error-codes.js";
import { FlashdutyError, hasMarker } from "./flashduty-error.js";
import { redact } from "./secret-registry.js";

/** Options of the client-side errors. */
export interface ClientErrorOptions {
  /** The underlying error; kept only in a form that prints no secret. @default none */
  cause?: unknown;
}

/** One problem found in an event before sending it. */
export interface ValidationIssue {
  /** Where in the event, e.g. `labels.host` or `images[0].src`. */
  path: string;
  /** What is wrong, e.g. `must be at most 256 characters`. */
  message: string;
}

/** Options of a {@link FlashdutyValidationError}. */
export interface ValidationErrorOptions extends ClientErrorOptions {
  /** Every issue found. */
  issues: readonly ValidationIssue[];
}

/** A validation error made from its issues: what was checked, for its message. */
export interface IssuesErrorOptions extends ClientErrorOptions {
  /** What the issues are in, as the message names it. @default "alert event" */
  subject?: string | undefined;
}

/** A message followed by what the cause says (a string, or an error's message), when it says anything. */
function withCause(message: string, cause: unknown): string {
  const detail = typeof cause === "string" ? cause : (cause as { message?: unknown } | undefined)?.message;
  return typeof detail === "string" && detail !== "" ? `${message}: ${detail}` : message;
}

const FLASHDUTY_VALIDATION_ERROR_MARK = Symbol.for("flash-call.error.FlashdutyValidationError");

/** How many issues a validation error's message names; the rest are counted. */
const ISSUES_IN_MESSAGE = 20;

/**
 * The event is invalid; nothing was sent. `issues` lists every problem, not just the first.
 *
 * @example
 * ```ts
 * throw new FlashdutyValidationError([{ path: "title_rule", message: "must not be empty" }]);
 * // message: "Invalid alert event (1 issue): title_rule: must not be empty"
 * throw new FlashdutyValidationError([{ path: "title", message: "must not be empty" }], { subject: "change event" });
 * // message: "Invalid change event (1 issue): title: must not be empty"
 * ```
 */
export class FlashdutyValidationError extends FlashdutyError {
  static override readonly kind: string = "FlashdutyValidationError";

  /** Whether a value is a FlashdutyValidationError, across realms. */
  static override isInstance(value: unknown): value is FlashdutyValidationError {
    return hasMarker(value, FLASHDUTY_VALIDATION_ERROR_MARK);
  }

  /** The mark {@link FlashdutyValidationError.isInstance} looks for, inherited by every instance. */
  get [FLASHDUTY_VALIDATION_ERROR_MARK](): true {
    return true;
  }

  /** Every issue found. */
  readonly issues: readonly ValidationIssue[];

  /**
   * @param messageOrIssues a message, or the issues to build one from
   * @param given `issues` (required with a message), `cause`; with issues, the `subject` they are in
   */
  constructor(issues: readonly ValidationIssue[], options?: IssuesErrorOptions);
  constructor(message: string, options: ValidationErrorOptions);
  constructor(
    messageOrIssues: string | readonly ValidationIssue[],
    given: Partial<ValidationErrorOptions> & IssuesErrorOptions = {},
  ) {
    const { subject, ...options } = given;
    const issues = typeof messageOrIssues === "string" ? (options.issues ?? []) : messageOrIssues;
    // The message names the first issues only: an event with a hundred thousand bad labels would otherwise make a
    // message of megabytes for every log line and stack that prints it. `issues` keeps them all.
    const more = issues.length - ISSUES_IN_MESSAGE;
    const message =
      typeof messageOrIssues === "string"
        ? messageOrIssues
        : `Invalid ${typeof subject === "string" ? subject : "alert event"} (${issues.length} issue${issues.length === 1 ? "" : "s"}): ${issues
            .slice(0, ISSUES_IN_MESSAGE)
            .map((issue) => `${issue.path}: ${issue.message}`)
            .join("; ")}${more > 0 ? `; and ${more} more (see issues)` : ""}`;
    super(message, { ...options, code: CLIENT_ERROR_CODES.validation });
    this.issues = issues.map((issue) => ({ path: redact(issue.path), message: redact(issue.message) }));
  }
}

const FLASHDUTY_CONFIG_ERROR_MARK = Symbol.for("flash-call.error.FlashdutyConfigError");

/**
 * The SDK is not configured to push: no integration key found, a malformed key, a push URL without
 * `integration_key`. The message says what is wrong and never prints the key.
 *
 * @example
 * ```ts
 * throw new FlashdutyConfigError("No integration key: pass one, call setKey(), or set FLASHDUTY_INTEGRATION_KEY.");
 * ```
 */
export class FlashdutyConfigError extends FlashdutyError {
  static override readonly kind: string = "FlashdutyConfigError";

  /** Whether a value is a FlashdutyConfigError, across realms. */
  static override isInstance(value: unknown): value is FlashdutyConfigError {
    return hasMarker(value, FLASHDUTY_CONFIG_ERROR_MARK);
  }

  /** The mark {@link FlashdutyConfigError.isInstance} looks for, inherited by every instance. */
  get [FLASHDUTY_CONFIG_ERROR_MARK](): true {
    return true;
  }

  constructor(message: string, options: ClientErrorOptions = {}) {
    super(message, { ...options, code: CLIENT_ERROR_CODES.config });
  }
}

/** Options of a {@link FlashdutyNetworkError}. */
export interface NetworkErrorOptions extends ClientErrorOptions {
  /**
   * The HTTP status of an answer that came but cannot be taken: one whose connection ended part way through its
   * body (the head came, the rest did not), or one whose status no HTTP answer has (outside 200–599).
   * @default undefined (no answer came)
   */
  status?: number | undefined;
}

const FLASHDUTY_NETWORK_ERROR_MARK = Symbol.for("flash-call.error.FlashdutyNetworkError");

/**
 * Flashduty could not be reached (DNS, connection refused or reset, TLS, proxy), or its answer's connection ended
 * part way through the body (then `status` is the one that came: the push may have landed, and Flashduty drops a
 * duplicate). Retryable.
 *
 * @example
 * ```ts
 * throw new FlashdutyNetworkError(undefined, { cause: fetchError });
 * // message: "Could not reach Flashduty: fetch failed"
 * ```
 */
export class FlashdutyNetworkError extends FlashdutyError {
  static override readonly kind: string = "FlashdutyNetworkError";

  /** Whether a value is a FlashdutyNetworkError, across realms. */
  static override isInstance(value: unknown): value is FlashdutyNetworkError {
    return hasMarker(value, FLASHDUTY_NETWORK_ERROR_MARK);
  }

  /** The mark {@link FlashdutyNetworkError.isInstance} looks for, inherited by every instance. */
  get [FLASHDUTY_NETWORK_ERROR_MARK](): true {
    return true;
  }

  /** @param message @default "Could not reach Flashduty" followed by the cause's message */
  constructor(message?: string, options: NetworkErrorOptions = {}) {
    super(message ?? withCause("Could not reach Flashduty", options.cause), {
      ...options,
      code: CLIENT_ERROR_CODES.network,
    });
  }
}

/** Options of a {@link FlashdutyTimeoutError}. */
export interface TimeoutErrorOptions extends ClientErrorOptions {
  /** The time limit that passed, for the default message. @default undefined */
  timeoutMs?: number;
}

const FLASHDUTY_TIMEOUT_ERROR_MARK = Symbol.for("flash-call.error.FlashdutyTimeoutError");

/**
 * Flashduty did not answer within the time limit of one attempt. Retryable.
 *
 * @example
 * ```ts
 * throw new FlashdutyTimeoutError(undefined, { timeoutMs: 10_000 });
 * // message: "Flashduty did not answer within 10000 ms"
 * ```
 */
export class FlashdutyTimeoutError extends FlashdutyError {
  static override readonly kind: string = "FlashdutyTimeoutError";

  /** Whether a value is a FlashdutyTimeoutError, across realms. */
  static override isInstance(value: unknown): value is FlashdutyTimeoutError {
    return hasMarker(value, FLASHDUTY_TIMEOUT_ERROR_MARK);
  }

  /** The mark {@link FlashdutyTimeoutError.isInstance} looks for, inherited by every instance. */
  get [FLASHDUTY_TIMEOUT_ERROR_MARK](): true {
    return true;
  }

  /** @param message @default "Flashduty did not answer within <timeoutMs> ms" */
  constructor(message?: string, options: TimeoutErrorOptions = {}) {
    const limit = options.timeoutMs === undefined ? "in time" : `within ${options.timeoutMs} ms`;
    super(message ?? `Flashduty did not answer ${limit}`, { ...options, code: CLIENT_ERROR_CODES.timeout });
  }
}

/** Options of a {@link FlashdutyAbortError}. */
export interface AbortErrorOptions extends ClientErrorOptions {
  /** Whether an attempt of the push had been sent when the abort came. @default false */
  sent?: boolean;
}

const FLASHDUTY_ABORT_ERROR_MARK = Symbol.for("flash-call.error.FlashdutyAbortError");

/**
 * The caller's AbortSignal cancelled the operation (including a wait between retries). Not retryable.
 *
 * @example
 * ```ts
 * throw new FlashdutyAbortError(undefined, { cause: signal.reason, sent: true });
 * // message: "The push was aborted before Flashduty answered; it may have arrived"
 * ```
 */
export class FlashdutyAbortError extends FlashdutyError {
  static override readonly kind: string = "FlashdutyAbortError";

  /** Whether a value is a FlashdutyAbortError, across realms. */
  static override isInstance(value: unknown): value is FlashdutyAbortError {
    return hasMarker(value, FLASHDUTY_ABORT_ERROR_MARK);
  }

  /** The mark {@link FlashdutyAbortError.isInstance} looks for, inherited by every instance. */
  get [FLASHDUTY_ABORT_ERROR_MARK](): true {
    return true;
  }

  /**
   * Whether an attempt of the push had been sent when the abort came. `false`: nothing of it reached the network
   * (it waited in the queue, for a pacing slot or between retries before any attempt), so Flashduty has not seen it.
   * `true`: Flashduty may have received it; a push sent again with the same `alert_key` updates the same alert.
   */
  readonly sent: boolean;

  /**
   * @param message @default "The push was aborted before it was sent", or with `sent`: "The push was aborted before
   * Flashduty answered; it may have arrived"
   */
  constructor(message?: string, options: AbortErrorOptions = {}) {
    const sent = options.sent === true;
    const said = sent
      ? "The push was aborted before Flashduty answered; it may have arrived"
      : "The push was aborted before it was sent";
    super(message ?? said, { ...options, code: CLIENT_ERROR_CODES.aborted });
    this.sent = sent;
  }
}
