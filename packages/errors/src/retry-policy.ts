import { argumentError } from "./argument-error.js";
import { FlashdutyConfigError } from "./client-errors.js";
import { FlashdutyError } from "./flashduty-error.js";
import { isRetryableStatus, type RetryRules, retriesUnder } from "./retry-rule.js";

export { isRetryableStatus } from "./retry-rule.js";

/**
 * Which failures are retried. Strings name HTTP statuses: `"429"`, a class `"5xx"`, or a range `"500-530"`;
 * `"network"` covers connection failures (and answers cut off before they could be read), `"timeout"` per-attempt
 * timeouts. Only statuses a retry can help are accepted: 408, 429 and 500–599.
 *
 * @example
 * ```ts
 * createFlashCall({ retryOn: ["network", "429", "502-504"] });
 * ```
 */
export type RetryOn = readonly string[];

/**
 * Network errors, timeouts, 408, 429 and every 5xx: what Flashduty and its proxies answer when a retry can help.
 *
 * @example
 * ```ts
 * createFlashCall({ retryOn: [...DEFAULT_RETRY_ON, "timeout"] });
 * ```
 */
export const DEFAULT_RETRY_ON: RetryOn = ["network", "timeout", "408", "429", "5xx"];

const isDigits = (text: string) =>
  text.length === 3 && [...text].every((digit) => digit >= "0" && digit <= "9");

/**
 * The statuses a `retryOn` entry names: a class is the range of its hundred ("5xx" is 500–599), a single status a
 * range of one ("429"), a range itself ("500-530"); `undefined` for anything else. Read as strings, not with
 * regular expressions: every instance (and the default policy, when the module loads) reads its entries, and a
 * regular expression's first use compiles it.
 */
function statusRange(text: string): [low: number, high: number] | undefined {
  if (text.length === 3 && text.endsWith("xx") && text[0] !== undefined && text[0] >= "1" && text[0] <= "5") {
    const hundred = Number(text[0]) * 100;
    return [hundred, hundred + 99];
  }
  if (isDigits(text)) return [Number(text), Number(text)];
  const [low = "", high = "", ...rest] = text.split("-");
  if (rest.length > 0 || !isDigits(low) || !isDigits(high)) return undefined;
  return [Number(low), Number(high)];
}

/**
 * Full-jitter exponential backoff bounds.
 *
 * @example
 * ```ts
 * createFlashCall({ backoff: { baseMs: 500, maxMs: 10_000 } });
 * ```
 */
export interface Backoff {
  /** The ceiling of the first delay. @default 1000 (Flashduty advises starting at 1 s) */
  baseMs?: number;
  /** The ceiling of any delay. @default 30000 */
  maxMs?: number;
}

/** The settings a {@link RetryPolicy} is made from; every one is optional. */
export interface RetryPolicyOptions {
  /** Which failures are retried. @default DEFAULT_RETRY_ON */
  retryOn?: RetryOn | undefined;
  /** Full-jitter backoff bounds. @default { baseMs: 1000, maxMs: 30000 } */
  backoff?: Backoff | undefined;
  /** The longest `Retry-After` honoured; a longer one ends the retries with the error. @default 60000 */
  maxRetryAfterMs?: number | undefined;
}

/**
 * What decides whether, and when, a failed push is sent again: the rules `retryOn` compiled to, the backoff and the
 * `Retry-After` cap. Made by {@link createRetryPolicy}.
 */
export interface RetryPolicy extends RetryRules {
  /** Full-jitter backoff bounds. */
  readonly backoff: Readonly<Required<Backoff>>;
  /** The longest `Retry-After` honoured. */
  readonly maxRetryAfterMs: number;
}

/** Whether `low`–`high` is a range of statuses that a retry can each help (an empty range cannot). */
function onlyRetryable(low: number, high: number): boolean {
  for (let status = low; status <= high; status++) if (!isRetryableStatus(status)) return false;
  return low <= high;
}

/**
 * Makes a retry policy, checking `retryOn` once, so that a typo fails when the instance is created, not during an
 * outage (options that are not an object, a `retryOn` that is not an array, or an entry that is neither a string
 * nor a number, are a `FlashdutyConfigError` too). An entry that could never take effect (`"4xx"`, `"404"`, `"3xx"`, `"200"`: statuses that are never
 * retried) is refused too, rather than silently doing nothing.
 *
 * @throws FlashdutyConfigError naming the entry and what to use instead
 * @example
 * ```ts
 * const policy = createRetryPolicy({ retryOn: ["network", "429", "5xx"], backoff: { baseMs: 500 } });
 * createRetryPolicy({ retryOn: ["404"] }); // throws FlashdutyConfigError: retryOn entry "404" can never take effect…
 * ```
 */
export function createRetryPolicy(options: RetryPolicyOptions = {}): RetryPolicy {
  if (typeof options !== "object" || options === null) {
    throw argumentError("createRetryPolicy()'s options", "an object", options);
  }
  const retryOn: unknown = options.retryOn ?? DEFAULT_RETRY_ON;
  if (!Array.isArray(retryOn)) throw argumentError("retryOn", 'an array such as ["429", "5xx"]', retryOn);
  const statuses: [low: number, high: number][] = [];
  let network = false;
  let timeout = false;
  for (const entry of retryOn as unknown[]) {
    // A number is read as the status it names; anything else but a string has no text to read.
    if (typeof entry !== "string" && typeof entry !== "number") {
      throw argumentError("A retryOn entry", 'a string such as "5xx"', entry);
    }
    const text = String(entry).trim().toLowerCase();
    const range = statusRange(text);
    if (text === "network") network = true;
    else if (text === "timeout") timeout = true;
    else if (range) {
      const [low, high] = range;
      if (!onlyRetryable(low, high)) {
        throw new FlashdutyConfigError(
          `retryOn entry "${entry}" can never take effect: only 408, 429 and 500-599 are retried (another 4xx fails again, a redirect is never followed, a 2xx is a delivery), e.g. "429", "5xx", "500-530".`,
        );
      }
      statuses.push([low, high]);
    } else {
      throw new FlashdutyConfigError(
        `retryOn entry "${entry}" is not understood: use a status ("429"), a class ("5xx"), a range ("500-530"), "network" or "timeout".`,
      );
    }
  }
  return {
    statuses,
    network,
    timeout,
    backoff: { baseMs: options.backoff?.baseMs ?? 1000, maxMs: options.backoff?.maxMs ?? 30_000 },
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
  };
}

/**
 * The policy of an instance created with no retry settings: every failure a retry can help ({@link DEFAULT_RETRY_ON}), backoff from 1 s up to 30 s,
 * `Retry-After` honoured up to 60 s.
 *
 * @example
 * ```ts
 * isWorthRetryingLater(error, DEFAULT_RETRY_POLICY);
 * ```
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = createRetryPolicy();

/**
 * Whether sending the same push again later can succeed, under `policy` (its `retryOn`): what `deliver` asks before
 * each retry and what the CLI asks before spooling a failure. It ignores attempt counts and `Retry-After`: a push
 * that has used its retries, or was told to wait too long, is still worth sending later. Anything that is not a
 * FlashdutyError (a programming error) is not.
 *
 * @param policy @default DEFAULT_RETRY_POLICY
 * @throws FlashdutyConfigError when `policy` is not a retry policy
 * @example
 * ```ts
 * if (isWorthRetryingLater(error)) await spool(event);
 * else throw error;
 * ```
 */
export function isWorthRetryingLater(error: unknown, policy: RetryRules = DEFAULT_RETRY_POLICY): boolean {
  checkRules(policy, "isWorthRetryingLater()");
  return FlashdutyError.isInstance(error) && retriesUnder(policy, error.code, error.status);
}

/**
 * Refuses, as a `FlashdutyConfigError` naming `helper`, a policy a retry decision could not read (plain
 * JavaScript's null, or an object not made by {@link createRetryPolicy}): typeof tests only, as `deliver` asks
 * at every failed attempt.
 */
function checkRules(policy: unknown, helper: string): void {
  if (typeof policy !== "object" || policy === null || !Array.isArray((policy as RetryRules).statuses)) {
    throw argumentError(`${helper}'s policy`, "a policy from createRetryPolicy()", policy);
  }
}

/** Refuses backoff bounds that are not an object, or a `random` that is not a function, naming `helper`. */
function checkBackoff(backoff: unknown, random: unknown, helper: string, name = "backoff"): void {
  if (typeof backoff !== "object" || backoff === null)
    throw argumentError(`${helper}'s ${name}`, "an object", backoff);
  if (typeof random !== "function") throw argumentError(`${helper}'s random`, "a function", random);
}

/**
 * Full jitter: a uniform delay between 0 and min(maxMs, baseMs × 2^(retry − 1)).
 *
 * @param random @default Math.random
 * @throws FlashdutyConfigError when `backoff` is not an object or `random` not a function
 * @example
 * ```ts
 * backoffDelay(1, { baseMs: 1000, maxMs: 30_000 }); // somewhere in [0, 1000)
 * ```
 */
export function backoffDelay(
  retry: number,
  backoff: Readonly<Required<Backoff>>,
  random: () => number = Math.random,
): number {
  checkBackoff(backoff, random, "backoffDelay()");
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/** What {@link planRetry} decides after a failed attempt. */
export interface RetryPlan {
  /** Whether to send again. */
  retry: boolean;
  /** How long to wait first: the server's `Retry-After`, or the backoff; never negative. */
  delayMs: number;
  /** How long to hold every request for this key: a 429's wait, capped at `maxRetryAfterMs`; 0 for no pause. */
  pauseMs: number;
  /** Whether the server asked to wait longer than `maxRetryAfterMs` (which ends the retries). */
  retryAfterTooLong: boolean;
}

/**
 * Decides what follows the failed attempt number `attempt` (1 for the first): no retry once `maxRetries` are used,
 * when `Retry-After` is over `maxRetryAfterMs` (a wait longer than we would wait ourselves would stall every later
 * push on the key without an error), or when {@link isWorthRetryingLater} says no; otherwise a retry after the
 * server's `Retry-After` or the backoff.
 *
 * @param random @default Math.random
 * @throws FlashdutyConfigError when `error` is not an object, `policy` not a retry policy or `random` not a function
 * @example
 * ```ts
 * const plan = planRetry(error, attempt, policy, 3);
 * if (!plan.retry) throw error;
 * await sleep(plan.delayMs);
 * ```
 */
export function planRetry(
  error: FlashdutyError,
  attempt: number,
  policy: RetryPolicy,
  maxRetries: number,
  random: () => number = Math.random,
): RetryPlan {
  if (typeof error !== "object" || error === null)
    throw argumentError("planRetry()'s error", "an error", error);
  checkRules(policy, "planRetry()");
  // Checked again by backoffDelay and isWorthRetryingLater, named here as the caller gave them.
  checkBackoff(policy.backoff, random, "planRetry()", "policy.backoff");
  const delayMs = error.retryAfterMs ?? backoffDelay(attempt, policy.backoff, random);
  const retryAfterTooLong = (error.retryAfterMs ?? 0) > policy.maxRetryAfterMs;
  return {
    retry: attempt <= maxRetries && !retryAfterTooLong && isWorthRetryingLater(error, policy),
    delayMs: Math.max(0, delayMs),
    pauseMs: error.status === 429 ? Math.min(delayMs, policy.maxRetryAfterMs) : 0,
    retryAfterTooLong,
  };
}
