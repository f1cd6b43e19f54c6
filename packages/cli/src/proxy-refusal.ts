/** undici's words when a proxy answers its CONNECT with anything but 200: the status is all that is kept. */
const REFUSED = /^Proxy response \((\d{3})\) !== 200 when HTTP Tunneling/;

/** How deep a thrown error's causes are looked through: undici nests the proxy's answer two levels down. */
const MAX_DEPTH = 4;

/** What to check when the proxy asks for credentials (407), and for any other refusal. */
const WRONG_CREDENTIALS =
  "(Proxy Authentication Required): check the user name and password (user:password@) in the proxy variable";
const REFUSAL = "instead of opening the tunnel: check the proxy and the proxy variable";

/**
 * The proxy's own refusal, when what a proxied fetch threw is one: a `TypeError("fetch failed")` whose cause says
 * what the proxy answered, as the SDK reports a network error's cause. `undefined` for anything else, which is then
 * thrown as it was. Only the status is taken from undici's message, never the proxy URL or its credentials.
 *
 * @example
 * proxyRefusal(fetchError); // TypeError("fetch failed", { cause: Error("the proxy answered HTTP 407 …") })
 */
export function proxyRefusal(thrown: unknown): TypeError | undefined {
  let current: unknown = thrown;
  for (let depth = 0; depth < MAX_DEPTH && typeof current === "object" && current !== null; depth++) {
    let message: unknown;
    try {
      message = (current as { message?: unknown }).message;
      current = (current as { cause?: unknown }).cause;
    } catch {
      return undefined;
    }
    const status = typeof message === "string" ? REFUSED.exec(message)?.[1] : undefined;
    if (status !== undefined) {
      const advice = status === "407" ? WRONG_CREDENTIALS : REFUSAL;
      return new TypeError("fetch failed", {
        cause: new Error(`the proxy answered HTTP ${status} ${advice}`),
      });
    }
  }
  return undefined;
}
