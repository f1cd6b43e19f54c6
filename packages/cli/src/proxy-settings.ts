import { FlashdutyConfigError } from "@flash-call/errors";

/** Environment as the CLI sees it. */
type Environment = Readonly<Record<string, string | undefined>>;

/** The proxy variables, per scheme of the destination, in the order they are read (lower case first, as curl). */
const HTTP_PROXY_VARIABLES = ["http_proxy", "HTTP_PROXY"] as const;
const HTTPS_PROXY_VARIABLES = ["https_proxy", "HTTPS_PROXY"] as const;
const NO_PROXY_VARIABLES = ["no_proxy", "NO_PROXY"] as const;

/** The schemes undici's proxy agent speaks. */
const PROXY_SCHEMES: ReadonlySet<string> = new Set(["http:", "https:", "socks5:", "socks:"]);

/** A scheme as curl recognises one in a proxy string: letters, then `://`; anything else has none. */
const HAS_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/** The proxies the environment names, checked and in the form undici takes. */
export interface ProxySettings {
  /** The proxy for `http:` destinations; `""` for none. */
  httpProxy: string;
  /** The proxy for `https:` destinations; `""` for none (then `httpProxy` is used, as undici does). */
  httpsProxy: string;
  /** The hosts reached directly (`NO_PROXY`, either case), as written; `""` for none. */
  noProxy: string;
}

/** The first of `names` set to something other than blanks, with its value: a blank variable counts as unset. */
function firstSet(env: Environment, names: readonly string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value.trim() !== "") return { name, value: value.trim() };
  }
  return undefined;
}

/** The error for a proxy variable that cannot be used. The value is never quoted: it may hold a password. */
function unusable(name: string, why: string): FlashdutyConfigError {
  return new FlashdutyConfigError(
    `${name} ${why}; write it as http://host:port (or https://, socks5://; credentials as user:password@host).`,
  );
}

/** Whether `text` percent-decodes (decodeURIComponent throws on a % without two hex digits after it). */
function isDecodable(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

/** The part of a proxy string that names the host: before any path, query or fragment, after any credentials. */
function hostPart(text: string): string {
  const authority = text.split(/[/?#]/, 1)[0] ?? "";
  return authority.slice(authority.lastIndexOf("@") + 1);
}

/**
 * One proxy variable's value as the URL undici is given, following curl where it is unambiguous: without a
 * scheme, `host:port` means `http://host:port`; a path, query or fragment is ignored (curl ignores them: a
 * forward proxy is reached at its host and port only). A value without a scheme must name its port, since curl
 * then uses 1080 and other tools 80.
 *
 * @throws FlashdutyConfigError naming the variable (never its value) when it is not a proxy URL, has no port
 * without a scheme, or has a scheme other than http, https or socks5
 * @example
 * proxyUrl("HTTPS_PROXY", "proxy.corp.example:3128"); // "http://proxy.corp.example:3128/"
 */
export function proxyUrl(name: string, value: string): string {
  const hasScheme = HAS_SCHEME.test(value);
  if (!hasScheme && !/:\d+$/.test(hostPart(value))) {
    throw unusable(name, "has neither a scheme nor a port (curl would use port 1080, other tools 80)");
  }
  let url: URL;
  try {
    url = new URL(hasScheme ? value : `http://${value}`);
  } catch {
    throw unusable(name, "is not a URL");
  }
  if (!PROXY_SCHEMES.has(url.protocol)) {
    // The scheme matched HAS_SCHEME, so it is letters and punctuation: no credentials in it.
    throw unusable(name, `names the scheme ${url.protocol}// which flash-call cannot use as a proxy`);
  }
  if (url.hostname === "") throw unusable(name, "names no host");
  // undici decodes the credentials when it makes its agent: a stray % there would fail every push as a network
  // error, retried and spooled in vain, naming no variable.
  if (!isDecodable(url.username) || !isDecodable(url.password)) {
    throw unusable(
      name,
      "has a user name or password with a % not followed by two hex digits (write % as %25)",
    );
  }
  // A URL of another scheme than http(s) may have no path at all: then there is none to drop.
  if (url.pathname !== "") url.pathname = "/";
  url.search = "";
  url.hash = "";
  return url.href;
}

/**
 * The proxies the environment asks for, checked before anything is sent: `https_proxy`/`HTTPS_PROXY` for https
 * destinations, `http_proxy`/`HTTP_PROXY` for http ones (and for https ones when no https proxy is set), and
 * `no_proxy`/`NO_PROXY`; lower case first, a blank variable as unset. `undefined` when no proxy is set.
 *
 * @throws FlashdutyConfigError naming the variable when a proxy cannot be used (see {@link proxyUrl})
 * @example
 * proxySettings({ HTTPS_PROXY: "proxy:3128", NO_PROXY: "localhost" });
 * // { httpProxy: "", httpsProxy: "http://proxy:3128/", noProxy: "localhost" }
 */
export function proxySettings(env: Environment): ProxySettings | undefined {
  const http = firstSet(env, HTTP_PROXY_VARIABLES);
  const https = firstSet(env, HTTPS_PROXY_VARIABLES);
  if (http === undefined && https === undefined) return undefined;
  return {
    httpProxy: http === undefined ? "" : proxyUrl(http.name, http.value),
    httpsProxy: https === undefined ? "" : proxyUrl(https.name, https.value),
    noProxy: firstSet(env, NO_PROXY_VARIABLES)?.value ?? "",
  };
}
