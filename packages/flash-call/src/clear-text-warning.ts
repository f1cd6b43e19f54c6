import { sendsKeyInClearText } from "@flash-call/keys";
import type { Log } from "./log.js";
import type { Target } from "./target.js";

/** Hosts warned about, at most: a router naming many destinations must not grow this without end. */
const HOSTS_REMEMBERED = 100;

/**
 * What an instance does with each target it resolves: when it would push over plain http to another machine (see
 * `sendsKeyInClearText`), one warning for that host, naming only the host. Not an error: an internal relay may
 * mean it; but the key travels in the URL, and whoever is on the path can read it.
 *
 * @example
 * ```ts
 * const resolveTarget = createTargetResolver(options, clearTextWarning(log));
 * ```
 */
export function clearTextWarning(log: Log): (target: Target) => void {
  const warned = new Set<string>();
  return ({ baseUrl }) => {
    if (!sendsKeyInClearText(baseUrl)) return;
    const { host } = new URL(baseUrl);
    if (warned.has(host) || warned.size >= HOSTS_REMEMBERED) return;
    warned.add(host);
    log(
      "warn",
      `pushing to ${host} over plain http: the integration key travels in the URL, readable by anyone on the path; use https`,
    );
  };
}
