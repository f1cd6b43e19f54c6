import { noProxyRanges } from "./no-proxy-ranges.js";
import { type PendingConnects, pendingConnects } from "./pending-connects.js";
import { proxyRefusal } from "./proxy-refusal.js";
import { type ProxySettings, proxySettings } from "./proxy-settings.js";
import { type TunnelBudget, tunnelBudget } from "./tunnel-budget.js";

/** Environment as the CLI sees it. */
type Environment = Readonly<Record<string, string | undefined>>;

/**
 * undici's proxy agent for `settings`, made at the first request: undici is imported only then, so a dry run
 * and a run that fails before sending do not pay for loading it; and whatever that throws (a broken install, an
 * agent refusing an option) rejects that request, which the SDK reports as a network error (worth spooling),
 * instead of ending the command before the event is written to the spool.
 */
function lazyAgent(settings: ProxySettings) {
  let made:
    | Promise<{
        undici: typeof import("undici");
        dispatcher: import("undici").Dispatcher;
        budget: TunnelBudget;
        connects: PendingConnects;
        direct: import("undici").Dispatcher;
      }>
    | undefined;
  return () => {
    made ??= import("undici").then((undici) => {
      const budget = tunnelBudget(undici);
      const connects = pendingConnects(undici);
      return {
        undici,
        // Every setting given, "" for none: undici reads process.env for an option left undefined, and the
        // command's environment (checked by proxySettings) is the one that counts.
        dispatcher: new undici.EnvHttpProxyAgent({
          ...settings,
          factory: budget.factory,
          clientFactory: connects.clientFactory,
        }),
        budget,
        connects,
        // For the hosts a NO_PROXY address range names: undici's agent only knows names and whole addresses.
        direct: new undici.Agent(),
      };
    });
    return made;
  };
}

/** The URL a fetch is asked for, whichever form it was given in. */
function urlOf(input: RequestInfo | URL): URL {
  if (input instanceof URL) return input;
  return new URL(typeof input === "string" ? input : input.url);
}

/**
 * A `fetch` that goes through the environment's proxy (honouring `NO_PROXY`), or `undefined` when no proxy
 * is configured. The proxy variables are checked here, before anything is sent (see proxySettings). undici's
 * own `fetch` is used with its `EnvHttpProxyAgent`, because Node's built-in fetch bundles a different undici
 * whose dispatcher interface may not match.
 *
 * @throws FlashdutyConfigError naming the variable when a proxy variable cannot be used
 * @example
 * const fetch = await proxyFetch(process.env); // pass to createFlashCall({ fetch })
 */
export async function proxyFetch(env: Environment): Promise<typeof fetch | undefined> {
  const settings = proxySettings(env);
  if (settings === undefined) return undefined;
  const agent = lazyAgent(settings);
  const bypassed = noProxyRanges(settings.noProxy);
  const viaProxy = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const { undici, dispatcher: proxied, budget, connects, direct } = await agent();
    const dispatcher = bypassed?.(urlOf(input).hostname) ? direct : proxied;
    budget.grant();
    if (typeof input === "object" && !(input instanceof URL)) {
      // A Request from Node's global fetch is not undici's Request class: pass its parts instead.
      const body = input.body === null ? undefined : await input.arrayBuffer();
      const forwarded = {
        method: input.method,
        headers: [...input.headers],
        body,
        signal: init?.signal ?? input.signal,
        dispatcher,
      };
      return (await connects.follow(undici.fetch(input.url, forwarded as never))) as unknown as Response;
    }
    const sending = undici.fetch(input, { ...(init as object), dispatcher } as never);
    return (await connects.follow(sending)) as unknown as Response;
  };
  // undici says a proxy's refusal two causes deep, where the SDK's report of a network error does not look.
  const proxied = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> =>
    viaProxy(input, init).catch((thrown: unknown) => {
      throw proxyRefusal(thrown) ?? thrown;
    });
  return proxied as typeof fetch;
}
