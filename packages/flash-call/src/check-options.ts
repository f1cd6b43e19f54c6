import { FlashdutyConfigError, FlashdutyError } from "@flash-call/errors";
import type { LabelValue } from "./event.js";
import type { CallOptions, FlashCallOptions } from "./options.js";

/** What a numeric option must be: a whole number or any number (Infinity included), and its least value. */
type Rule = readonly [whole: boolean, least: 0 | 1];
/** The rules of an options object; a nested object (`backoff`, `rateLimit`) has its own. */
type Rules = { readonly [name: string]: Rule | Rules };

const CALL_RULES: Rules = { timeoutMs: [true, 1], maxRetries: [true, 0] };
const OPTION_RULES: Rules = {
  ...CALL_RULES,
  backoff: { baseMs: [false, 0], maxMs: [false, 0] },
  maxRetryAfterMs: [false, 0],
  maxQueue: [true, 1],
  concurrency: [true, 1],
  rateLimit: { perSecond: [true, 1], perMinute: [true, 1] },
};

const CALL_STRINGS = ["integrationKey", "pushUrl", "baseUrl"] as const;
const CALL_NAMES = [...CALL_STRINGS, "signal", "timeoutMs", "maxRetries"] as const;
const OPTION_STRINGS = [...CALL_STRINGS, "user", "strategy"] as const;
const OPTION_FUNCTIONS = ["fetch", "onRequest", "onResponse", "onRetry", "onError"] as const;
const OPTION_NAMES = [
  ...OPTION_STRINGS,
  ...OPTION_FUNCTIONS,
  "labels",
  "timeoutMs",
  "maxRetries",
  "retryOn",
  "backoff",
  "maxRetryAfterMs",
  "rateLimit",
  "maxQueue",
  "concurrency",
  "logger",
  "logLevel",
  "strict",
] as const;
const LOG_LEVELS: readonly unknown[] = ["debug", "info", "warn", "error", "silent"];

type Fields = Record<string, unknown>;

/** What a value is, for a message, without calling anything on it; never the value of a string (it may be a key). */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "number") return String(value);
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

const isObject = (value: unknown): value is Fields =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** `source[name]`, or a config error naming it when its getter throws. */
function read(source: Fields, name: string, path: string): unknown {
  try {
    return source[name];
  } catch {
    throw new FlashdutyConfigError(`${path} could not be read: its getter threw.`);
  }
}

/** The fields `names` of `source`, each read once into a plain object (absent ones left out). */
function snapshot(source: unknown, names: readonly string[], what: string, prefix = ""): Fields {
  if (!isObject(source)) throw new FlashdutyConfigError(`${what} must be an object, not ${kindOf(source)}.`);
  const copy: Fields = {};
  for (const name of names) {
    const value = read(source, name, prefix + name);
    if (value !== undefined) copy[name] = value;
  }
  return copy;
}

function check(options: Fields, rules: Rules, prefix = ""): void {
  for (const [name, rule] of Object.entries(rules)) {
    const value = read(options, name, prefix + name);
    if (!Array.isArray(rule)) {
      // `rateLimit: false` (no pacing) or no `backoff`: nothing to check.
      if (typeof value === "object" && value !== null)
        check(value as Fields, rule as Rules, `${prefix}${name}.`);
      continue;
    }
    const [whole, least] = rule as Rule;
    // `!(value >= least)` also refuses NaN.
    if (
      value !== undefined &&
      (typeof value !== "number" || !(value >= least) || (whole && !Number.isSafeInteger(value)))
    ) {
      throw new FlashdutyConfigError(
        `${prefix}${name} must be ${whole ? "a whole number" : "a number"}, ${least} or more; got ${kindOf(value)}.`,
      );
    }
  }
}

/** Refuses a defined value of `names` in `options` that is not of type `type`. */
function checkTypes(options: Fields, names: readonly string[], type: "string" | "function"): void {
  for (const name of names) {
    const value = options[name];
    if (value !== undefined && typeof value !== type) {
      throw new FlashdutyConfigError(`${name} must be a ${type}, not ${kindOf(value)}.`);
    }
  }
}

/**
 * The default labels, read once into an object without a prototype: a label named `__proto__` (an own key, as
 * JSON.parse makes it) stays a label. Their values are checked with each event's, where they are merged.
 */
function readLabels(labels: unknown): Record<string, LabelValue> | undefined {
  if (labels === undefined) return undefined;
  if (!isObject(labels)) throw new FlashdutyConfigError(`labels must be an object, not ${kindOf(labels)}.`);
  let names: string[];
  try {
    names = Object.keys(labels);
  } catch {
    throw new FlashdutyConfigError("labels could not be read: listing its names threw.");
  }
  const copy: Record<string, LabelValue> = Object.create(null);
  for (const name of names) copy[name] = read(labels, name, "labels.<name>") as LabelValue;
  return copy;
}

/**
 * Reads the options of `createFlashCall` once and rejects what could only fail later, at creation, with a clear
 * `FlashdutyConfigError`: numeric settings that would hang or crash (a concurrency of 0 never sends, a rate of 0
 * never paces a request through, a fractional timeout throws inside the runtime), values of the wrong type, an
 * options object whose getters throw. No message quotes a string option: it may hold the key.
 *
 * @example
 * ```ts
 * const options = checkOptions({ timeoutMs: 5000 }); // a plain copy, safe to read again
 * checkOptions({ concurrency: 0 }); // throws FlashdutyConfigError: concurrency must be a whole number, 1 or more
 * ```
 */
export function checkOptions(given: unknown): FlashCallOptions {
  return unbreakable("The options of createFlashCall", () => readInstanceOptions(given));
}

function readInstanceOptions(given: unknown): FlashCallOptions {
  const options = snapshot(given, OPTION_NAMES, "The options of createFlashCall");
  check(options, OPTION_RULES);
  checkTypes(options, OPTION_STRINGS, "string");
  checkTypes(options, OPTION_FUNCTIONS, "function");
  if (options.logger !== undefined && !isObject(options.logger)) {
    throw new FlashdutyConfigError(
      `logger must be an object with console-like methods, not ${kindOf(options.logger)}.`,
    );
  }
  if (options.logLevel !== undefined && !LOG_LEVELS.includes(options.logLevel)) {
    throw new FlashdutyConfigError(`logLevel must be one of ${LOG_LEVELS.join(", ")}.`);
  }
  if (options.rateLimit !== undefined && options.rateLimit !== false && !isObject(options.rateLimit)) {
    throw new FlashdutyConfigError(
      `rateLimit must be { perSecond, perMinute } or false, not ${kindOf(options.rateLimit)}.`,
    );
  }
  if (options.backoff !== undefined && !isObject(options.backoff)) {
    throw new FlashdutyConfigError(`backoff must be { baseMs, maxMs }, not ${kindOf(options.backoff)}.`);
  }
  if (options.retryOn !== undefined && !Array.isArray(options.retryOn)) {
    throw new FlashdutyConfigError(
      `retryOn must be an array such as ["429", "5xx"], not ${kindOf(options.retryOn)}.`,
    );
  }
  const labels = readLabels(options.labels);
  if (labels !== undefined) options.labels = labels;
  return options as FlashCallOptions;
}

/**
 * Runs `read`, turning anything but a FlashdutyError it throws into a config error: the reads above are guarded one
 * by one, and what still throws is an object built to (a revoked Proxy, a trap that throws).
 */
function unbreakable<Options>(what: string, read: () => Options): Options {
  try {
    return read();
  } catch (error) {
    if (FlashdutyError.isInstance(error)) throw error;
    throw new FlashdutyConfigError(`${what} could not be read: a getter or Proxy trap threw.`);
  }
}

const NO_CALL_OPTIONS: CallOptions = Object.freeze({});

const isSignal = (value: unknown): value is AbortSignal =>
  isObject(value) &&
  typeof value.aborted === "boolean" &&
  typeof value.addEventListener === "function" &&
  typeof value.removeEventListener === "function";

/**
 * Reads one call's options once (`integrationKey`, `pushUrl`, `baseUrl`, `signal`, `timeoutMs`, `maxRetries`) and
 * checks them like the instance's.
 *
 * @example
 * ```ts
 * const call = checkCallOptions({ timeoutMs: 2000 }); // a plain copy
 * checkCallOptions({ signal: {} }); // throws FlashdutyConfigError: signal must be an AbortSignal
 * ```
 */
export function checkCallOptions(given: unknown): CallOptions {
  // Most calls have no options: no copy on the hot path.
  if (given === undefined) return NO_CALL_OPTIONS;
  return unbreakable("The call options", () => readCallOptions(given));
}

function readCallOptions(given: unknown): CallOptions {
  const options = snapshot(given, CALL_NAMES, "The call options");
  if (options.timeoutMs !== undefined || options.maxRetries !== undefined) check(options, CALL_RULES);
  checkTypes(options, CALL_STRINGS, "string");
  if (options.signal !== undefined && !isSignal(options.signal)) {
    throw new FlashdutyConfigError(`signal must be an AbortSignal, not ${kindOf(options.signal)}.`);
  }
  return options as CallOptions;
}
