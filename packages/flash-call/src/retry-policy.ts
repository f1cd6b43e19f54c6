import { FlashdutyConfigError, FlashdutyError } from "@flash-call/errors";

/**
 * Which failures are retried. Strings name HTTP statuses: `"429"`, a class `"5xx"`, or a range `"500-530"`;
 * `"network"` covers connection failures and `"timeout"` per-attempt timeouts.
 */
export type RetryOn = readonly string[];

/** Network errors, timeouts, 408, 429 and every 5xx: what Flashduty and its proxies answer when a retry can help. */
export const DEFAULT_RETRY_ON: RetryOn = ["network", "timeout", "408", "429", "5xx"];

/** Full-jitter exponential backoff bounds. */
export interface Backoff {
  /** The ceiling of the first delay. @default 1000 (Flashduty advises starting at 1 s) */
  baseMs?: number;
  /** The ceiling of any delay. @default 30000 */
  maxMs?: number;
}

type StatusMatcher = (status: number) => boolean;

/** Parses `retryOn` once, so that a typo fails when the instance is created, not during an outage. */
export function compileRetryOn(retryOn: RetryOn): {
  matchesStatus: StatusMatcher;
  network: boolean;
  timeout: boolean;
} {
  const ranges: [low: number, high: number][] = [];
  let network = false;
  let timeout = false;
  for (const entry of retryOn) {
    const text = String(entry).trim().toLowerCase();
    // A class is the range of its hundred ("5xx" is "500-599"); a single status is a range of one.
    const asRange = text.replace(/^([1-5])xx$/, (_, hundred) => `${hundred}00-${hundred}99`);
    const range = /^(\d{3})(?:-(\d{3}))?$/.exec(asRange);
    if (text === "network") network = true;
    else if (text === "timeout") timeout = true;
    else if (range) ranges.push([Number(range[1]), Number(range[2] ?? range[1])]);
    else {
      throw new FlashdutyConfigError(
        `retryOn entry "${entry}" is not understood: use a status ("429"), a class ("5xx"), a range ("500-530"), "network" or "timeout".`,
      );
    }
  }
  return {
    matchesStatus: (status) => ranges.some(([low, high]) => status >= low && status <= high),
    network,
    timeout,
  };
}

/**
 * Decides whether `error` is worth another attempt under `retryOn`.
 * A 4xx other than 408 and 429 is never retried, whatever `retryOn` says: the same request would fail again.
 */
export function shouldRetry(error: unknown, policy: ReturnType<typeof compileRetryOn>): boolean {
  if (!FlashdutyError.isInstance(error)) return false;
  if (error.code === "NetworkError") return policy.network;
  if (error.code === "Timeout") return policy.timeout;
  const status = error.status;
  if (status === undefined) return false;
  if (status >= 200 && status < 300) {
    // A 2xx carrying Flashduty's error body is that error; one whose body could not be read is a cut connection,
    // retried like a network error (the push is idempotent: Flashduty drops duplicates).
    return error.code === `HTTP_${status}` ? policy.network : error.retryable;
  }
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) return false;
  return policy.matchesStatus(status);
}

/** Full jitter: a uniform delay between 0 and min(maxMs, baseMs × 2^(retry − 1)). */
export function backoffDelay(
  retry: number,
  backoff: Required<Backoff>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}
