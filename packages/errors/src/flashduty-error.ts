import { retryableFor } from "./retry-rule.js";
import { sanitize } from "./sanitize.js";
import { redact } from "./secret-registry.js";

/**
 * Whether `value` carries `mark`: the registered symbol one error class puts on its prototype, so that every instance
 * of it and of its subclasses has it, while a look-alike object does not. A registered symbol (`Symbol.for`) is the
 * same in every realm and in every copy of this package, where `instanceof` fails.
 *
 * @example
 * ```ts
 * hasMarker(error, Symbol.for("flash-call.error.UnauthorizedError"));
 * ```
 */
export function hasMarker(value: unknown, mark: symbol): boolean {
  if (typeof value !== "object" || value === null) return false;
  try {
    return (value as Record<symbol, unknown>)[mark] === true;
  } catch {
    // A Proxy whose trap throws, thrown or caught as an error: not one of ours.
    return false;
  }
}

const FLASHDUTY_ERROR_MARK = Symbol.for("flash-call.error.FlashdutyError");

/** Options of every {@link FlashdutyError}. */
export interface FlashdutyErrorOptions {
  /** A documented Flashduty code, `HTTP_<status>`, or a client-side code such as `ConfigError`. */
  code: string;
  /** The HTTP status, when a response was received. @default undefined */
  status?: number | undefined;
  /** Flashduty's `request_id`, to quote to support. @default undefined */
  requestId?: string | undefined;
  /** @default whether a retry can help, by code and status: see `isWorthRetryingLater` */
  retryable?: boolean | undefined;
  /** How long the server asked to wait before retrying. @default undefined */
  retryAfterMs?: number | undefined;
  /** The underlying error; kept only in a form that prints no secret. @default none */
  cause?: unknown;
  /**
   * The message without the hint and the `request_id=…` it ends with (see {@link FlashdutyError.summary}).
   * @default the message itself
   */
  summary?: string | undefined;
}

/** What `JSON.stringify` shows of a {@link FlashdutyError}: never a URL, a body or a key. */
export interface FlashdutyErrorJSON {
  name: string;
  code: string;
  message: string;
  status?: number | undefined;
  requestId?: string | undefined;
  retryable: boolean;
  retryAfterMs?: number | undefined;
}

/**
 * Every error the SDK throws. Its message, stack, `toJSON()` and `cause` never contain an integration key:
 * messages pass through `redact` when built.
 *
 * @example
 * ```ts
 * try {
 *   await pushAlert(event);
 * } catch (error) {
 *   if (FlashdutyError.isInstance(error) && error.retryable) queueForLater(event);
 *   else throw error;
 * }
 * ```
 */
export class FlashdutyError extends Error {
  /** The class's name for `name`; not minified away, unlike class names. A subclass sets its own. */
  static readonly kind: string = "FlashdutyError";

  /**
   * Whether a value is a FlashdutyError, across realms and duplicate installs of this package (where `instanceof`
   * would fail). Each error class has its own, which accepts its instances and its subclasses' only; it checks the
   * class's mark, never `this`, so it works detached: `errors.filter(UnauthorizedError.isInstance)`. A subclass of
   * your own inherits its parent's check; give it its own by declaring or assigning a static `isInstance`.
   *
   * @example
   * ```ts
   * if (FlashdutyError.isInstance(error)) console.error(error.code, error.requestId);
   * ```
   */
  static isInstance(value: unknown): value is FlashdutyError {
    return hasMarker(value, FLASHDUTY_ERROR_MARK);
  }

  /** The mark {@link FlashdutyError.isInstance} looks for, inherited by every instance. */
  get [FLASHDUTY_ERROR_MARK](): true {
    return true;
  }

  /** The class's `kind`, e.g. `UnauthorizedError`: what the stack and `util.inspect` start with. */
  override readonly name: string;
  /** A documented Flashduty code, `HTTP_<status>`, or a client-side code. */
  readonly code: string;
  /** Whether sending the same thing again later may succeed. */
  readonly retryable: boolean;
  /** The HTTP status, when a response was received. */
  declare readonly status?: number;
  /** Flashduty's `request_id`, to quote to support. */
  declare readonly requestId?: string;
  /** How long the server asked to wait before retrying (`Retry-After`, `retry-after-ms`). */
  declare readonly retryAfterMs?: number;
  /**
   * What went wrong, without the hint and the `request_id=…` that `message` ends with: for a display that shows
   * those on lines of their own (the CLI's stderr does). Redacted like `message`; not enumerable and not in
   * `toJSON()`, as `message` holds it. Default: `message` itself, for an error whose message carries neither.
   *
   * @example
   * ```ts
   * if (FlashdutyError.isInstance(error)) console.error(`${error.code}: ${error.summary}`, error.requestId ?? "");
   * ```
   */
  declare readonly summary: string;

  constructor(message: string, options: FlashdutyErrorOptions) {
    super(redact(messageText(message)), "cause" in options ? { cause: sanitize(options.cause) } : undefined);
    this.code = redact(options.code);
    this.retryable = options.retryable ?? retryableFor(options.code, options.status);
    if (options.status !== undefined) this.status = options.status;
    if (options.requestId !== undefined) this.requestId = redact(options.requestId);
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    Object.defineProperty(this, "summary", {
      value: options.summary === undefined ? this.message : redact(options.summary),
      configurable: true,
    });
    // A user subclass that declares no kind of its own inherits the name of the class it extends.
    this.name = new.target.kind;
  }

  /** The safe, serialisable fields: `{ name, code, message, status, requestId, retryable, retryAfterMs }`. */
  toJSON(): FlashdutyErrorJSON {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      status: this.status,
      requestId: this.requestId,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
    };
  }
}

/**
 * A message as text: plain JavaScript may construct an error with anything, and an error must still be made (with
 * the text of what was given, or none when even that cannot be had), not a TypeError thrown in its place.
 */
function messageText(message: unknown): string {
  if (typeof message === "string") return message;
  if (message === undefined) return "";
  try {
    return String(message);
  } catch {
    return "";
  }
}
