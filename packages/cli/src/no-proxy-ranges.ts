import { BlockList, isIP } from "node:net";

/** An address as a URL's host gives it: an IPv6 one in brackets. */
const unbracketed = (host: string) => (host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host);

/**
 * The address ranges a `NO_PROXY` value names (`10.0.0.0/8`, `fd00::/8`), which curl honours and undici's
 * `EnvHttpProxyAgent` does not (it matches host names and whole addresses only): whether a request's host, an IP
 * address, falls in one of them. As in curl, a host name is not resolved to be matched. `undefined` when the value
 * names no range; an entry that is not one (`10.0.0.0/33`, `host/8`) is left to undici, as every other entry is.
 *
 * @example
 * const direct = noProxyRanges("localhost,10.0.0.0/8");
 * direct?.("10.1.2.3"); // true
 * direct?.("api.flashcat.cloud"); // false
 */
export function noProxyRanges(noProxy: string): ((host: string) => boolean) | undefined {
  const ranges = new BlockList();
  let named = false;
  for (const entry of noProxy.split(/[\s,]+/)) {
    const slash = entry.indexOf("/");
    if (slash === -1) continue;
    const address = unbracketed(entry.slice(0, slash));
    const family = isIP(address);
    const bits = entry.slice(slash + 1);
    const prefix = Number(bits);
    if (family === 0 || !/^\d{1,3}$/.test(bits) || prefix > (family === 4 ? 32 : 128)) continue;
    ranges.addSubnet(address, prefix, family === 4 ? "ipv4" : "ipv6");
    named = true;
  }
  if (!named) return undefined;
  return (host) => {
    const address = unbracketed(host);
    const family = isIP(address);
    return family !== 0 && ranges.check(address, family === 4 ? "ipv4" : "ipv6");
  };
}
