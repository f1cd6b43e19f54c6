// Every fault the mock can inject, at each position in a retry sequence, through push and through enqueue:
// the right typed error or a delivery, after the right number of attempts.
//
// No row depends on how fast this machine is. The attempt timeout is an injected clock (held-timers): it never
// fires by itself, so every answer may take as long as it likes, except the answer marked NO_ANSWER, which the
// test's fetch drops (it never comes) while firing that attempt's timeout.

import { describe, expect, test } from "vitest";
import { fetchWithNoAnswer } from "../../../test-support/held-timers.js";
import { createFlashCall } from "../src/flash-call.js";
import { expectFaultOutcome, FAULTS, matrixFixture, matrixOptions } from "./fault-cases.js";

const MAX_RETRIES = 2;
/** An attempt timeout that nothing else uses, so the test's clock can hold exactly these timers. */
const TIMEOUT_MS = 987_654;

const POSITIONS = Array.from({ length: MAX_RETRIES + 1 }, (_, index) => index + 1);
const CASES = FAULTS.flatMap(([name, fault, code, retryable]) =>
  POSITIONS.map((position) => ({ name, fault, code, retryable, position })),
);

const fixture = matrixFixture(TIMEOUT_MS);

for (const via of ["push", "enqueue"] as const) {
  describe(`fault matrix through ${via}`, () => {
    test.each(CASES)("$name at attempt $position", async ({ fault, code, retryable, position }) => {
      let attempts = 0;
      const flashduty = createFlashCall({
        pushUrl: fixture.mock.pushUrl,
        ...matrixOptions(fixture.timers, TIMEOUT_MS, MAX_RETRIES, () => void attempts++),
      });
      // Retryable failures first, then the fault under test.
      fixture.mock.failNext([...Array.from({ length: position - 1 }, () => "InternalError" as const), fault]);
      const event = { title_rule: `matrix ${code} ${position}`, event_status: "Warning" as const };
      const outcome = await flashduty[via](event).then(
        (result) => ({ delivered: result.data.alert_key }),
        (error: unknown) => ({ error }),
      );
      expectFaultOutcome(outcome, attempts, { code, retryable, position }, MAX_RETRIES);
      await flashduty.close();
    });
  });
}

test("a slow answer is an answer: only the test's clock times an attempt out", async () => {
  let attempts = 0;
  const flashduty = createFlashCall({
    pushUrl: fixture.mock.pushUrl,
    maxRetries: 0,
    timeoutMs: TIMEOUT_MS,
    logLevel: "silent",
    onRequest: () => void attempts++,
    fetch: fetchWithNoAnswer(fixture.timers),
  });
  // Slower than the fixed 150 ms timeout this matrix once used: on a loaded machine any answer can be.
  fixture.mock.failNext({ kind: "delay", ms: 400 });
  const result = await flashduty.push({ title_rule: "slow", event_status: "Info" });
  expect(result.data.alert_key).toEqual(expect.any(String));
  expect(attempts).toBe(1);
  await flashduty.close();
});
