/** Environment as the CLI sees it. */
type Environment = Readonly<Record<string, string | undefined>>;

const PROXY_VARIABLES = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"] as const;

/**
 * The proxy the environment asks for, if any (`HTTPS_PROXY`, `HTTP_PROXY`, either case).
 *
 * @example
 * proxyFromEnvironment({ https_proxy: "http://proxy:3128" }); // "http://proxy:3128"
 */
export function proxyFromEnvironment(env: Environment): string | undefined {
  for (const name of PROXY_VARIABLES) {
    const value = env[name];
    if (value !== undefined && value.trim() !== "") return value;
  }
  return undefined;
}

/**
 * A `fetch` that goes through the environment's proxy (honouring `NO_PROXY`), or `undefined` when no proxy
 * is configured. undici is imported only then, so a normal run does not pay for loading it. undici's own
 * `fetch` is used with its `EnvHttpProxyAgent`, because Node's built-in fetch bundles a different undici
 * whose dispatcher interface may not match.
 *
 * @example
 * const fetch = await proxyFetch(process.env); // pass to createFlashCall({ fetch })
 */
export async function proxyFetch(env: Environment): Promise<typeof fetch | undefined> {
  if (proxyFromEnvironment(env) === undefined) return undefined;
  const undici = await import("undici");
  const dispatcher = new undici.EnvHttpProxyAgent();
  const proxied = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
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
      return (await undici.fetch(input.url, forwarded as never)) as unknown as Response;
    }
    return (await undici.fetch(input, { ...(init as object), dispatcher } as never)) as unknown as Response;
  };
  return proxied as typeof fetch;
}
