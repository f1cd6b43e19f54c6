import { retryableFor } from "./retry-rule.js";
import { sanitize } from "./sanitize.js";
import { redact } from "./secret-registry.js";

/**
 * The instance property listing the `kind` of every class an error was built from. A registered symbol, so
 * `isInstance` recognises errors from another realm or another copy of this package, where `instanceof` fails.
 */
const KINDS = Symbol.for("flash-call.error.kinds");

/** Whether a value is an error built from the class of that `kind` (or a subclass of it), in any realm. */
function hasKind(value: unknown, kind: string): boolean {
  if (typeof value !== "object" || value === null) return false;
  const kinds = (value as { [KINDS]?: unknown })[KINDS];
  return Array.isArray(kinds) && kinds.includes(kind);
}

/** One `isInstance` function per kind, so that it stays the same function on every read, as a method would. */
const GUARDS = new Map<string, (value: unknown) => value is FlashdutyError>();

/** Options of every {@link FlashdutyError}. */
export interface FlashdutyErrorOptions {
  /** A documented Flashduty code, `HTTP_<status>`, or a client-side code such as `ConfigError`. */
  code: string;
  /** The HTTP status, when a response was received. @default undefined */
  status?: number | undefined;
  /** Flashduty's `request_id`, to quote to support. @default undefined */
  requestId?: string | undefined;
  /** @default by code, then by status (408, 429, 5xx): see `ERROR_CODES` */
  retryable?: boolean | undefined;
  /** How long the server asked to wait before retrying. @default undefined */
  retryAfterMs?: number | undefined;
  /** The underlying error; kept only in a form that prints no secret. @default none */
  cause?: unknown;
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
  /** The class's identity for {@link FlashdutyError.isInstance}; not minified away, unlike class names. */
  static readonly kind: string = "FlashdutyError";

  /**
   * Whether a value is a FlashdutyError, across realms and duplicate installs of this package (where
   * `instanceof` would fail). Each subclass's `isInstance` accepts only its own kind.
   *
   * A getter returning a function, so that every subclass inherits a check of its own `kind` without
   * repeating it, and so that it works detached: `errors.filter(UnauthorizedError.isInstance)`.
   *
   * @example
   * ```ts
   * if (FlashdutyError.isInstance(error)) console.error(error.code, error.requestId);
   * ```
   */
  static get isInstance(): (value: unknown) => value is FlashdutyError {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class read from, e.g. UnauthorizedError, not FlashdutyError
    const kind = this.kind;
    let guard = GUARDS.get(kind);
    if (guard === undefined) {
      guard = (value): value is FlashdutyError => hasKind(value, kind);
      GUARDS.set(kind, guard);
    }
    return guard;
  }

  /**
   * Lets a subclass give itself its own `isInstance` by assignment, which is what TypeScript emits for a static
   * field without `useDefineForClassFields`: without a setter, that assignment would throw at load time.
   */
  static set isInstance(guard: (value: unknown) => value is FlashdutyError) {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass being assigned to
    Object.defineProperty(this, "isInstance", { value: guard, writable: true, configurable: true });
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

  constructor(message: string, options: FlashdutyErrorOptions) {
    super(redact(message), "cause" in options ? { cause: sanitize(options.cause) } : undefined);
    this.code = redact(options.code);
    this.retryable = options.retryable ?? retryableFor(options.code, options.status);
    if (options.status !== undefined) this.status = options.status;
    if (options.requestId !== undefined) this.requestId = redact(options.requestId);
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    const kinds: string[] = [];
    // From the class constructed up to FlashdutyError: the classes that have a kind, their own or inherited.
    for (let type = new.target; "kind" in type; type = Object.getPrototypeOf(type)) {
      if (Object.hasOwn(type, "kind")) kinds.push(type.kind);
    }
    Object.defineProperty(this, KINDS, { value: kinds });
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
