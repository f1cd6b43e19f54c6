import type { Client, ClientOptions } from "openapi-fetch";
import * as openapiFetch from "openapi-fetch";
import type { paths } from "./generated/schema.js";

// openapi-fetch's CommonJS build puts createClient on `exports.default`; Node-style interop in our CommonJS build
// hands over the whole exports object as the default, so unwrap one level when needed. A function, not a top-level
// constant, so that a bundle importing only DEFAULT_BASE_URL or PUSH_PATH (the SDK) tree-shakes openapi-fetch away.
function createOpenapiClient(clientOptions: ClientOptions): Client<paths> {
  const interop = openapiFetch.default as unknown as { default?: typeof openapiFetch.default };
  const create =
    typeof interop === "function" ? openapiFetch.default : (interop.default ?? openapiFetch.default);
  return create<paths>(clientOptions);
}

/** Flashduty's production API origin. */
export const DEFAULT_BASE_URL = "https://api.flashcat.cloud";

/** Options of {@link createClient}. */
export interface CreateClientOptions {
  /**
   * The API origin (and optional path prefix) requests go to.
   * @default DEFAULT_BASE_URL ("https://api.flashcat.cloud")
   */
  baseUrl?: string;
  /**
   * The fetch implementation to use.
   * @default globalThis.fetch, looked up at call time so that msw and late polyfills are honoured
   */
  fetch?: typeof fetch;
  /** Headers sent with every request. @default none */
  headers?: HeadersInit;
  /**
   * The constructor openapi-fetch builds each request with, passed through to it. A client without middleware
   * may pass a plain-object constructor to skip building a real `Request` (the fetch then gets `(url, init)`).
   * @default globalThis.Request
   */
  Request?: typeof Request;
}

/** A typed client of the push API: an openapi-fetch client over the spec's `paths`. */
export type FlashdutyClient = Client<paths>;

/**
 * Creates a thin, typed client of Flashduty's push API. No retries, no global state.
 *
 * @example
 * ```ts
 * const client = createClient();
 * const { data, error } = await client.POST("/event/push/alert/standard", {
 *   params: { query: { integration_key: process.env.FLASHDUTY_INTEGRATION_KEY! } },
 *   body: { title_rule: "CPU high on db-1", event_status: "Warning" },
 * });
 * ```
 */
export function createClient(options: CreateClientOptions = {}): FlashdutyClient {
  const customFetch = options.fetch;
  return createOpenapiClient({
    baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
    // Resolved per call, not captured here: msw patches globalThis.fetch after clients may exist.
    fetch: (request: Request) => send(customFetch, request),
    ...(options.headers === undefined ? {} : { headers: options.headers }),
    ...(options.Request === undefined ? {} : { Request: options.Request }),
  });
}

/**
 * Sends one request built by openapi-fetch. A real `Request` goes to the global fetch as is; a plain object (from a
 * custom `Request` option) is already a URL plus init. A user-supplied fetch gets a URL and a plain init, because
 * another implementation (undici's own `fetch`, say) does not accept this realm's `Request` objects.
 */
async function send(customFetch: typeof fetch | undefined, request: Request): Promise<Response> {
  const fetchImpl = customFetch ?? globalThis.fetch;
  if (!(request instanceof Request)) return fetchImpl((request as Request).url, request as RequestInit);
  if (!customFetch) return fetchImpl(request);
  return customFetch(request.url, {
    method: request.method,
    headers: Object.fromEntries(request.headers),
    body: request.body === null ? null : await request.arrayBuffer(),
    signal: request.signal,
    redirect: request.redirect,
  });
}
