import type { Dispatcher } from "undici";

/** Connection attempts each request grants: its own, and one more (the proxy may have closed a kept-alive one). */
const ATTEMPTS_PER_REQUEST = 2;
/** The most attempts that may be saved up by requests that reused a connection: a batch's worth of new ones. */
const MAX_SAVED_ATTEMPTS = 64;

/** undici's connect function: what its Pool and Client call to open a connection (here, through the proxy). */
type Connector = (options: object, callback: (error: Error | null, socket: unknown) => void) => void;

/** The parts of undici the budget builds its pools with. */
interface PoolMaker {
  Pool: new (origin: string | URL, options: object) => Dispatcher;
  Client: new (origin: string | URL, options: object) => Dispatcher;
}

/** A budget of connection attempts for an undici agent, and the factory whose pools spend it. */
export interface TunnelBudget {
  /** The agent's `factory` option: undici's own pools, whose connections count against the budget. */
  factory(origin: string | URL, options: { connect?: unknown; connections?: number | null }): Dispatcher;
  /** One request is about to be sent: it may open {@link ATTEMPTS_PER_REQUEST} connections. */
  grant(): void;
}

/**
 * Bounds how many connections undici opens through a proxy per request sent. When a proxy drops the tunnel before
 * the request is written (it closes the connection on CONNECT, answers it with an interim 1xx, or follows its 200
 * with bytes of its own), undici takes it for a kept-alive connection closed under it and connects again at once,
 * with no end and no pause, even after the request is aborted: thousands of CONNECTs a second at the proxy. With
 * this budget, an attempt past the ones granted fails instead; undici then fails the requests waiting for that
 * connection, and the SDK reports a network error (retried after its backoff, or spooled).
 *
 * @param undici the loaded undici module
 * @example
 * ```ts
 * const budget = tunnelBudget(undici);
 * const dispatcher = new undici.EnvHttpProxyAgent({ ...settings, factory: budget.factory });
 * budget.grant(); // before each request
 * ```
 */
export function tunnelBudget(undici: PoolMaker): TunnelBudget {
  let left = 0;
  // Why the last connection failed, for the message of the attempt refused after it.
  let lastFailure = "";
  const spend =
    (connect: Connector): Connector =>
    (options, callback) => {
      if (left <= 0) {
        const reason = lastFailure === "" ? "" : ` (last: ${lastFailure})`;
        callback(new Error(`the proxy dropped the connection before the request was sent${reason}`), null);
        return;
      }
      left--;
      connect(options, (error, socket) => {
        if (error) lastFailure = error.message;
        callback(error, socket);
      });
    };
  return {
    factory(origin, options) {
      const connect =
        typeof options.connect === "function" ? spend(options.connect as Connector) : options.connect;
      const pool =
        options.connections === 1
          ? new undici.Client(origin, { ...options, connect })
          : new undici.Pool(origin, { ...options, connect });
      pool.on("disconnect", (_origin: unknown, _targets: unknown, error: Error | undefined) => {
        if (error?.message) lastFailure = error.message;
      });
      return pool;
    },
    grant() {
      left = Math.min(left + ATTEMPTS_PER_REQUEST, MAX_SAVED_ATTEMPTS);
    },
  };
}
