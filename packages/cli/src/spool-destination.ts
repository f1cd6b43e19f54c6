import { DEFAULT_BASE_URL } from "@flash-call/core";
import { withoutTrailingSlashes } from "@flash-call/keys";

/**
 * A base URL reduced to what decides where a request goes: scheme, host, port and path prefix; undefined when
 * it is not an http(s) URL.
 *
 * @example
 * spoolBase("HTTP://Host:80/api/"); // "http://host/api"
 */
export function spoolBase(base: string): string | undefined {
  try {
    const url = new URL(base);
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    return `${url.origin}${withoutTrailingSlashes(url.pathname)}`;
  } catch {
    return undefined;
  }
}

/**
 * The longest host label or path segment a recorded destination is quoted with: anything longer may be a key (a
 * file written by an older flash-call, which took a key in a base URL's path, or by anyone), possibly one rotated out
 * and no longer known to mask. Flashduty's keys are 32 characters.
 */
const LONGEST_SHOWN_PART = 15;

/** A recorded destination as a message quotes it: each host label or path segment over 15 characters as "…". */
function shownBase(base: string): string {
  const url = new URL(base);
  const short = (part: string) => (part.length > LONGEST_SHOWN_PART ? "…" : part);
  const host = url.host.split(".").map(short).join(".");
  return `${url.protocol}//${host}${url.pathname.split("/").map(short).join("/")}`.replace(/\/$/, "");
}

/** Where a spooled event was headed and where this flush sends: they differ, so it is not sent. */
export interface DestinationMismatch {
  /**
   * The destination recorded in the file, normalized, with any host label or path segment over 15 characters
   * shown as "…" (it may be a key); "an invalid URL" when it is not one.
   */
  recorded: string;
  /** The destination this flush's configuration names. */
  configured: string;
}

/**
 * The rule that keeps a spool file from redirecting a key: a spooled event is sent only if the destination
 * recorded in it (`base_url`; none means the default) is the one the flush's own configuration names
 * (`configured`, the base URL `resolveDestination` gave this run). A file cannot choose where the key goes;
 * an event recorded for another destination is kept for a flush configured with that destination's key.
 * Returns the mismatch to report, or undefined when the event may be sent.
 *
 * @example
 * destinationMismatch("https://evil.example", "https://api.flashcat.cloud");
 * // { recorded: "https://evil.example", configured: "https://api.flashcat.cloud" }
 */
export function destinationMismatch(
  recordedBase: unknown,
  configured: string,
): DestinationMismatch | undefined {
  const recorded =
    recordedBase === undefined
      ? spoolBase(DEFAULT_BASE_URL)
      : typeof recordedBase === "string"
        ? spoolBase(recordedBase)
        : undefined;
  if (recorded !== undefined && recorded === spoolBase(configured)) return undefined;
  return {
    recorded: recorded === undefined ? "an invalid URL" : shownBase(recorded),
    configured: spoolBase(configured) ?? configured,
  };
}
