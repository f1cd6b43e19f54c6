/**
 * The most bytes of request bodies the mock server holds while they are still arriving, all requests together
 * (64 MiB). One body may be up to `MAX_REQUEST_BODY_BYTES` (4 MiB), so without a total, a client opening many
 * connections and never finishing its bodies (a slow or hostile one) would make the server hold 4 MiB per
 * connection until Node's request timeout (300 s): 100 connections held 460 MB. A body that would pass it is
 * answered `503` with `Retry-After`, as a load balancer short of room would; the SDK retries such an answer.
 *
 * @example
 * ```ts
 * const budget = new BodyBudget(MAX_PENDING_BODY_BYTES);
 * ```
 */
export const MAX_PENDING_BODY_BYTES = 64 * 1024 * 1024;

/** Thrown while reading a body that would take the server past its {@link BodyBudget}: nothing more of it is read. */
export class ServerBusy extends Error {
  constructor(limit: number) {
    super(`the server holds ${limit} bytes of request bodies still arriving`);
    this.name = "ServerBusy";
  }
}

/**
 * The bytes of request bodies a server holds while they arrive, all requests together, up to `limit`.
 *
 * @example
 * ```ts
 * const budget = new BodyBudget(1024);
 * budget.take(1000); // true
 * budget.take(100); // false: nothing taken
 * budget.give(1000);
 * ```
 */
export class BodyBudget {
  #used = 0;

  /** @param limit the most bytes held at once @default MAX_PENDING_BODY_BYTES */
  constructor(readonly limit: number = MAX_PENDING_BODY_BYTES) {}

  /** Bytes held now. */
  get used(): number {
    return this.#used;
  }

  /** Takes `bytes`, or nothing and false when that would pass the limit. */
  take(bytes: number): boolean {
    if (this.#used + bytes > this.limit) return false;
    this.#used += bytes;
    return true;
  }

  /** Gives back `bytes` taken before. */
  give(bytes: number): void {
    this.#used -= bytes;
  }
}
