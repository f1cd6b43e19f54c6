import { FlashdutyError, type FlashdutyErrorOptions } from "./flashduty-error.js";
import { sanitize } from "./sanitize.js";

/** Options of a {@link FlashdutyApiError}. */
export interface FlashdutyApiErrorOptions extends FlashdutyErrorOptions {
  /** The parsed body (or raw text) of the response; kept redacted and non-enumerable. @default undefined */
  body?: unknown;
}

/** Options of the per-code subclasses, whose `code` defaults to their documented code. */
export type FlashdutyApiErrorSubclassOptions = Partial<FlashdutyApiErrorOptions>;

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
  declare static readonly isInstance: (value: unknown) => value is FlashdutyApiError;
  /** The response body as received (parsed JSON or text), with secrets redacted. Not enumerable, not in `toJSON()`. */
  declare readonly body?: unknown;

  constructor(message: string, options: FlashdutyApiErrorOptions) {
    super(message, options);
    if (options.body !== undefined) {
      Object.defineProperty(this, "body", { value: sanitize(options.body), configurable: true });
    }
  }
}

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
  declare static readonly isInstance: (value: unknown) => value is InvalidParameterError;

  /** @param options `code` defaults to `"InvalidParameter"` */
  constructor(message: string, options: FlashdutyApiErrorSubclassOptions = {}) {
    super(message, { code: "InvalidParameter", ...options });
  }
}

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
  declare static readonly isInstance: (value: unknown) => value is InvalidContentTypeError;

  /** @param options `code` defaults to `"InvalidContentType"` */
  constructor(message: string, options: FlashdutyApiErrorSubclassOptions = {}) {
    super(message, { code: "InvalidContentType", ...options });
  }
}

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
  declare static readonly isInstance: (value: unknown) => value is MethodNotAllowedError;

  /** @param options `code` defaults to `"MethodNotAllowed"` */
  constructor(message: string, options: FlashdutyApiErrorSubclassOptions = {}) {
    super(message, { code: "MethodNotAllowed", ...options });
  }
}

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
  declare static readonly isInstance: (value: unknown) => value is UnauthorizedError;

  /** @param options `code` defaults to `"Unauthorized"` */
  constructor(message: string, options: FlashdutyApiErrorSubclassOptions = {}) {
    super(message, { code: "Unauthorized", ...options });
  }
}

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
  declare static readonly isInstance: (value: unknown) => value is AccessDeniedError;

  /** @param options `code` defaults to `"AccessDenied"` */
  constructor(message: string, options: FlashdutyApiErrorSubclassOptions = {}) {
    super(message, { code: "AccessDenied", ...options });
  }
}

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
  declare static readonly isInstance: (value: unknown) => value is RequestTooFrequentlyError;

  /** @param options `code` defaults to `"RequestTooFrequently"` */
  constructor(message: string, options: FlashdutyApiErrorSubclassOptions = {}) {
    super(message, { code: "RequestTooFrequently", ...options });
  }
}

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
  declare static readonly isInstance: (value: unknown) => value is RouteNotFoundError;

  /** @param options `code` defaults to `"RouteNotFound"` */
  constructor(message: string, options: FlashdutyApiErrorSubclassOptions = {}) {
    super(message, { code: "RouteNotFound", ...options });
  }
}

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
  declare static readonly isInstance: (value: unknown) => value is ResourceNotFoundError;

  /** @param options `code` defaults to `"ResourceNotFound"` */
  constructor(message: string, options: FlashdutyApiErrorSubclassOptions = {}) {
    super(message, { code: "ResourceNotFound", ...options });
  }
}

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
  declare static readonly isInstance: (value: unknown) => value is NoLicenseError;

  /** @param options `code` defaults to `"NoLicense"` */
  constructor(message: string, options: FlashdutyApiErrorSubclassOptions = {}) {
    super(message, { code: "NoLicense", ...options });
  }
}

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
  declare static readonly isInstance: (value: unknown) => value is InternalServerError;

  /** @param options `code` defaults to `"InternalError"` */
  constructor(message: string, options: FlashdutyApiErrorSubclassOptions = {}) {
    super(message, { code: "InternalError", ...options });
  }
}
