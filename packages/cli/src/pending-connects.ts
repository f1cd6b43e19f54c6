import type { Dispatcher } from "undici";

/** The parts of undici this builds the proxy's client with. */
interface PoolMaker {
  Pool: new (origin: string | URL, options: object) => Dispatcher;
}

/** The CONNECTs sent to a proxy, and the requests waiting for them. */
export interface PendingConnects {
  /** The proxy agent's `clientFactory` option: undici's own pool to the proxy, whose CONNECTs this can end. */
  clientFactory(origin: string | URL, options: object): Dispatcher;
  /**
   * Follows one request until its answer's head comes or it fails: once a request fails and none is left waiting,
   * the CONNECTs still unanswered are ended.
   */
  follow<T>(sending: Promise<T>): Promise<T>;
}

/**
 * Ends the CONNECTs that no request waits for any more. undici sends a proxy its CONNECT with no signal: when the
 * proxy never answers it, aborting the request (the SDK's timeout) leaves the CONNECT and its socket open for
 * minutes, and the command lingers after its report until its forced exit. Once a request fails and no other
 * waits for an answer, no CONNECT in progress serves anyone (a request reading its body has its tunnel already),
 * and every one of them is aborted.
 *
 * @param undici the loaded undici module
 * @example
 * ```ts
 * const connects = pendingConnects(undici);
 * const dispatcher = new undici.EnvHttpProxyAgent({ ...settings, clientFactory: connects.clientFactory });
 * const response = await connects.follow(undici.fetch(url, { dispatcher }));
 * ```
 */
export function pendingConnects(undici: PoolMaker): PendingConnects {
  let unanswered = new AbortController();
  let waiting = 0;
  return {
    clientFactory(origin, options) {
      const pool = new undici.Pool(origin, options);
      const connect = pool.connect.bind(pool) as (params: object, callback?: unknown) => unknown;
      // ProxyAgent's CONNECT, given a signal: one controller for all, replaced once aborted.
      (pool as { connect: unknown }).connect = (params: object, callback?: unknown) =>
        connect({ ...params, signal: unanswered.signal }, callback);
      return pool;
    },
    async follow(sending) {
      waiting++;
      let failed = false;
      try {
        return await sending;
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        waiting--;
        if (failed && waiting === 0) {
          unanswered.abort();
          unanswered = new AbortController();
        }
      }
    },
  };
}
