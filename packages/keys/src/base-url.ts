import { FlashdutyConfigError } from "@flash-call/errors";
import { refuseDroppedCharacters } from "./dropped-characters.js";
import { withoutTrailingSlashes } from "./trailing-slashes.js";
import { checkUrlLength } from "./url-length.js";

/** Base URLs already checked, raw → normalized, so that a push does not parse the same URL again. */
const checked = new Map<string, string>();
/** Per-call base URLs could be many: the cache stops growing here. */
const CACHE_LIMIT = 100;

/**
 * Checks a base URL and returns it without the blanks around it and without trailing slashes (the push path is
 * appended to it: `https://api.flashcat.cloud/` must not give `//event/push/…`, nor `https://api.flashcat.cloud `
 * an invalid URL that would look like a network failure). Blanks around a URL are no part of it, as for a push URL
 * (a value copied with a trailing space or read with `$(cat file)`). It must be an absolute http(s) URL with no query,
 * fragment or credentials: anything else is a configuration error, not a network error to retry — and a query
 * could carry a key into hooks and spool files.
 *
 * @param baseUrl the base URL as given
 * @param name how messages name it, e.g. `"The base URL"` or `"--base-url"`
 * @param instead what to pass instead of a URL with a query, e.g. `"pass a push URL as pushUrl, and the key as
 * integrationKey"`
 * @param example a valid base URL for the message, e.g. `"https://api.flashcat.cloud"`
 * @throws FlashdutyConfigError naming the setting; the URL itself is never quoted (it may hold a key)
 * @example
 * ```ts
 * checkBaseUrl("https://api.flashcat.cloud/ ", "The base URL", "…", "https://api.flashcat.cloud");
 * // "https://api.flashcat.cloud"
 * ```
 */
export function checkBaseUrl(baseUrl: string, name: string, instead: string, example: string): string {
  const known = checked.get(baseUrl);
  if (known !== undefined) return known;
  checkUrlLength(baseUrl, name, `use one like ${example}`);
  refuseDroppedCharacters(baseUrl, name, `use one like ${example}`);
  const trimmed = baseUrl.trim();
  let url: URL | undefined;
  try {
    url = new URL(trimmed);
  } catch {}
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    // Not quoted: a mistyped URL may hold the key anywhere (a bare query, the path), and it is not registered yet.
    throw new FlashdutyConfigError(
      `${name} (${baseUrl.length} characters) is not an absolute http(s) URL: use one like ${example}.`,
    );
  }
  if (url.search + url.hash + url.username + url.password !== "") {
    throw new FlashdutyConfigError(`${name} must not carry a query, fragment or credentials: ${instead}.`);
  }
  const normalized = withoutTrailingSlashes(trimmed);
  if (checked.size < CACHE_LIMIT) checked.set(baseUrl, normalized);
  return normalized;
}
