import { FlashdutyConfigError, redact } from "@flash-call/errors";
import { refuseDroppedCharacters } from "./dropped-characters.js";
import { IntegrationKey } from "./integration-key.js";
import { withoutTrailingSlashes } from "./trailing-slashes.js";
import { checkUrlLength } from "./url-length.js";

/**
 * The standard alert event path. The generated `PUSH_PATH` of @flash-call/core holds the same value; it is
 * repeated here because this package depends only on @flash-call/errors, to stay small.
 */
const PUSH_PATH = "/event/push/alert/standard";
/** The standard change event path: core's generated `CHANGE_PUSH_PATH`, repeated for the same reason. */
const CHANGE_PUSH_PATH = "/event/push/change/standard";

/** What a message about a malformed push URL advises. */
const COPY_AGAIN = "copy the push URL again from the integration's page in the Flashduty console";

/** Which integration a push URL's path names: a standard alert or a standard change integration. */
export type PushEndpoint = "alert" | "change";

/** The parts of a push URL. */
export interface PushUrl {
  /** Origin plus any path prefix before `/event/push/alert/standard`, e.g. `https://api.flashcat.cloud`. */
  baseUrl: string;
  /** The URL's full path, e.g. `/event/push/alert/standard`. */
  path: string;
  /** The endpoint the path ends with; `undefined` for a URL that names neither (a bare base URL or a proxy's). */
  endpoint: PushEndpoint | undefined;
  /** The raw `integration_key` value: a secret. */
  integrationKey: string;
  /** Every other query parameter. */
  query: Record<string, string>;
}

/**
 * A URL to quote in a message: its origin and nothing else. A key may sit anywhere else — as a bare query
 * (`…/standard?KEY`), in the path, under another parameter name, in the userinfo or the fragment.
 */
function describe(url: URL): string {
  const elided = url.href === `${url.origin}/` ? "" : "/…";
  return `(${redact(url.origin)}${elided})`;
}

/**
 * Splits a push URL copied from the Flashduty console into the base URL, path, integration key and other query
 * parameters. The key is validated and registered for `redact()`.
 *
 * @param url e.g. `https://api.flashcat.cloud/event/push/alert/standard?integration_key=...`
 * @param given what the URL is, for error messages (anything but a string is taken as the default)
 * @default "The push URL"
 * @throws FlashdutyConfigError when it is not an http(s) URL, has no usable `integration_key`, or holds what
 * would never reach Flashduty: credentials (`user:password@`), a fragment (`#…`) or a query parameter given twice
 * (`?a=1&a=2`); the message quotes at most the URL's origin (never its path, query, fragment or userinfo), so it
 * never shows the key
 * @example
 * ```ts
 * const { baseUrl, integrationKey } = parsePushUrl(
 *   "https://api.flashcat.cloud/event/push/alert/standard?integration_key=0a1b2c3d4e5f",
 * );
 * // baseUrl: "https://api.flashcat.cloud", integrationKey: "0a1b2c3d4e5f"
 * ```
 */
export function parsePushUrl(url: string, given = "The push URL"): PushUrl {
  // Only words go into a message: anything else (a symbol, an object whose toString throws) names it the default way.
  const origin = typeof given === "string" ? given : "The push URL";
  if (typeof url !== "string") throw new FlashdutyConfigError(`${origin} is not a string.`);
  if (lastParsed?.url === url) return copyOf(lastParsed.parts);
  const parts = parseValid(url, origin);
  lastParsed = { url, parts: copyOf(parts) };
  return parts;
}

/**
 * The last push URL parsed, and its parts. A CLI push reads its push URL three times (its key registered, its
 * destination resolved, the SDK's instance made): the same text always parses to the same parts, with the key
 * registered the first time, so it is parsed once. Only a URL that parsed is kept: a failure is thrown each time,
 * in the words of its caller's `origin`.
 */
let lastParsed: { url: string; parts: PushUrl } | undefined;

/** A copy whose `query` a caller may change without changing the one kept. */
function copyOf(parts: PushUrl): PushUrl {
  return { ...parts, query: { ...parts.query } };
}

/** `1st`, `2nd`, `3rd`, `4th` … `11th`, `21st`. */
function ordinal(position: number): string {
  const tens = position % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : (["th", "st", "nd", "rd"][position % 10] ?? "th");
  return `${position}${suffix}`;
}

/**
 * Refuses the parts of a push URL that would never reach Flashduty: credentials (the base URL is the origin and
 * path only), a fragment (never sent), and a query parameter given twice (only one value could be sent). Each
 * was once dropped without a word; now the user is told, and decides. Nothing of the URL is quoted but its
 * origin: a parameter's name may be the key pasted in the wrong place, so a duplicate is named by its positions.
 */
function refuseWhatWouldBeDropped(parsed: URL, origin: string): void {
  if (parsed.username !== "" || parsed.password !== "") {
    throw new FlashdutyConfigError(
      `${origin} ${describe(parsed)} carries a user name or password (user:password@ before the host), which would not be sent: Flashduty authenticates a push by its integration_key alone. Remove them, or ${COPY_AGAIN}.`,
    );
  }
  // An empty fragment (a trailing "#") shows only in the href: `hash` is "" for it too.
  if (parsed.href.includes("#")) {
    throw new FlashdutyConfigError(
      `${origin} ${describe(parsed)} has a fragment (from a # on), which is never sent: remove it, or, if the # belongs to the key, ${COPY_AGAIN}.`,
    );
  }
  const seen = new Map<string, number>();
  let position = 0;
  for (const name of parsed.searchParams.keys()) {
    position++;
    const first = seen.get(name);
    if (first === undefined) {
      seen.set(name, position);
      continue;
    }
    const which =
      name === "integration_key"
        ? "integration_key more than once"
        : `two query parameters of the same name (the ${ordinal(first)} and the ${ordinal(position)})`;
    throw new FlashdutyConfigError(
      `${origin} ${describe(parsed)} has ${which}, and only one value of a name can be sent: keep the one you mean, or ${COPY_AGAIN}.`,
    );
  }
}

function parseValid(url: string, origin: string): PushUrl {
  checkUrlLength(url, origin, COPY_AGAIN);
  refuseDroppedCharacters(url, origin, COPY_AGAIN);
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    // Not echoed: what was pasted may be a bare key.
    throw new FlashdutyConfigError(
      `${origin} is not a URL; expected one like https://api.flashcat.cloud${PUSH_PATH}?integration_key=<key>, copied from the integration's page in the Flashduty console.`,
    );
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    // Not even the scheme is quoted: a bare key with a ":" in it parses as a URL whose scheme is part of the key.
    throw new FlashdutyConfigError(
      `${origin} must start with https:// (or http://); copy it from the integration's page in the Flashduty console.`,
    );
  }
  refuseWhatWouldBeDropped(parsed, origin);
  const rawKey = parsed.searchParams.get("integration_key");
  if (rawKey === null) {
    throw new FlashdutyConfigError(
      `${origin} ${describe(parsed)} has no integration_key query parameter. Copy the whole push URL from the integration's page in the Flashduty console.`,
    );
  }
  // Validates (an empty or blank key is reported as such) and registers the key for redact(). The URL is described
  // only for a key that fails: describing redacts, which costs more than the rest of a parse, at every CLI start.
  try {
    new IntegrationKey(rawKey);
  } catch {
    new IntegrationKey(rawKey, `The integration_key of ${describe(parsed)}`);
  }
  const path = parsed.pathname;
  const trimmed = withoutTrailingSlashes(path);
  const endpoint = trimmed.endsWith(PUSH_PATH)
    ? "alert"
    : trimmed.endsWith(CHANGE_PUSH_PATH)
      ? "change"
      : undefined;
  const suffix = endpoint === "alert" ? PUSH_PATH : endpoint === "change" ? CHANGE_PUSH_PATH : "";
  const prefix = trimmed.slice(0, trimmed.length - suffix.length);
  parsed.searchParams.delete("integration_key");
  const query = Object.fromEntries(parsed.searchParams);
  return { baseUrl: `${parsed.origin}${prefix}`, path, endpoint, integrationKey: rawKey, query };
}
