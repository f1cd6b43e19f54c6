import { describe, expect, test } from "vitest";
import { attemptFacts } from "./attempt-facts.js";

describe("attemptFacts", () => {
  test("names the status, request_id and rounded duration, leaving out what the attempt did not have", () => {
    expect(attemptFacts({ status: 500, requestId: "abc", durationMs: 7.4 })).toBe(
      "HTTP 500, request_id=abc, 7 ms",
    );
    expect(attemptFacts({ status: 0, durationMs: 12.6 })).toBe("13 ms");
    expect(attemptFacts({ status: undefined, requestId: undefined, durationMs: 0 })).toBe("0 ms");
  });

  test("cuts a server's overlong request_id to an excerpt", () => {
    const facts = attemptFacts({ status: 200, requestId: "r".repeat(10_000), durationMs: 1 });
    expect(facts.length).toBeLessThan(250);
    expect(facts).toContain("…");
  });
});
