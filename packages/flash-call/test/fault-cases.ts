// The faults both fault matrices (alerts and changes) drive through the SDK, shared so that each row is written once.
import { FlashdutyError } from "@flash-call/errors";
import { type Fault, type MockServer, startMockServer } from "@flash-call/testing";
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";
import {
  fetchWithNoAnswer,
  type HeldTimers,
  holdTimers,
  NO_ANSWER,
} from "../../../test-support/held-timers.js";
import type { FlashCallOptions } from "../src/options.js";

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
  ["200 cut mid-body", { kind: "cut-body" }, "NetworkError", true],
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

/**
 * The SDK options of a fault-matrix row: `maxRetries` retries, quick backoff, the attempt timeout held by `timers`
 * (only an answer marked NO_ANSWER times out), and `onAttempt` told of each attempt.
 *
 * @example
 * createFlashCall({ pushUrl: mock.pushUrl, ...matrixOptions(timers, TIMEOUT_MS, MAX_RETRIES, () => void attempts++) });
 */
export function matrixOptions(
  timers: HeldTimers,
  timeoutMs: number,
  maxRetries: number,
  onAttempt: () => void,
): FlashCallOptions {
  return {
    maxRetries,
    timeoutMs,
    backoff: { baseMs: 1, maxMs: 5 },
    logLevel: "silent",
    onRequest: onAttempt,
    fetch: fetchWithNoAnswer(timers),
  };
}

/**
 * The fixture of a fault matrix: one mock server for the file, reset before each row, and the attempt timers of
 * `timeoutMs` held for each row (restored after it).
 *
 * @example
 * const fixture = matrixFixture(TIMEOUT_MS);
 * test("…", () => { fixture.mock.failNext("InternalError"); … fixture.timers … });
 */
export function matrixFixture(timeoutMs: number): { readonly mock: MockServer; readonly timers: HeldTimers } {
  let mock: MockServer | undefined;
  let timers: HeldTimers | undefined;
  beforeAll(async () => {
    mock = await startMockServer({ rateLimit: false });
  });
  afterAll(() => mock?.close());
  beforeEach(() => {
    mock?.reset();
    timers = holdTimers(timeoutMs);
  });
  afterEach(() => timers?.restore());
  return {
    get mock() {
      if (mock === undefined) throw new Error("the matrix's mock server is not started yet");
      return mock;
    },
    get timers() {
      if (timers === undefined) throw new Error("the matrix's timers are held only while a row runs");
      return timers;
    },
  };
}
