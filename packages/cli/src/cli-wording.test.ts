import { describe, expect, it } from "vitest";
import { inCliWords } from "./cli-wording.js";

describe("inCliWords", () => {
  it("names flags instead of SDK options in a configuration error, with a hint in the CLI's terms", () => {
    const worded = inCliWords({
      code: "ConfigError",
      message: "timeoutMs must be a whole number, 1 or more; got 0.",
      hint: "call setKey()",
      retryable: false,
    });
    expect(worded.message).toBe("--timeout must be a whole number, 1 or more; got 0.");
    expect(worded.hint).not.toMatch(/setKey|integrationKey/);
    expect(worded.hint).toContain("FLASHDUTY_INTEGRATION_KEY");
  });

  it("gives code advice in a validation error as a shell user follows it", () => {
    const message =
      "1714564800000 looks like milliseconds; Flashduty takes seconds: pass Math.floor(ms / 1000) or a Date";
    const worded = inCliWords({
      code: "ValidationError",
      message: `event_time: ${message}`,
      retryable: false,
      issues: [{ path: "event_time", message }],
    });
    expect(worded.issues?.[0]?.message).toBe(
      "1714564800000 looks like milliseconds; Flashduty takes seconds: divide by 1000 (date +%s gives seconds)",
    );
    expect(worded.message).not.toContain("Math.floor");
  });

  it("leaves other errors as they are", () => {
    const report = { code: "Unauthorized", message: "baseUrl of integrationKey", retryable: false };
    expect(inCliWords(report)).toBe(report);
  });
});
