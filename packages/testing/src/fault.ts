import type { ErrorCode } from "@flash-call/core";

/**
 * A failure the mock injects instead of (or, for `delay`, before) its normal answer. Queue them with `failNext`;
 * each request takes the next one.
 *
 * - an error code (`"InternalError"`), shorthand for `{ kind: "error", code }`
 * - `{ kind: "error", code, status?, message?, retryAfter? }`: Flashduty's error body; `status` defaults to the
 *   code's documented status; `retryAfter` (seconds or an HTTP date) sets `Retry-After`, default `1` for
 *   `RequestTooFrequently`
 * - `{ kind: "status", status, body?, headers? }`: any status with a raw body (default empty)
 * - `{ kind: "reset" }`: the connection is destroyed without an answer (a network error for the client)
 * - `{ kind: "delay", ms }`: waits, then answers normally
 * - `{ kind: "html", status? }`: a proxy's HTML error page, default 502
 * - `{ kind: "truncated" }`: a 200 whose JSON body is cut half way
 * - `{ kind: "error-in-200", code?, message? }`: status 200 carrying an `error` body, default code `InternalError`
 * - `{ kind: "cut-body" }`: a 200 announcing its whole success body's Content-Length, whose connection dies after
 *   the first half of the body (the client's read of the body fails)
 * - `{ kind: "stalled-body" }`: a 200 announcing its whole success body's Content-Length that sends the first half
 *   and then nothing: only the client's own timeout (or `close()`) ends it
 *
 * @example
 * ```ts
 * mock.failNext(["RequestTooFrequently", { kind: "reset" }, { kind: "cut-body" }]);
 * ```
 */
export type Fault =
  | ErrorCode
  | { kind: "error"; code: string; status?: number; message?: string; retryAfter?: number | string }
  | { kind: "status"; status: number; body?: string; headers?: Record<string, string> }
  | { kind: "reset" }
  | { kind: "delay"; ms: number }
  | { kind: "html"; status?: number }
  | { kind: "truncated" }
  | { kind: "error-in-200"; code?: string; message?: string }
  | { kind: "cut-body" }
  | { kind: "stalled-body" };

/** A {@link Fault} with the error-code shorthand expanded. */
export type NormalizedFault = Exclude<Fault, string>;

/** Expands the error-code shorthand. */
export function normalizeFault(fault: Fault): NormalizedFault {
  return typeof fault === "string" ? { kind: "error", code: fault } : fault;
}

/** A first-in, first-out queue of faults: each request takes at most one. */
export class FaultQueue {
  readonly #pending: NormalizedFault[] = [];

  /** Queues one fault or several, in order. */
  push(faults: Fault | readonly Fault[]): void {
    const list: readonly Fault[] = Array.isArray(faults) ? faults : [faults as Fault];
    for (const fault of list) this.#pending.push(normalizeFault(fault));
  }

  /** Takes the next fault, if any. */
  take(): NormalizedFault | undefined {
    return this.#pending.shift();
  }

  /** How many faults are still queued. */
  get size(): number {
    return this.#pending.length;
  }

  /** Drops every queued fault. */
  clear(): void {
    this.#pending.length = 0;
  }
}
