import type { ErrorCode } from "@flash-call/core";
import { FlashdutyConfigError, kindOf } from "@flash-call/errors";

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

/** Every fault kind, as `failNext` accepts them. */
const FAULT_KINDS: readonly NormalizedFault["kind"][] = [
  "error",
  "status",
  "reset",
  "delay",
  "html",
  "truncated",
  "error-in-200",
  "cut-body",
  "stalled-body",
];

const isStatus = (value: unknown) =>
  Number.isInteger(value) && (value as number) >= 100 && (value as number) <= 599;

/** What is wrong with a fault of a known kind, or undefined when nothing is. */
function faultProblem(fault: NormalizedFault): string | undefined {
  const fields = fault as { code?: unknown; status?: unknown; ms?: unknown };
  if (fault.kind === "error" && typeof fields.code !== "string")
    return "an error fault needs a code (a string)";
  if (fault.kind === "status" && !isStatus(fields.status))
    return "a status fault needs a status from 100 to 599";
  if (fault.kind === "html" && fields.status !== undefined && !isStatus(fields.status))
    return "an html fault's status must be from 100 to 599";
  if (fault.kind === "delay" && !(Number.isFinite(fields.ms) && (fields.ms as number) >= 0))
    return "a delay fault needs ms, a finite number of milliseconds, 0 or more";
  return undefined;
}

/**
 * Expands the error-code shorthand, and refuses what is not a fault: a mistyped kind or a missing field would
 * otherwise surface later as a puzzling answer to the request that takes it, not at the `failNext` that queued it.
 *
 * @throws FlashdutyConfigError naming what is wrong and the kinds there are
 * @example
 * ```ts
 * normalizeFault("InternalError"); // { kind: "error", code: "InternalError" }
 * ```
 */
export function normalizeFault(fault: Fault): NormalizedFault {
  if (typeof fault === "string") return { kind: "error", code: fault };
  const kind = typeof fault === "object" && fault !== null ? (fault as { kind?: unknown }).kind : undefined;
  if (!FAULT_KINDS.includes(kind as NormalizedFault["kind"])) {
    const given = typeof kind === "string" ? `the kind ${JSON.stringify(kind.slice(0, 40))}` : kindOf(fault);
    throw new FlashdutyConfigError(
      `failNext: ${given} is not a fault: give an error code, or an object whose kind is one of ${FAULT_KINDS.join(", ")}.`,
    );
  }
  const problem = faultProblem(fault);
  if (problem !== undefined) throw new FlashdutyConfigError(`failNext: ${problem}.`);
  return fault;
}

/** A first-in, first-out queue of faults: each request takes at most one. */
export class FaultQueue {
  readonly #pending: NormalizedFault[] = [];

  /** Queues one fault or several, in order. */
  push(faults: Fault | readonly Fault[]): void {
    const list: readonly Fault[] = Array.isArray(faults) ? faults : [faults as Fault];
    // Each checked before any is queued: a batch with a bad fault in it is refused whole.
    const normalized = list.map(normalizeFault);
    for (const fault of normalized) this.#pending.push(fault);
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
