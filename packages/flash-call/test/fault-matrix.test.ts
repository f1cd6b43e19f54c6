// Every fault the mock can inject, at each position in a retry sequence, through push and through enqueue:
// the right typed error or a delivery, after the right number of attempts.

import { FlashdutyError } from "@flash-call/errors";
import { type Fault, type MockServer, startMockServer } from "@flash-call/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createFlashCall } from "../src/flash-call.js";

const MAX_RETRIES = 2;
const TIMEOUT_MS = 150;

/** Each fault, the code it surfaces as, and whether a retry can get past it. */
const FAULTS: [name: string, fault: Fault, code: string, retryable: boolean][] = [
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
  ["delay past the timeout", { kind: "delay", ms: TIMEOUT_MS * 3 }, "Timeout", true],
  ["HTML 502", { kind: "html", status: 502 }, "HTTP_502", true],
  ["empty 503", { kind: "status", status: 503 }, "HTTP_503", true],
  ["408", { kind: "status", status: 408 }, "HTTP_408", true],
  ["truncated 200", { kind: "truncated" }, "HTTP_200", true],
  ["200 carrying an error", { kind: "error-in-200", code: "InternalError" }, "InternalError", true],
  ["200 carrying Unauthorized", { kind: "error-in-200", code: "Unauthorized" }, "Unauthorized", false],
];
const POSITIONS = Array.from({ length: MAX_RETRIES + 1 }, (_, index) => index + 1);
const CASES = FAULTS.flatMap(([name, fault, code, retryable]) =>
  POSITIONS.map((position) => ({ name, fault, code, retryable, position })),
);

let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer({ rateLimit: false });
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

for (const via of ["push", "enqueue"] as const) {
  describe(`fault matrix through ${via}`, () => {
    test.each(CASES)("$name at attempt $position", async ({ fault, code, retryable, position }) => {
      let attempts = 0;
      const flashduty = createFlashCall({
        pushUrl: mock.pushUrl,
        maxRetries: MAX_RETRIES,
        timeoutMs: TIMEOUT_MS,
        backoff: { baseMs: 1, maxMs: 5 },
        logLevel: "silent",
        onRequest: () => void attempts++,
      });
      // Retryable failures first, then the fault under test.
      mock.failNext([...Array.from({ length: position - 1 }, () => "InternalError" as const), fault]);
      const event = { title_rule: `matrix ${code} ${position}`, event_status: "Warning" as const };
      const outcome = await flashduty[via](event).then(
        (result) => ({ delivered: result.data.alert_key }),
        (error: unknown) => ({ error }),
      );
      const recovers = retryable && position <= MAX_RETRIES;
      if (recovers) {
        expect(outcome).toEqual({ delivered: expect.any(String) });
        expect(attempts).toBe(position + 1);
      } else {
        expect("error" in outcome).toBe(true);
        const error = (outcome as { error: FlashdutyError }).error;
        expect(FlashdutyError.isInstance(error)).toBe(true);
        expect(error.code).toBe(code);
        expect(error.retryable).toBe(retryable);
        expect(attempts).toBe(position);
      }
      await flashduty.close();
    });
  });
}
