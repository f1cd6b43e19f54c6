import {
  errorFromResponse,
  FlashdutyAbortError,
  FlashdutyNetworkError,
  FlashdutyTimeoutError,
  FlashdutyValidationError,
} from "@flash-call/errors";
import { describe, expect, it } from "vitest";
import { failureScope, isUncodedRefusal } from "./failure-scope.js";

const body = (code: string, message: string) => ({ request_id: "r", error: { code, message } });

describe("failureScope", () => {
  it("puts failures about the key, the account or the destination under destination", () => {
    for (const [status, code] of [
      [401, "Unauthorized"],
      [403, "AccessDenied"],
      [404, "RouteNotFound"],
      [400, "ResourceNotFound"],
      [400, "NoLicense"],
      [400, "InvalidContentType"],
      [400, "MethodNotAllowed"],
    ] as const) {
      expect(failureScope(errorFromResponse(status, body(code, "no"))), code).toBe("destination");
    }
    expect(failureScope(errorFromResponse(404, "<html>not found</html>"))).toBe("destination");
    expect(failureScope(errorFromResponse(302, ""))).toBe("destination");
    expect(failureScope({ code: "Redirected", retryable: false, status: 302 })).toBe("destination");
    expect(failureScope(new FlashdutyNetworkError("down"))).toBe("destination");
    expect(failureScope(new FlashdutyTimeoutError("slow", { timeoutMs: 1 }))).toBe("destination");
  });

  it("takes a 413 (a body too large for a proxy or Flashduty) as about the event, so the spool behind it goes on", () => {
    expect(
      failureScope(errorFromResponse(413, "<html><title>413 Request Entity Too Large</title></html>")),
    ).toBe("event");
    expect(failureScope(errorFromResponse(413, ""))).toBe("event");
  });

  it("reads Flashduty's 'invalid integration key' as about the key, not the event", () => {
    expect(failureScope(errorFromResponse(400, body("InvalidParameter", "invalid integration key")))).toBe(
      "destination",
    );
    expect(
      failureScope(errorFromResponse(400, body("InvalidParameter", "integration_key is required"))),
    ).toBe("destination");
  });

  it("puts only refusals of the event's own content under event", () => {
    expect(failureScope(errorFromResponse(400, body("InvalidParameter", "title_rule is blank")))).toBe(
      "event",
    );
    expect(failureScope(errorFromResponse(400, "bad request"))).toBe("event");
    expect(failureScope(new FlashdutyValidationError("bad", { issues: [] }))).toBe("event");
  });

  it("tells a 400 without Flashduty's code (something on the way answered) from Flashduty's own refusals", () => {
    expect(isUncodedRefusal(errorFromResponse(400, "<html>400 Bad Request</html>"))).toBe(true);
    expect(isUncodedRefusal(errorFromResponse(400, body("InvalidParameter", "title_rule is blank")))).toBe(
      false,
    );
    expect(isUncodedRefusal(errorFromResponse(413, "too large"))).toBe(false);
    expect(isUncodedRefusal({ code: "HTTP_400" })).toBe(false);
    expect(isUncodedRefusal(undefined)).toBe(false);
  });

  it("puts Flashduty busy or failing under transient", () => {
    expect(failureScope(errorFromResponse(429, body("RequestTooFrequently", "slow down")))).toBe("transient");
    expect(failureScope(errorFromResponse(500, body("InternalError", "oops")))).toBe("transient");
    expect(failureScope(errorFromResponse(503, "<html>busy</html>"))).toBe("transient");
  });

  it("never sets aside on a guess: anything unknown is destination", () => {
    expect(failureScope(errorFromResponse(418, "teapot"))).toBe("destination");
    expect(failureScope(new FlashdutyAbortError())).toBe("destination");
    expect(failureScope(new Error("boom"))).toBe("destination");
    expect(failureScope(undefined)).toBe("destination");
    expect(failureScope("InvalidParameter")).toBe("destination");
  });
});
