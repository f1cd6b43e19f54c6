import { excerpt } from "./excerpt.js";
import {
  FlashdutyError,
  type FlashdutyErrorJSON,
  type FlashdutyErrorOptions,
  hasMarker,
} from "./flashduty-error.js";
import { sanitize } from "./sanitize.js";

/** Options of a {@link FlashdutyApiError}. */
export interface FlashdutyApiErrorOptions extends FlashdutyErrorOptions {
  /** The parsed body (or raw text) of the response; kept redacted and non-enumerable. @default undefined */
  body?: unknown;
  /** Flashduty's own `error.message` (or a bare string `error`); kept redacted. @default undefined */
  serverMessage?: string | undefined;
}

/** Options of the per-code subclasses, whose `code` defaults to their documented code. */
export type FlashdutyApiErrorSubclassOptions = Partial<FlashdutyApiErrorOptions>;

/** Server messages are one line; a longer one is noise in a log line. */
export const SERVER_MESSAGE_LENGTH = 500;

const FLASHDUTY_API_ERROR_MARK = Symbol.for("flash-call.error.FlashdutyApiError");

/**
 * Flashduty (or a proxy in front of it) answered with an error: any status with an `error` body, or a non-2xx
 * status. Unknown codes and bodies that are not JSON still land here, with `code` set to `HTTP_<status>`.
 *
 * @example
 * ```ts
 * if (FlashdutyApiError.isInstance(error)) console.error(error.status, error.code, error.requestId);
 * ```
 */
export class FlashdutyApiError extends FlashdutyError {
  static override readonly kind: string = "FlashdutyApiError";

  /** Whether a value is a FlashdutyApiError (or a subclass), across realms. */
  static override isInstance(value: unknown): value is FlashdutyApiError {
    return hasMarker(value, FLASHDUTY_API_ERROR_MARK);
  }

  /** The mark {@link FlashdutyApiError.isInstance} looks for, inherited by every instance. */
  get [FLASHDUTY_API_ERROR_MARK](): true {
    return true;
  }

  /** The response body as received (parsed JSON or text), with secrets redacted. Not enumerable, not in `toJSON()`. */
  declare readonly body?: unknown;

  /**
   * What Flashduty itself said: its `error.message` (or a bare string `error`, or a top-level `message`), with
   * secrets redacted and cut to {@link SERVER_MESSAGE_LENGTH} (500) characters; `undefined` when the answer carried none (an HTML page from a
   * proxy, an empty body). `message` is a sentence built around it for people; this is the server's own words,
   * for logs and for matching.
   *
   * @example
   * ```ts
   * if (InvalidParameterError.isInstance(error)) log.warn(error.serverMessage ?? error.message);
   * ```
   */
  declare readonly serverMessage?: string;

  /** {@link FlashdutyError.toJSON}'s fields and {@link FlashdutyApiError.serverMessage}; never the body. */
  override toJSON(): FlashdutyErrorJSON & { serverMessage?: string | undefined } {
    return { ...super.toJSON(), serverMessage: this.serverMessage };
  }

  constructor(message: string, options: FlashdutyApiErrorOptions) {
    super(message, options);
    if (options.serverMessage !== undefined) {
      this.serverMessage = excerpt(options.serverMessage, SERVER_MESSAGE_LENGTH);
    }
    if (options.body !== undefined) {
      Object.defineProperty(this, "body", { value: sanitize(options.body), configurable: true });
    }
  }
}

const INVALID_PARAMETER_ERROR_MARK = Symbol.for("flash-call.error.InvalidParameterError");

/**
 * `InvalidParameter`: A parameter was invalid — including an invalid integration key (400).
 *
 * @example
 * ```ts
 * if (InvalidParameterError.isInstance(error)) console.error(error.message);
 * ```
 */
export class InvalidParameterError extends FlashdutyApiError {
  static override readonly kind: string = "InvalidParameterError";

  /** Whether a value is an InvalidParameterError, across realms. */
  static override isInstance(value: unknown): value is InvalidParameterError {
    return hasMarker(value, INVALID_PARAMETER_ERROR_MARK);
  }

  /** The mark {@link InvalidParameterError.isInstance} looks for, inherited by every instance. */
  get [INVALID_PARAMETER_ERROR_MARK](): true {
    return true;
  }

  /** @param options `code` defaults to `"InvalidParameter"` */
  constructor(message: string, options: FlashdutyApiErrorSubclassOptions = {}) {
    super(message, { code: "InvalidParameter", ...options });
  }
}

const INVALID_CONTENT_TYPE_ERROR_MARK = Symbol.for("flash-call.error.InvalidContentTypeError");

/**
 * `InvalidContentType`: The request's content type is not supported (400).
 *
 * @example
 * ```ts
 * if (InvalidContentTypeError.isInstance(error)) console.error(error.message);
 * ```
 */
export class InvalidContentTypeError extends FlashdutyApiError {
  static override readonly kind: string = "InvalidContentTypeError";

  /** Whether a value is an InvalidContentTypeError, across realms. */
  static override isInstance(value: unknown): value is InvalidContentTypeError {
    return hasMarker(value, INVALID_CONTENT_TYPE_ERROR_MARK);
  }

  /** The mark {@link InvalidContentTypeError.isInstance} looks for, inherited by every instance. */
  get [INVALID_CONTENT_TYPE_ERROR_MARK](): true {
    return true;
  }

  /** @param options `code` defaults to `"InvalidContentType"` */
  constructor(message: string, options: FlashdutyApiErrorSubclassOptions = {}) {
    super(message, { code: "InvalidContentType", ...options });
  }
}

const METHOD_NOT_ALLOWED_ERROR_MARK = Symbol.for("flash-call.error.MethodNotAllowedError");

/**
 * `MethodNotAllowed`: The HTTP method is not supported (400).
 *
 * @example
 * ```ts
 * if (MethodNotAllowedError.isInstance(error)) console.error(error.message);
 * ```
 */
export class MethodNotAllowedError extends FlashdutyApiError {
  static override readonly kind: string = "MethodNotAllowedError";

  /** Whether a value is a MethodNotAllowedError, across realms. */
  static override isInstance(value: unknown): value is MethodNotAllowedError {
    return hasMarker(value, METHOD_NOT_ALLOWED_ERROR_MARK);
  }

  /** The mark {@link MethodNotAllowedError.isInstance} looks for, inherited by every instance. */
  get [METHOD_NOT_ALLOWED_ERROR_MARK](): true {
    return true;
  }

  /** @param options `code` defaults to `"MethodNotAllowed"` */
  constructor(message: string, options: FlashdutyApiErrorSubclassOptions = {}) {
    super(message, { code: "MethodNotAllowed", ...options });
  }
}

const UNAUTHORIZED_ERROR_MARK = Symbol.for("flash-call.error.UnauthorizedError");

/**
 * `Unauthorized`: Authentication failed (401): check the integration key or the push URL.
 *
 * @example
 * ```ts
 * if (UnauthorizedError.isInstance(error)) console.error(error.message);
 * ```
 */
export class UnauthorizedError extends FlashdutyApiError {
  static override readonly kind: string = "UnauthorizedError";

  /** Whether a value is an UnauthorizedError, across realms. */
  static override isInstance(value: unknown): value is UnauthorizedError {
    return hasMarker(value, UNAUTHORIZED_ERROR_MARK);
  }

  /** The mark {@link UnauthorizedError.isInstance} looks for, inherited by every instance. */
  get [UNAUTHORIZED_ERROR_MARK](): true {
    return true;
  }

  /** @param options `code` defaults to `"Unauthorized"` */
  constructor(message: string, options: FlashdutyApiErrorSubclassOptions = {}) {
    super(message, { code: "Unauthorized", ...options });
  }
}

const ACCESS_DENIED_ERROR_MARK = Symbol.for("flash-call.error.AccessDeniedError");

/**
 * `AccessDenied`: Authorization failed (403).
 *
 * @example
 * ```ts
 * if (AccessDeniedError.isInstance(error)) console.error(error.message);
 * ```
 */
export class AccessDeniedError extends FlashdutyApiError {
  static override readonly kind: string = "AccessDeniedError";

  /** Whether a value is an AccessDeniedError, across realms. */
  static override isInstance(value: unknown): value is AccessDeniedError {
    return hasMarker(value, ACCESS_DENIED_ERROR_MARK);
  }

  /** The mark {@link AccessDeniedError.isInstance} looks for, inherited by every instance. */
  get [ACCESS_DENIED_ERROR_MARK](): true {
    return true;
  }

  /** @param options `code` defaults to `"AccessDenied"` */
  constructor(message: string, options: FlashdutyApiErrorSubclassOptions = {}) {
    super(message, { code: "AccessDenied", ...options });
  }
}

const REQUEST_TOO_FREQUENTLY_ERROR_MARK = Symbol.for("flash-call.error.RequestTooFrequentlyError");

/**
 * `RequestTooFrequently`: Rate limited (429): over 100 requests/s or 1000/min for the integration. Retryable; `retryAfterMs` holds the server's `Retry-After` when sent.
 *
 * @example
 * ```ts
 * if (RequestTooFrequentlyError.isInstance(error)) console.error(error.message);
 * ```
 */
export class RequestTooFrequentlyError extends FlashdutyApiError {
  static override readonly kind: string = "RequestTooFrequentlyError";

  /** Whether a value is a RequestTooFrequentlyError, across realms. */
  static override isInstance(value: unknown): value is RequestTooFrequentlyError {
    return hasMarker(value, REQUEST_TOO_FREQUENTLY_ERROR_MARK);
  }

  /** The mark {@link RequestTooFrequentlyError.isInstance} looks for, inherited by every instance. */
  get [REQUEST_TOO_FREQUENTLY_ERROR_MARK](): true {
    return true;
  }

  /** @param options `code` defaults to `"RequestTooFrequently"` */
  constructor(message: string, options: FlashdutyApiErrorSubclassOptions = {}) {
    super(message, { code: "RequestTooFrequently", ...options });
  }
}

const ROUTE_NOT_FOUND_ERROR_MARK = Symbol.for("flash-call.error.RouteNotFoundError");

/**
 * `RouteNotFound`: Method and path matched no route (404): usually a wrong base URL.
 *
 * @example
 * ```ts
 * if (RouteNotFoundError.isInstance(error)) console.error(error.message);
 * ```
 */
export class RouteNotFoundError extends FlashdutyApiError {
  static override readonly kind: string = "RouteNotFoundError";

  /** Whether a value is a RouteNotFoundError, across realms. */
  static override isInstance(value: unknown): value is RouteNotFoundError {
    return hasMarker(value, ROUTE_NOT_FOUND_ERROR_MARK);
  }

  /** The mark {@link RouteNotFoundError.isInstance} looks for, inherited by every instance. */
  get [ROUTE_NOT_FOUND_ERROR_MARK](): true {
    return true;
  }

  /** @param options `code` defaults to `"RouteNotFound"` */
  constructor(message: string, options: FlashdutyApiErrorSubclassOptions = {}) {
    super(message, { code: "RouteNotFound", ...options });
  }
}

const RESOURCE_NOT_FOUND_ERROR_MARK = Symbol.for("flash-call.error.ResourceNotFoundError");

/**
 * `ResourceNotFound`: The account has not purchased the resource (400).
 *
 * @example
 * ```ts
 * if (ResourceNotFoundError.isInstance(error)) console.error(error.message);
 * ```
 */
export class ResourceNotFoundError extends FlashdutyApiError {
  static override readonly kind: string = "ResourceNotFoundError";

  /** Whether a value is a ResourceNotFoundError, across realms. */
  static override isInstance(value: unknown): value is ResourceNotFoundError {
    return hasMarker(value, RESOURCE_NOT_FOUND_ERROR_MARK);
  }

  /** The mark {@link ResourceNotFoundError.isInstance} looks for, inherited by every instance. */
  get [RESOURCE_NOT_FOUND_ERROR_MARK](): true {
    return true;
  }

  /** @param options `code` defaults to `"ResourceNotFound"` */
  constructor(message: string, options: FlashdutyApiErrorSubclassOptions = {}) {
    super(message, { code: "ResourceNotFound", ...options });
  }
}

const NO_LICENSE_ERROR_MARK = Symbol.for("flash-call.error.NoLicenseError");

/**
 * `NoLicense`: Not enough subscription licenses (400).
 *
 * @example
 * ```ts
 * if (NoLicenseError.isInstance(error)) console.error(error.message);
 * ```
 */
export class NoLicenseError extends FlashdutyApiError {
  static override readonly kind: string = "NoLicenseError";

  /** Whether a value is a NoLicenseError, across realms. */
  static override isInstance(value: unknown): value is NoLicenseError {
    return hasMarker(value, NO_LICENSE_ERROR_MARK);
  }

  /** The mark {@link NoLicenseError.isInstance} looks for, inherited by every instance. */
  get [NO_LICENSE_ERROR_MARK](): true {
    return true;
  }

  /** @param options `code` defaults to `"NoLicense"` */
  constructor(message: string, options: FlashdutyApiErrorSubclassOptions = {}) {
    super(message, { code: "NoLicense", ...options });
  }
}

const INTERNAL_SERVER_ERROR_MARK = Symbol.for("flash-call.error.InternalServerError");

/**
 * `InternalError`: Flashduty failed internally (500, code `InternalError`). Retryable.
 *
 * @example
 * ```ts
 * if (InternalServerError.isInstance(error)) console.error(error.message);
 * ```
 */
export class InternalServerError extends FlashdutyApiError {
  static override readonly kind: string = "InternalServerError";

  /** Whether a value is an InternalServerError, across realms. */
  static override isInstance(value: unknown): value is InternalServerError {
    return hasMarker(value, INTERNAL_SERVER_ERROR_MARK);
  }

  /** The mark {@link InternalServerError.isInstance} looks for, inherited by every instance. */
  get [INTERNAL_SERVER_ERROR_MARK](): true {
    return true;
  }

  /** @param options `code` defaults to `"InternalError"` */
  constructor(message: string, options: FlashdutyApiErrorSubclassOptions = {}) {
    super(message, { code: "InternalError", ...options });
  }
}
