import { describe, expect, it } from "vitest";
import { type BatchResult, batchExitCode, summarize } from "./batch-result.js";

const error = { code: "X", message: "x", retryable: false };
const results: BatchResult[] = [
  { location: "line 1", ok: true, alert_key: "a", request_id: "r" },
  { location: "line 2", ok: false, outcome: "spooled", error, spooled: "n" },
  { location: "line 3", ok: false, outcome: "invalid", error },
];

describe("batch results", () => {
  it("counts each outcome and exits with the most serious", () => {
    expect(summarize(results)).toEqual({ delivered: 1, invalid: 1, failed: 0, spooled: 1 });
    expect(batchExitCode(results)).toBe(2);
    expect(batchExitCode(results.slice(0, 2))).toBe(3);
    expect(batchExitCode([])).toBe(0);
  });
});
