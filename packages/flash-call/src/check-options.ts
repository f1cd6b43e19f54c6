import { FlashdutyConfigError, FlashdutyError } from "@flash-call/errors";
import type { LabelValue } from "./event.js";
import type { CallOptions, FlashCallOptions } from "./options.js";
import { isObject, kindOf } from "./untrusted-value.js";

/** What a numeric option must be: a whole number or any number (Infinity included), and its least value. */
type Rule = readonly [whole: boolean, least: 0 | 1];
/** The rules of an options object; a nested object (`backoff`, `rateLimit`) has its own. */
type Rules = { readonly [name: string]: Rule | Rules };
/** An option of another kind: its name, its test, and what it must be. */
type Shape = readonly [name: string, valid: (value: unknown) => boolean, expected: string];
type Fields = Record<string, unknown>;

const CALL_RULES: Rules = { timeoutMs: [true, 1], maxRetries: [true, 0] };
const OPTION_RULES: Rules = {
  ...CALL_RULES,
  backoff: { baseMs: [false, 0], maxMs: [false, 0] },
  maxRetryAfterMs: [false, 0],
  maxQueue: [true, 1],
  concurrency: [true, 1],
  rateLimit: { perSecond: [true, 1], perMinute: [true, 1] },
};

const LOG_LEVELS: readonly unknown[] = ["debug", "info", "warn", "error", "silent"];
const ofType =
  (type: string): Shape[1] =>
  (value) =>
    typeof value === type;
const strings = (...names: string[]): Shape[] => names.map((name) => [name, ofType("string"), "a string"]);
const isSignal = (value: unknown) =>
  isObject(value) && typeof value.aborted === "boolean" && typeof value.addEventListener === "function";

const CALL_SHAPES: readonly Shape[] = [
  ...strings("integrationKey", "pushUrl", "baseUrl"),
  ["signal", isSignal, "an AbortSignal"],
];
const OPTION_SHAPES: readonly Shape[] = [
  ...CALL_SHAPES.slice(0, 3),
  ...strings("user", "strategy"),
  ...["fetch", "onRequest", "onResponse", "onRetry", "onError"].map(
    (name): Shape => [name, ofType("function"), "a function"],
  ),
  ["labels", isObject, "an object"],
  ["logger", isObject, "an object with console-like methods"],
  ["logLevel", (value) => LOG_LEVELS.includes(value), LOG_LEVELS.join(", ")],
  ["rateLimit", (value) => value === false || isObject(value), "{ perSecond, perMinute } or false"],
  ["backoff", isObject, "{ baseMs, maxMs }"],
  ["retryOn", Array.isArray, 'an array such as ["429", "5xx"]'],
];
const CALL_NAMES = [...CALL_SHAPES.map(([name]) => name), ...Object.keys(CALL_RULES)];
const OPTION_NAMES = [...OPTION_SHAPES.map(([name]) => name), ...Object.keys(OPTION_RULES), "strict"];

/** `source[name]`, or a config error naming it when its getter throws. */
function read(source: Fields, name: string, path: string): unknown {
  try {
    return source[name];
  } catch {
    throw new FlashdutyConfigError(`${path} could not be read: its getter threw.`);
  }
}

/** The options `names` of `given`, each read once into a plain object, then checked against `rules` and `shapes`. */
function readOptions(
  given: unknown,
  names: readonly string[],
  rules: Rules,
  shapes: readonly Shape[],
): Fields {
  if (!isObject(given)) throw new FlashdutyConfigError(`Options must be an object, not ${kindOf(given)}.`);
  const options: Fields = {};
  for (const name of names) {
    const value = read(given, name, name);
    if (value !== undefined) options[name] = value;
  }
  checkNumbers(options, rules);
  for (const [name, valid, expected] of shapes) {
    const value = options[name];
    // No value is quoted: a string option may hold the key.
    if (value !== undefined && !valid(value)) {
      throw new FlashdutyConfigError(`${name} must be ${expected}, not ${kindOf(value)}.`);
    }
  }
  return options;
}

function checkNumbers(options: Fields, rules: Rules, prefix = ""): void {
  for (const [name, rule] of Object.entries(rules)) {
    const value = read(options, name, prefix + name);
    if (!Array.isArray(rule)) {
      // `rateLimit: false` (no pacing) or no `backoff`: nothing to check.
      if (isObject(value)) checkNumbers(value, rule as Rules, `${prefix}${name}.`);
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

/**
 * Runs `read`, turning anything but a FlashdutyError it throws into a config error: the reads are guarded one by
 * one, and what still throws is an object built to (a revoked Proxy, a trap that throws).
 */
function unbreakable<Options>(read: () => Options): Options {
  try {
    return read();
  } catch (error) {
    if (FlashdutyError.isInstance(error)) throw error;
    throw new FlashdutyConfigError("Options could not be read: a getter or Proxy trap threw.");
  }
}

/**
 * Reads the options of `createFlashCall` once and rejects what could only fail later, at creation, with a clear
 * `FlashdutyConfigError`: numeric settings that would hang or crash (a concurrency of 0 never sends, a rate of 0
 * never paces a request through, a fractional timeout throws inside the runtime), values of the wrong type, an
 * options object whose getters throw. No message quotes a string option: it may hold the key. The default `labels`
 * are copied into an object without a prototype, so a label named `__proto__` (an own key, as JSON.parse makes it)
 * stays a label; their values are checked with each event's.
 *
 * @example
 * ```ts
 * const options = checkOptions({ timeoutMs: 5000 }); // a plain copy, safe to read again
 * checkOptions({ concurrency: 0 }); // throws FlashdutyConfigError: concurrency must be a whole number, 1 or more
 * ```
 */
export function checkOptions(given: unknown): FlashCallOptions {
  return unbreakable(() => {
    const options = readOptions(given, OPTION_NAMES, OPTION_RULES, OPTION_SHAPES);
    const labels = options.labels as Fields | undefined;
    if (labels) {
      const copy: Record<string, LabelValue> = Object.create(null);
      for (const name of Object.keys(labels)) copy[name] = read(labels, name, "labels") as LabelValue;
      options.labels = copy;
    }
    return options as FlashCallOptions;
  });
}

const NO_CALL_OPTIONS: CallOptions = Object.freeze({});

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
  return unbreakable(() => readOptions(given, CALL_NAMES, CALL_RULES, CALL_SHAPES) as CallOptions);
}
