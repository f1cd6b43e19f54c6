// The fault matrix of the change path: every fault the mock can inject, at each position in a retry sequence,
// through `change`: the right typed error or a delivery, after the right number of attempts, as for alerts.
// The attempt timeout is an injected clock (held-timers), as in fault-matrix.test.ts: no row depends on speed.

import { FlashdutyError } from "@flash-call/errors";
import { describe, expect, test } from "vitest";
import { createFlashCall } from "../src/flash-call.js";
import { expectFaultOutcome, FAULTS, matrixFixture, matrixOptions } from "./fault-cases.js";

const MAX_RETRIES = 2;
/** An attempt timeout that nothing else uses, so the test's clock can hold exactly these timers. */
const TIMEOUT_MS = 987_653;
const CASES = FAULTS.flatMap(([name, fault, code, retryable]) =>
  Array.from({ length: MAX_RETRIES + 1 }, (_, index) => ({
    name,
    fault,
    code,
    retryable,
    position: index + 1,
  })),
);

const fixture = matrixFixture(TIMEOUT_MS);

describe("fault matrix through change", () => {
  test.each(CASES)("$name at attempt $position", async ({ fault, code, retryable, position }) => {
    let attempts = 0;
    const flashduty = createFlashCall({
      changePushUrl: fixture.mock.changePushUrl,
      ...matrixOptions(fixture.timers, TIMEOUT_MS, MAX_RETRIES, () => void attempts++),
    });
    fixture.mock.failNext([...Array.from({ length: position - 1 }, () => "InternalError" as const), fault]);
    const change = {
      title: `matrix ${code} ${position}`,
      change_status: "Processing" as const,
      change_key: "m-1",
    };
    const outcome = await flashduty.change(change).then(
      (result) => ({ delivered: result.request_id }),
      (error: unknown) => ({ error }),
    );
    expectFaultOutcome(outcome, attempts, { code, retryable, position }, MAX_RETRIES);
    if ("delivered" in outcome) expect(fixture.mock.changes.get("m-1")?.events).toHaveLength(1);
    await flashduty.close();
  });
});

test("an answer without request_id is no acceptance of a change", async () => {
  const flashduty = createFlashCall({
    changePushUrl: fixture.mock.changePushUrl,
    maxRetries: 0,
    logLevel: "silent",
  });
  fixture.mock.failNext({
    kind: "status",
    status: 200,
    body: "{}",
    headers: { "content-type": "application/json" },
  });
  const error = await flashduty
    .change({ title: "t", change_status: "Done", change_key: "k" })
    .catch((thrown: unknown) => thrown as FlashdutyError);
  expect(FlashdutyError.isInstance(error)).toBe(true);
});
