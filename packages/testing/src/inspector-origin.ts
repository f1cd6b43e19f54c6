import type { IncomingHttpHeaders } from "node:http";

const LOOPBACK_NAMES = new Set(["localhost", "[::1]"]);
const IPV4_LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/**
 * Whether a request to the inspector may be served, and why not. Two rules, both about browsers:
 *
 * - on a loopback server, the `Host` must be a loopback name with the server's port, so a web page cannot reach
 *   the inspector through a DNS name rebound to 127.0.0.1;
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
  if (!server.unsafe) return undefined;
  const origin = headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) return "a request from another origin";
  const site = headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin") return `a request from a ${site} page`;
  return undefined;
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
