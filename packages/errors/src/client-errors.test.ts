import { describe, expect, test } from "vitest";
import {
  FlashdutyAbortError,
  FlashdutyConfigError,
  FlashdutyNetworkError,
  FlashdutyTimeoutError,
  FlashdutyValidationError,
} from "./client-errors.js";
import { FlashdutyError } from "./flashduty-error.js";

describe("client-side errors", () => {
  test.each([
    [new FlashdutyConfigError("no key"), "ConfigError", false, "FlashdutyConfigError"],
    [new FlashdutyNetworkError(), "NetworkError", true, "FlashdutyNetworkError"],
    [new FlashdutyTimeoutError(), "Timeout", true, "FlashdutyTimeoutError"],
    [new FlashdutyAbortError(), "Aborted", false, "FlashdutyAbortError"],
    [new FlashdutyValidationError([]), "ValidationError", false, "FlashdutyValidationError"],
  ])("%s has code %s, retryable %s and name %s", (error, code, retryable, name) => {
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.name).toBe(name);
    expect(FlashdutyError.isInstance(error)).toBe(true);
    expect(error.status).toBeUndefined();
  });

  test("a validation error lists every issue", () => {
    const error = new FlashdutyValidationError([
      { path: "title_rule", message: "must not be empty" },
      { path: "labels.1x", message: "is not a valid label name" },
    ]);
    expect(error.message).toBe(
      "Invalid alert event (2 issues): title_rule: must not be empty; labels.1x: is not a valid label name",
    );
    expect(error.issues).toHaveLength(2);
  });

  test("a validation error's message names the first 20 issues and counts the rest; issues keeps them all", () => {
    const issues = Array.from({ length: 100_000 }, (_, index) => ({
      path: `labels.l${index}`,
      message: "object cannot be a label value",
    }));
    const error = new FlashdutyValidationError(issues);
    expect(error.message.startsWith("Invalid alert event (100000 issues): labels.l0: ")).toBe(true);
    expect(
      error.message.endsWith("labels.l19: object cannot be a label value; and 99980 more (see issues)"),
    ).toBe(true);
    expect(error.message.length).toBeLessThan(2000);
    expect(error.issues).toHaveLength(100_000);
  });

  test("a validation error takes a message and issues", () => {
    const issues = [{ path: "event_time", message: "looks like milliseconds" }];
    const error = new FlashdutyValidationError("Bad event", { issues });
    expect(error.message).toBe("Bad event");
    expect(error.issues).toEqual(issues);
    expect(error.issues).not.toBe(issues);
  });

  test("a network error builds its message from the cause", () => {
    const cause = new TypeError("fetch failed");
    const error = new FlashdutyNetworkError(undefined, { cause });
    expect(error.message).toBe("Could not reach Flashduty: fetch failed");
    expect(error.cause).toBe(cause);
    expect(new FlashdutyNetworkError("custom").message).toBe("custom");
  });

  test("a network error for an answer cut short carries the status that came, and is still retryable", () => {
    const error = new FlashdutyNetworkError("Flashduty's answer (HTTP 200) was cut short", { status: 200 });
    expect([error.code, error.status, error.retryable]).toEqual(["NetworkError", 200, true]);
    expect(error.toJSON()).toMatchObject({ code: "NetworkError", status: 200, retryable: true });
    expect(new FlashdutyNetworkError().status).toBeUndefined();
  });

  test("a network error never repeats a key from its cause", () => {
    const cause = new TypeError("connect ECONNREFUSED https://h/event?integration_key=s3cr3t");
    const error = new FlashdutyNetworkError(undefined, { cause });
    expect(error.message).toBe(
      "Could not reach Flashduty: connect ECONNREFUSED https://h/event?integration_key=***",
    );
    expect(String(error.cause)).not.toContain("s3cr3t");
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  test("a timeout names its limit", () => {
    expect(new FlashdutyTimeoutError(undefined, { timeoutMs: 1500 }).message).toBe(
      "Flashduty did not answer within 1500 ms",
    );
    expect(new FlashdutyTimeoutError().message).toBe("Flashduty did not answer in time");
  });

  test("an abort keeps the signal's reason as cause", () => {
    const reason = new DOMException("stop", "AbortError");
    const error = new FlashdutyAbortError(undefined, { cause: reason });
    expect(error.message).toBe("The push was aborted before it was sent");
    expect(error.cause).toBe(reason);
  });

  test("an abort says whether an attempt had been sent, and so whether Flashduty may have received the push", () => {
    expect(new FlashdutyAbortError().sent).toBe(false);
    const sent = new FlashdutyAbortError(undefined, { sent: true });
    expect(sent).toMatchObject({ sent: true, retryable: false, code: "Aborted" });
    expect(sent.message).toBe("The push was aborted before Flashduty answered; it may have arrived");
    // Plain JavaScript's anything: only `true` says sent.
    expect(new FlashdutyAbortError(undefined, { sent: "yes" as never }).sent).toBe(false);
  });
});
