import { FlashdutyConfigError, maskKey, registerSecret } from "@flash-call/errors";
import { hasUnit, isControl, isWhitespace } from "./key-characters.js";

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/** Whether a text holds half of a UTF-16 surrogate pair alone, which no encoder can send (encodeURIComponent throws). */
function hasLoneSurrogate(text: string): boolean {
  for (let at = 0; at < text.length; at++) {
    const unit = text.charCodeAt(at);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(at + 1);
      if (next >= 0xdc00 && next <= 0xdfff) at++;
      else return true;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) return true;
  }
  return false;
}

const URL_START = /^\s*https?:\/\//i;

/**
 * Whether what was given as a key is an http(s) URL: a push URL given where a key goes, a common slip between
 * FLASHDUTY_PUSH_URL and the key's variable. Such a value is refused as a key, and registered for `redact()` by its
 * query values alone (see registerKeyText).
 *
 * @example
 * ```ts
 * isUrlGivenAsKey("https://api.flashcat.cloud/event/push/alert/standard?integration_key=…"); // true
 * ```
 */
export function isUrlGivenAsKey(key: string): boolean {
  return URL_START.test(key);
}

/**
 * The secrets in a URL given as a key: its query values (a push URL's key among them) and credentials, not the
 * whole URL. Registered whole, its `https://` and its host would be pieces of a secret, and every URL in every later
 * message would be masked. It is refused, so nothing else of it is ever sent or shown.
 */
function secretsOfUrl(text: string): string[] {
  try {
    const url = new URL(text.trim());
    return [...url.searchParams.values(), decodeURIComponent(url.username), decodeURIComponent(url.password)];
  } catch {
    return [];
  }
}

/**
 * Registers what was given as a key for `redact()`, valid or not: the text itself and its trimmed form, or, for a
 * URL given as a key, only its query values and credentials (see secretsOfUrl).
 *
 * @example
 * ```ts
 * registerKeyText(process.env.FLASHDUTY_CHANGE_INTEGRATION_KEY ?? ""); // masked from now on, used or not
 * ```
 */
export function registerKeyText(key: string): void {
  if (URL_START.test(key)) {
    for (const secret of secretsOfUrl(key)) if (secret.length >= 6) registerSecret(secret);
  } else if (key.trim() !== "") {
    registerSecret(key);
    registerSecret(key.trim());
  }
}

/** Why a key cannot be one, in words that do not repeat the key. */
function problemWith(key: string): string | undefined {
  if (key === "") return "is empty";
  if (URL_START.test(key)) {
    return "is a URL, not a key: put a push URL in FLASHDUTY_PUSH_URL (or pass it as the push URL), and only the key here";
  }
  if (hasLoneSurrogate(key)) return "contains a lone surrogate (half of a UTF-16 character pair)";
  if (key.trim() === "") return "is only whitespace";
  if (hasUnit(key, isControl)) return "contains a control character";
  if (key.trim() !== key) return "has leading or trailing whitespace";
  if (hasUnit(key, isWhitespace)) return "contains whitespace";
  return undefined;
}

/** Set by the class: whether a value is one, by its private field (see isIntegrationKey). */
let hasKeyField: (value: object) => boolean;

/**
 * Whether `value` is an {@link IntegrationKey} made by this copy of the package: asked of its private field, so a
 * Proxy (whose traps a private field never reaches) or an object given the class's prototype is not one, and no
 * code of the value runs. `instanceof` would run a Proxy's `getPrototypeOf` trap, and then its `reveal`.
 *
 * @example
 * ```ts
 * const key = isIntegrationKey(given) ? given : new IntegrationKey(given);
 * ```
 */
export function isIntegrationKey(value: unknown): value is IntegrationKey {
  return typeof value === "object" && value !== null && hasKeyField(value);
}

/**
 * A Flashduty integration key that never prints itself: `toString()`, `toJSON()`, template strings and
 * `util.inspect` all show it masked (`****#` and a 6-hex fingerprint, see `maskKey`; no character of the key);
 * only {@link IntegrationKey.reveal} gives the raw value.
 * Constructing one validates it and registers it, so `redact()` and every SDK error mask it from then on.
 *
 * @example
 * ```ts
 * const key = new IntegrationKey(process.env.FLASHDUTY_INTEGRATION_KEY ?? "");
 * console.log(`using ${key}`); // "using ****#1a2b3c"
 * fetch(`${url}?integration_key=${encodeURIComponent(key.reveal())}`);
 * ```
 */
export class IntegrationKey {
  readonly #key: string;
  static {
    hasKeyField = (value) => #key in value;
  }
  /** The printable form, {@link maskKey}'s: `****#` and a 6-hex fingerprint, or `****` for keys under 16 characters. */
  readonly masked: string;

  /**
   * @param key the raw key
   * @param origin where the key came from, to name it in error messages @default "The integration key"
   * @throws FlashdutyConfigError when the key is not a string, is empty or whitespace, is a URL (a push URL given
   * as a key), or holds whitespace, control characters or a lone surrogate; the message never repeats the key
   */
  constructor(key: string, origin = "The integration key") {
    if (typeof key !== "string") throw new FlashdutyConfigError(`${origin} is not a string.`);
    // Registered before validating: a malformed key is still a secret and must not surface in any message.
    registerKeyText(key);
    const problem = problemWith(key);
    if (problem !== undefined) {
      throw new FlashdutyConfigError(
        `${origin} ${problem}. Copy it again from the integration's page in the Flashduty console.`,
      );
    }
    this.#key = key;
    this.masked = maskKey(key);
  }

  /** The raw key, for the request that needs it and nothing else. */
  reveal(): string {
    return this.#key;
  }

  /** The masked key. */
  toString(): string {
    return this.masked;
  }

  /** The masked key, so `JSON.stringify` never writes the raw one. */
  toJSON(): string {
    return this.masked;
  }

  /** What `util.inspect` and `console.log` show in Node. */
  [INSPECT](): string {
    return `IntegrationKey(${this.masked})`;
  }
}
