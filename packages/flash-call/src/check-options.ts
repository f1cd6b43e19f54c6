import { type Backoff, excerpt, FlashdutyConfigError, FlashdutyError } from "@flash-call/errors";
import type { LabelValue } from "./event.js";
import type { CallOptions, FlashCallOptions } from "./options.js";
import type { RateLimit, RateLimitWindows } from "./rate-limiter.js";
import { hiddenFields, isObject, kindOf } from "./untrusted-value.js";

/** What a numeric option must be. */
export interface NumberRule {
  /** Whether it must be a whole number (a safe integer); otherwise any number, Infinity included unless `finite`. */
  readonly whole: boolean;
  /** Whether Infinity (and so 1e309) is refused where a fraction is allowed. @default false */
  readonly finite?: boolean;
  /** Its least value. */
  readonly least: 0 | 1;
}

/** What an option of another type must be: its test, and what the message says it must be. */
export interface TypeRule {
  readonly valid: (value: unknown) => boolean;
  readonly expected: string;
}

/** The names of the options of `Options` whose values are numbers. */
export type NumericName<Options> = {
  [Name in keyof Options]-?: NonNullable<Options[Name]> extends number ? Name : never;
}[keyof Options];

/** A rule for every numeric option of `Options`, and for nothing else: a renamed option fails the type check. */
export type NumberRules<Options> = { readonly [Name in NumericName<Options>]: NumberRule };

/** A rule for every option of `Options` that is not a number, and for nothing else. */
export type TypeRules<Options> = {
  readonly [Name in Exclude<keyof Options, NumericName<Options>>]-?: TypeRule;
};

/** A count that must allow at least one: of requests in flight, of events held, milliseconds of a timeout. */
const WHOLE_FROM_ONE: NumberRule = { whole: true, least: 1 };
/** A count that may be zero: retries. */
const WHOLE_FROM_ZERO: NumberRule = { whole: true, least: 0 };
/** A length of time that may be zero or Infinity. */
const ANY_FROM_ZERO: NumberRule = { whole: false, least: 0 };
/**
 * A length of time that may be zero, but not Infinity: the first backoff delay, which every later one doubles, so
 * with no `maxMs` below it an infinite one would make the first retry wait for ever.
 */
const FINITE_FROM_ZERO: NumberRule = { whole: false, least: 0, finite: true };

const ofType =
  (type: string): TypeRule["valid"] =>
  (value) =>
    typeof value === type;
const A_STRING: TypeRule = { valid: ofType("string"), expected: "a string" };
const A_FUNCTION: TypeRule = { valid: ofType("function"), expected: "a function" };
const LOG_LEVELS: readonly unknown[] = ["debug", "info", "warn", "error", "silent"];
/** `strict` is on only when it is `true`: any other value is off, as it always was. */
const ANYTHING: TypeRule = { valid: () => true, expected: "anything" };

/** The numeric options of one call. */
export const CALL_NUMBER_RULES = {
  timeoutMs: WHOLE_FROM_ONE,
  maxRetries: WHOLE_FROM_ZERO,
} as const satisfies NumberRules<CallOptions>;

/** The other options of one call. */
export const CALL_TYPE_RULES = {
  integrationKey: A_STRING,
  pushUrl: A_STRING,
  baseUrl: A_STRING,
  signal: {
    // Both listener methods: the SDK removes what it added once a push ends, and a signal that could not take its
    // listener back would fail a push after it was delivered.
    valid: (value) =>
      isObject(value) &&
      typeof value.aborted === "boolean" &&
      typeof value.addEventListener === "function" &&
      typeof value.removeEventListener === "function",
    expected: "an AbortSignal",
  },
} as const satisfies TypeRules<CallOptions>;

/** The numeric options of an instance. */
export const OPTION_NUMBER_RULES = {
  ...CALL_NUMBER_RULES,
  maxRetryAfterMs: ANY_FROM_ZERO,
  maxQueue: WHOLE_FROM_ONE,
  concurrency: WHOLE_FROM_ONE,
} as const satisfies NumberRules<FlashCallOptions>;

/** The other options of an instance. */
export const OPTION_TYPE_RULES = {
  integrationKey: A_STRING,
  pushUrl: A_STRING,
  changeIntegrationKey: A_STRING,
  changePushUrl: A_STRING,
  baseUrl: A_STRING,
  user: A_STRING,
  strategy: A_STRING,
  fetch: A_FUNCTION,
  onRequest: A_FUNCTION,
  onResponse: A_FUNCTION,
  onRetry: A_FUNCTION,
  onError: A_FUNCTION,
  labels: { valid: isObject, expected: "an object" },
  logger: { valid: isObject, expected: "an object with console-like methods" },
  logLevel: { valid: (value) => LOG_LEVELS.includes(value), expected: LOG_LEVELS.join(", ") },
  rateLimit: {
    valid: (value) => value === false || isObject(value),
    expected: "{ perSecond, perMinute }, { pacer } or false",
  },
  telemetry: {
    valid: (value) => value === false || isObject(value),
    expected: "{ tracer, meter } or false",
  },
  backoff: { valid: isObject, expected: "{ baseMs, maxMs }" },
  retryOn: { valid: Array.isArray, expected: 'an array such as ["429", "5xx"]' },
  strict: ANYTHING,
} as const satisfies TypeRules<FlashCallOptions>;

/** The numeric fields of the options that are objects: checked when the option is an object. */
export const NESTED_NUMBER_RULES = {
  backoff: { baseMs: FINITE_FROM_ZERO, maxMs: ANY_FROM_ZERO } satisfies NumberRules<Backoff>,
  rateLimit: { perSecond: WHOLE_FROM_ONE, perMinute: WHOLE_FROM_ONE } satisfies NumberRules<RateLimit>,
} as const satisfies {
  readonly [Name in "backoff" | "rateLimit"]: NumberRules<Exclude<FlashCallOptions[Name], false | undefined>>;
};

/**
 * The fields of each object option besides its numbers. An object option is copied field by field, each read once:
 * the copy is what is checked and what the instance uses, so a getter that answers differently on a later read
 * (a rate of 10 when checked, 0 when the limiter reads it, which would never let a request through) cannot undo
 * the check.
 */
const NESTED_OTHER_FIELDS: { readonly [Name in keyof typeof NESTED_NUMBER_RULES]: readonly string[] } = {
  backoff: [],
  rateLimit: ["pacer"] satisfies (keyof RateLimit)[],
};

type Fields = Record<string, unknown>;

/** The rules of one options object. */
interface OptionRules {
  /** How a message names the options these rules are of. */
  readonly owner: string;
  readonly numbers: Readonly<Record<string, NumberRule>>;
  readonly types: Readonly<Record<string, TypeRule>>;
  readonly nested: Readonly<Record<string, Readonly<Record<string, NumberRule>>>>;
}

const CALL_RULES: OptionRules = {
  owner: "a call's options",
  numbers: CALL_NUMBER_RULES,
  types: CALL_TYPE_RULES,
  nested: {},
};
const INSTANCE_RULES: OptionRules = {
  owner: "createFlashCall's options",
  numbers: OPTION_NUMBER_RULES,
  types: OPTION_TYPE_RULES,
  nested: NESTED_NUMBER_RULES,
};

/** `source[name]`, or a config error naming it when its getter throws. */
function read(source: Fields, name: string, path: string): unknown {
  try {
    return source[name];
  } catch {
    throw new FlashdutyConfigError(`${path} could not be read: its getter threw.`);
  }
}

/**
 * Refuses an own enumerable name of `given` that is not one of `known`: a misspelt option (`timeout` for
 * `timeoutMs`, `retries` for `maxRetries`) would otherwise be ignored without a word, and every push sent with the
 * default. The name is quoted escaped as JSON would (a control character shows), redacted and cut.
 */
function refuseUnknown(given: Fields, known: readonly string[], owner: string): void {
  for (const name of Object.keys(given)) {
    if (known.includes(name)) continue;
    throw new FlashdutyConfigError(
      `"${excerpt(JSON.stringify(name).slice(1, -1), 80)}" is not one of ${owner}: ${known.join(", ")}. A misspelt option would be ignored, so none is.`,
    );
  }
}

/** The options named by `rules` of `given`, each read once into a plain object, then checked against the rules. */
function readOptions(given: unknown, rules: OptionRules): Fields {
  if (!isObject(given)) throw new FlashdutyConfigError(`Options must be an object, not ${kindOf(given)}.`);
  const options: Fields = {};
  const names = [...Object.keys(rules.types), ...Object.keys(rules.numbers)];
  refuseUnknown(given, names, rules.owner);
  for (const name of names) {
    const value = read(given, name, name);
    if (value !== undefined) options[name] = value;
  }
  checkNumbers(options, rules.numbers);
  for (const [name, numbers] of Object.entries(rules.nested)) {
    const value = options[name];
    // `rateLimit: false` (no pacing) or no `backoff`: nothing to check.
    if (!isObject(value)) continue;
    const copy: Fields = {};
    const others = NESTED_OTHER_FIELDS[name as keyof typeof NESTED_OTHER_FIELDS] ?? [];
    const fields = [...Object.keys(numbers), ...others];
    refuseUnknown(value, fields, `${name}'s fields`);
    for (const field of fields) {
      const fieldValue = read(value, field, `${name}.${field}`);
      if (fieldValue !== undefined) copy[field] = fieldValue;
    }
    options[name] = copy;
    checkNumbers(copy, numbers, `${name}.`);
  }
  for (const [name, { valid, expected }] of Object.entries(rules.types)) {
    const value = options[name];
    // No value is quoted: a string option may hold the key.
    if (value !== undefined && !valid(value)) {
      throw new FlashdutyConfigError(`${name} must be ${expected}, not ${kindOf(value)}.`);
    }
  }
  return options;
}

function checkNumbers(options: Fields, rules: Readonly<Record<string, NumberRule>>, prefix = ""): void {
  for (const [name, { whole, least, finite }] of Object.entries(rules)) {
    const value = read(options, name, prefix + name);
    // `!(value >= least)` also refuses NaN.
    if (
      value !== undefined &&
      (typeof value !== "number" ||
        !(value >= least) ||
        (whole && !Number.isSafeInteger(value)) ||
        (finite && value === Infinity))
    ) {
      throw new FlashdutyConfigError(
        `${prefix}${name} must be ${whole ? "a whole number" : finite ? "a finite number" : "a number"}, ${least} or more; got ${kindOf(value)}.`,
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
    const options = readOptions(given, INSTANCE_RULES);
    checkMethods(options);
    // Copied once, here, where a Proxy trap or getter that throws is a ConfigError; the retry policy reads the copy.
    if (options.retryOn !== undefined) options.retryOn = [...(options.retryOn as string[])];
    const labels = options.labels as Fields | undefined;
    if (labels) {
      const hidden = hiddenFields(labels);
      if (hidden !== undefined) throw new FlashdutyConfigError(`labels ${hidden}.`);
      const copy: Record<string, LabelValue> = Object.create(null);
      for (const name of Object.keys(labels)) copy[name] = read(labels, name, "labels") as LabelValue;
      options.labels = copy;
    }
    return options as FlashCallOptions;
  });
}

/** What makes an object option a pacer, a tracer, a meter: `[option, field, its methods]`. */
const METHODS = [
  ["rateLimit", "pacer", "acquire and pause"],
  ["telemetry", "tracer", "startSpan"],
  ["telemetry", "meter", "createHistogram"],
] as const;

/**
 * Checks the objects given as `rateLimit.pacer`, `telemetry.tracer` and `telemetry.meter` have their methods, and
 * that a pacer comes without `perSecond`/`perMinute`: it carries its own limits (a shared store counts every
 * process against the same ones), so they would be silently ignored.
 */
function checkMethods(options: Fields): void {
  for (const [option, field, methods] of METHODS) {
    const parent = options[option];
    const value = isObject(parent) ? read(parent, field, `${option}.${field}`) : undefined;
    if (
      value !== undefined &&
      !methods.split(" and ").every((name) => typeof (value as Fields)[name] === "function")
    ) {
      throw new FlashdutyConfigError(
        `${option}.${field} must have the methods ${methods}; got ${kindOf(value)}.`,
      );
    }
  }
  const rateLimit = options.rateLimit as RateLimit | false | undefined;
  if (
    rateLimit &&
    rateLimit.pacer !== undefined &&
    (rateLimit.perSecond ?? rateLimit.perMinute) !== undefined
  ) {
    throw new FlashdutyConfigError(
      "rateLimit.perSecond and perMinute do not apply with a pacer: give them to the pacer.",
    );
  }
}

const WINDOW_RULES: OptionRules = {
  owner: "a RateLimiter's windows",
  numbers: NESTED_NUMBER_RULES.rateLimit,
  types: {},
  nested: {},
};

/**
 * Reads a `RateLimiter`'s windows once (`perSecond`, `perMinute`) and checks them as `createFlashCall` checks its
 * `rateLimit`: a rate of 0, a fraction, NaN or a string would let no request through, or pace none. `undefined` or
 * `null` is the defaults.
 *
 * @example
 * ```ts
 * checkRateLimitWindows({ perSecond: 10 }); // a plain copy
 * checkRateLimitWindows({ perSecond: 0 }); // throws FlashdutyConfigError: perSecond must be a whole number, 1 or more
 * ```
 */
export function checkRateLimitWindows(given: unknown): RateLimitWindows {
  if (given === undefined || given === null) return {};
  return unbreakable(() => readOptions(given, WINDOW_RULES) as RateLimitWindows);
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
  return unbreakable(() => readOptions(given, CALL_RULES) as CallOptions);
}
