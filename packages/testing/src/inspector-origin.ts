import type { IncomingHttpHeaders } from "node:http";

const LOOPBACK_NAMES = new Set(["localhost", "[::1]"]);
const IPV4_LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/**
 * Whether a request to the inspector may be served, and why not. Two rules, both about browsers:
 *
 * - on a loopback server, the `Host` must be a loopback name with the server's port, so a web page cannot reach
 *   the inspector through a DNS name rebound to 127.0.0.1; on any other interface, an IP address or `localhost`;
 * - a state-changing request (`unsafe`) must come from the inspector's own page: an `Origin` other than the
 *   `Host`, or a `Sec-Fetch-Site` other than `same-origin`, is refused. A client that sends neither (curl, a test)
 *   is not a browser page and is let through.
 *
 * @example
 * ```ts
 * const refusal = inspectorRefusal(incoming.headers, { port: 8787, loopback: true, unsafe: true });
 * if (refusal !== undefined) answer403(refusal);
 * ```
 */
export function inspectorRefusal(
  headers: IncomingHttpHeaders,
  server: { port: number; loopback: boolean; unsafe: boolean },
): string | undefined {
  const host = headers.host ?? "";
  if (server.loopback && !isLoopbackHost(host, server.port)) return "the Host is not this loopback server";
  if (!server.loopback && !isAddressHost(host))
    return "the Host is a DNS name (one a web page could rebind to this machine): open the inspector by an IP address of this machine, or localhost";
  if (!server.unsafe) return undefined;
  const origin = headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) return "a request from another origin";
  const site = headers["sec-fetch-site"];
  // Named only when it is one the Fetch standard defines: the answer never repeats what the client wrote.
  if (site !== undefined && site !== "same-origin")
    return `a request from a ${FETCH_SITES.get(site) ?? "non-same-origin"} page`;
  return undefined;
}

const FETCH_SITES = new Map([
  ["same-site", "same-site"],
  ["cross-site", "cross-site"],
  ["none", "none"],
]);
const IPV4_ADDRESS = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const IPV6_ADDRESS = /^\[[0-9a-f:.]+\]$/i;

/**
 * On an interface other than loopback (`0.0.0.0`, a LAN address, a container's), a web page could still rebind a
 * DNS name it controls to one of the machine's addresses: only an IP address or `localhost`, with any port (a
 * container's port is often mapped to another), names this server.
 */
function isAddressHost(host: string): boolean {
  const portAt = host.lastIndexOf(":");
  const name = portAt > host.lastIndexOf("]") ? host.slice(0, portAt) : host;
  if (portAt > host.lastIndexOf("]") && !/^\d{1,5}$/.test(host.slice(portAt + 1))) return false;
  return name.toLowerCase() === "localhost" || IPV4_ADDRESS.test(name) || IPV6_ADDRESS.test(name);
}

function isLoopbackHost(host: string, port: number): boolean {
  const colon = host.lastIndexOf(":");
  if (colon < 0 || host.slice(colon + 1) !== String(port)) return false;
  const name = host.slice(0, colon).toLowerCase();
  return LOOPBACK_NAMES.has(name) || IPV4_LOOPBACK.test(name);
}

/** Whether `host` (as given to `listen`) is a loopback interface. */
export function isLoopbackInterface(host: string): boolean {
  return host === "localhost" || host === "::1" || host.startsWith("127.");
}
