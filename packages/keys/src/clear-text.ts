/**
 * The host name that is this machine: `localhost` itself (the hosts file names it). Not its subdomains, whatever
 * RFC 6761 asks: Node, Bun and Deno resolve `mock.localhost` like any other name, through getaddrinfo, and glibc
 * and musl send it to the DNS server, which can answer with any address.
 */
const LOCAL_NAME = /^localhost\.?$/i;
/** IPv4 loopback, 127.0.0.0/8, as WHATWG URL writes it (four decimal parts). */
const LOOPBACK_V4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/**
 * Whether pushing to `baseUrl` would carry the integration key, which travels in the query string, in clear text
 * to another machine: plain `http:` to a host other than this one (`localhost`, `127.0.0.0/8`, `[::1]`; a
 * subdomain of `localhost` is resolved by DNS, so it counts as another). A mock Flashduty on this machine is the
 * usual, harmless case; a forwarder across the network over http lets anyone on the path read the key. Not
 * refused: an internal relay or a test network may mean it. A URL that does not parse is not judged here (the
 * base URL check reports it).
 *
 * @param baseUrl a checked base URL, e.g. `"http://relay.internal:8080"`
 * @returns `true` for plain http to another machine @default false for https and for loopback
 * @example
 * ```ts
 * sendsKeyInClearText("http://127.0.0.1:8080"); // false
 * sendsKeyInClearText("http://relay.internal:8080"); // true
 * ```
 */
export function sendsKeyInClearText(baseUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return false;
  }
  if (url.protocol !== "http:") return false;
  const host = url.hostname;
  return !(LOCAL_NAME.test(host) || LOOPBACK_V4.test(host) || host === "[::1]");
}
