import { type HeadersLike, readHeader } from "./headers.js";

const DELAY_SECONDS = /^\d+(\.\d+)?$/;

/**
 * How long a response asks the client to wait before retrying, in milliseconds: `retry-after-ms` when valid,
 * else `Retry-After` as delay-seconds or as an HTTP date (a date in the past gives 0).
 *
 * @param headers the response headers
 * @param now the current time in ms, for the HTTP-date form @default Date.now()
 * @returns the delay in ms, or `undefined` when neither header is present and valid
 * @example
 * ```ts
 * parseRetryAfter(new Headers({ "Retry-After": "2" })); // 2000
 * parseRetryAfter({ "retry-after-ms": "150" }); // 150
 * ```
 */
export function parseRetryAfter(headers: HeadersLike, now: number = Date.now()): number | undefined {
  const milliseconds = readHeader(headers, "retry-after-ms")?.trim() ?? "";
  if (DELAY_SECONDS.test(milliseconds)) return Number(milliseconds);
  const value = readHeader(headers, "retry-after")?.trim() ?? "";
  if (DELAY_SECONDS.test(value)) return Math.round(Number(value) * 1000);
  // Date.parse accepts loose forms too; an HTTP date always names a weekday or month, so require letters.
  const date = /[a-z]/i.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
