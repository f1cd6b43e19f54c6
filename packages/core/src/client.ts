import createOpenapiClient, { type Client } from "openapi-fetch";
import type { paths } from "./generated/schema.js";

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
  return createOpenapiClient<paths>({
    baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
    // Resolved per call, not captured here: msw patches globalThis.fetch after clients may exist.
    fetch: customFetch
      ? (request: Request) => callCustomFetch(customFetch, request)
      : (request) => globalThis.fetch(request),
    ...(options.headers === undefined ? {} : { headers: options.headers }),
  });
}

/**
 * Calls a user-supplied fetch with a URL and plain init rather than a `Request`: another implementation
 * (undici's own `fetch`, say) does not accept this realm's `Request` objects.
 */
async function callCustomFetch(customFetch: typeof fetch, request: Request): Promise<Response> {
  return customFetch(request.url, {
    method: request.method,
    headers: Object.fromEntries(request.headers),
    body: request.body === null ? null : await request.arrayBuffer(),
    signal: request.signal,
    redirect: request.redirect,
  });
}
