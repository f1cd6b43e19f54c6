// The faults both fault matrices (alerts and changes) drive through the SDK, shared so that each row is written once.
import { FlashdutyError } from "@flash-call/errors";
import type { Fault } from "@flash-call/testing";
import { expect } from "vitest";
import { NO_ANSWER } from "../../../test-support/held-timers.js";

/** Each fault, the code it surfaces as, and whether a retry can get past it. */
export const FAULTS: [name: string, fault: Fault, code: string, retryable: boolean][] = [
  ["InvalidParameter", "InvalidParameter", "InvalidParameter", false],
  ["InvalidContentType", "InvalidContentType", "InvalidContentType", false],
  ["MethodNotAllowed", "MethodNotAllowed", "MethodNotAllowed", false],
  ["Unauthorized", "Unauthorized", "Unauthorized", false],
  ["AccessDenied", "AccessDenied", "AccessDenied", false],
  ["RouteNotFound", "RouteNotFound", "RouteNotFound", false],
  ["ResourceNotFound", "ResourceNotFound", "ResourceNotFound", false],
  ["NoLicense", "NoLicense", "NoLicense", false],
  [
    "RequestTooFrequently",
    { kind: "error", code: "RequestTooFrequently", retryAfter: 0 },
    "RequestTooFrequently",
    true,
  ],
  ["InternalError", "InternalError", "InternalError", true],
  ["reset", { kind: "reset" }, "NetworkError", true],
  ["no answer within the timeout", NO_ANSWER, "Timeout", true],
  ["HTML 502", { kind: "html", status: 502 }, "HTTP_502", true],
  ["empty 503", { kind: "status", status: 503 }, "HTTP_503", true],
  ["408", { kind: "status", status: 408 }, "HTTP_408", true],
  ["truncated 200", { kind: "truncated" }, "HTTP_200", true],
  ["200 carrying an error", { kind: "error-in-200", code: "InternalError" }, "InternalError", true],
  ["200 carrying Unauthorized", { kind: "error-in-200", code: "Unauthorized" }, "Unauthorized", false],
];

/** One row of a fault matrix: the fault's code, whether a retry gets past it, and at which attempt it comes. */
export interface FaultRow {
  code: string;
  retryable: boolean;
  position: number;
}

/**
 * Checks the outcome of one row: a delivery after `position + 1` attempts when a retry gets past the fault and
 * retries remain, else the fault's typed error after `position` attempts.
 *
 * @example
 * expectFaultOutcome(outcome, attempts, row, MAX_RETRIES);
 */
export function expectFaultOutcome(
  outcome: { delivered: string } | { error: unknown },
  attempts: number,
  { code, retryable, position }: FaultRow,
  maxRetries: number,
): void {
  if (retryable && position <= maxRetries) {
    expect(outcome).toEqual({ delivered: expect.any(String) });
    expect(attempts).toBe(position + 1);
    return;
  }
  expect("error" in outcome).toBe(true);
  const error = (outcome as { error: FlashdutyError }).error;
  expect(FlashdutyError.isInstance(error)).toBe(true);
  expect(error.code).toBe(code);
  expect(error.retryable).toBe(retryable);
  expect(attempts).toBe(position);
}
