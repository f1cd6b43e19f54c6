import { describe, expect, it } from "vitest";
import { endpointOf, inCliWords, secretFlagWarnings } from "./cli-wording.js";

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

  it("names the change integration's variables in a change command's configuration error", () => {
    const report = { code: "ConfigError", message: "timeoutMs must be a whole number", retryable: false };
    const worded = inCliWords(report, "change");
    expect(worded.hint).toContain("FLASHDUTY_CHANGE_INTEGRATION_KEY or FLASHDUTY_CHANGE_PUSH_URL");
    expect(worded.hint).not.toContain("FLASHDUTY_INTEGRATION_KEY");
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

describe("secretFlagWarnings", () => {
  it("names the variable of the integration the command sends to", () => {
    const given = { key: "k", "push-url": "u" };
    expect(secretFlagWarnings(given, endpointOf("push"))).toEqual([
      expect.stringMatching(/^--key shows in the process list.*set FLASHDUTY_INTEGRATION_KEY in/),
      expect.stringMatching(/^--push-url contains the key.*prefer FLASHDUTY_PUSH_URL in/),
    ]);
    for (const command of ["change", "deploy"] as const) {
      const [key, pushUrl] = secretFlagWarnings(given, endpointOf(command));
      expect(key).toContain("set FLASHDUTY_CHANGE_INTEGRATION_KEY in the environment");
      expect(pushUrl).toContain("prefer FLASHDUTY_CHANGE_PUSH_URL in the environment");
    }
    expect(endpointOf("flush")).toBe("alert");
    expect(secretFlagWarnings({}, "change")).toEqual([]);
  });
});
