import { DEFAULT_BASE_URL } from "@flash-call/core";
import { parsePushUrl } from "@flash-call/keys";
import type { CommonValues } from "./args.js";
import { destinationOptions } from "./connection.js";

/**
 * The base URL this run sends to, from the same configuration that supplies the key (see
 * {@link destinationOptions}): `--base-url`, else the push URL's own base (`--push-url` or
 * `FLASHDUTY_PUSH_URL`), else `FLASHDUTY_BASE_URL`, else the default `https://api.flashcat.cloud`. Never from a
 * file on disk. Pushes record it in the spool entries they write; `flush` sends to it and nowhere else.
 *
 * @example
 * configuredBase({}, { FLASHDUTY_PUSH_URL: "https://api.flashcat.cloud/event/push/alert/standard?integration_key=k" });
 * // "https://api.flashcat.cloud"
 */
export function configuredBase(
  values: CommonValues,
  env: Readonly<Record<string, string | undefined>>,
): string {
  const destination = destinationOptions(values, env);
  const base =
    destination.baseUrl ??
    (destination.pushUrl === undefined ? undefined : parsePushUrl(destination.pushUrl).baseUrl) ??
    DEFAULT_BASE_URL;
  return normalizedBase(base) ?? base;
}

/** A base URL reduced to what decides where a request goes: scheme, host, port and path prefix. */
function normalizedBase(base: string): string | undefined {
  try {
    const url = new URL(base);
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
  } catch {
    return undefined;
  }
}

/** Where a spooled event was headed and where this flush sends: they differ, so it is not sent. */
export interface DestinationMismatch {
  /** The destination recorded in the file (normalized; "an invalid URL" when it is not one). */
  recorded: string;
  /** The destination this flush's configuration names. */
  configured: string;
}

/**
 * The rule that keeps a spool file from redirecting a key: a spooled event is sent only if the destination
 * recorded in it (`base_url`; none means the default) is the one the flush's own configuration names
 * (`configured`, from {@link configuredBase}). A file cannot choose where the key goes; an event recorded for
 * another destination is kept for a flush configured with that destination's key. Returns the mismatch to
 * report, or undefined when the event may be sent.
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
      ? normalizedBase(DEFAULT_BASE_URL)
      : typeof recordedBase === "string"
        ? normalizedBase(recordedBase)
        : undefined;
  if (recorded !== undefined && recorded === normalizedBase(configured)) return undefined;
  return { recorded: recorded ?? "an invalid URL", configured };
}
