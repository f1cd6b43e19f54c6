import {
  errorFromResponse,
  FlashdutyNetworkError,
  FlashdutyValidationError,
  hintFor,
  UnauthorizedError,
} from "@flash-call/errors";
import { describe, expect, it } from "vitest";
import { formatReport, reportError } from "./error-report.js";
import { UsageError } from "./usage-error.js";

describe("reportError / formatReport", () => {
  it("keeps code, status, request_id and the code's hint", () => {
    const error = new UnauthorizedError("authentication failed", { status: 401, requestId: "r-1" });
    const report = reportError(error);
    expect(report).toMatchObject({ code: "Unauthorized", status: 401, request_id: "r-1", retryable: false });
    expect(report.hint).toMatch(/.+/);
    expect(formatReport(report, "line 3")).toEqual([
      "line 3: Unauthorized (HTTP 401): authentication failed",
      "request_id: r-1",
      `hint: ${report.hint}`,
    ]);
  });

  it("a network error with a status, an answer cut short, gets its status's hint: it did reach Flashduty", () => {
    const cut = reportError(
      new FlashdutyNetworkError("Flashduty's answer (HTTP 200) was cut short", { status: 200 }),
    );
    expect(cut.hint).toBe(hintFor("HTTP_200"));
    expect(cut.hint).toMatch(/may not have landed/);
    const unreached = reportError(new FlashdutyNetworkError());
    expect(unreached.hint).toBe(hintFor("NetworkError"));
  });

  it("a network error whose status no hint knows (an answer with no valid status) keeps the network error's hint", () => {
    const report = reportError(
      new FlashdutyNetworkError("Flashduty's answer had no valid HTTP status (999)", { status: 999 }),
    );
    expect(report.hint).toBe(hintFor("NetworkError"));
    expect(report.hint).toMatch(/.+/);
  });

  it("a code no hint knows, from a real answer, takes its status's hint, as the SDK's message does", () => {
    const error = errorFromResponse(503, { error: { code: "SomethingNew", message: "busy" } });
    expect(error.code).toBe("SomethingNew");
    expect(reportError(error).hint).toBe(hintFor("HTTP_503"));
    expect(error.message).toContain(hintFor("HTTP_503"));
  });

  it("a system error's code is said once, not again at the start of its message", () => {
    const denied = Object.assign(new Error("EACCES: permission denied, open '/spool/x'"), { code: "EACCES" });
    expect(formatReport(reportError(denied))[0]).toBe("EACCES: permission denied, open '/spool/x'");
  });

  it("lists validation issues", () => {
    const error = new FlashdutyValidationError("event is invalid", {
      issues: [{ path: "labels.bad-key", message: "not a valid label name" }],
    });
    const lines = formatReport(reportError(error));
    expect(lines[0]).toMatch(/^ValidationError/);
    expect(lines).toContain("- labels.bad-key: not a valid label name");
  });

  it("points usage errors to --help", () => {
    expect(formatReport(reportError(new UsageError("--title is required", "push")))).toEqual([
      "UsageError: --title is required",
      "hint: run: flash-call push --help",
    ]);
  });

  it("turns anything else into one line without a stack", () => {
    const error = new Error("first\nsecond");
    expect(reportError(error)).toMatchObject({
      code: "Unexpected",
      message: "first second",
      retryable: false,
    });
    expect(reportError("plain")).toMatchObject({ code: "Unexpected", message: "plain" });
    expect(reportError(Object.assign(new Error("denied"), { code: "EACCES" }))).toMatchObject({
      code: "EACCES",
    });
  });

  it("reports anything thrown, even what cannot be read or turned into a string", () => {
    const hostile = {
      get code(): string {
        throw new Error("getter");
      },
      toString(): string {
        throw new Error("toString");
      },
    };
    expect(reportError(hostile)).toMatchObject({ code: "Unexpected", retryable: false });
    expect(reportError(Symbol("x"))).toMatchObject({ code: "Unexpected", message: "Symbol(x)" });
    expect(reportError(Object.create(null))).toMatchObject({ code: "Unexpected", message: "unknown error" });
  });

  it("joins a message's lines in linear time, even across a long run of blanks", () => {
    const report = reportError(new Error(`a${" ".repeat(200_000)}\n${" ".repeat(200_000)}b\r\n\n c`));
    expect(report.message).toBe("a b c");
  });
});

describe("an answer from Flashduty, as the README shows it", () => {
  it("says Flashduty's own message once, then the request_id and the hint on their own lines", () => {
    const error = errorFromResponse(401, {
      request_id: "0f8e1d2c",
      error: { code: "Unauthorized", message: "authentication failed" },
    });
    const lines = formatReport(reportError(error));
    expect(lines[0]).toBe("Unauthorized (HTTP 401): authentication failed");
    expect(lines.slice(1)).toEqual(["request_id: 0f8e1d2c", expect.stringMatching(/^hint: \S/)]);
  });

  it("a proxy's page keeps the SDK's description, without the hint and request_id repeated in it", () => {
    const error = errorFromResponse(502, "<html><title>502 Bad Gateway</title></html>", {
      "x-request-id": "r-9",
    });
    const [first, ...rest] = formatReport(reportError(error));
    expect(first).toContain('an HTML page ("502 Bad Gateway")');
    expect(first).not.toContain("request_id");
    expect(first).not.toContain(rest.at(-1)?.replace(/^hint: /, ""));
    expect(rest).toEqual(["request_id: r-9", expect.stringMatching(/^hint: \S/)]);
  });
});
