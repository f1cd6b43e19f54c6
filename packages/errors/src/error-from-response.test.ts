import { ERROR_CODE_LIST } from "@flash-call/core/constants";
import { describe, expect, test } from "vitest";
import { EXPECTED_CLASSES } from "../test/expected-classes.js";
import {
  FlashdutyApiError,
  InternalServerError,
  RequestTooFrequentlyError,
  UnauthorizedError,
} from "./api-errors.js";
import { ERROR_CODES } from "./error-codes.js";
import { errorFromResponse } from "./error-from-response.js";
import { registerSecret } from "./secret-registry.js";

const CLASSES = EXPECTED_CLASSES;

function failure(code: string, message = "server says no") {
  return { request_id: "req-42", error: { code, message } };
}

describe.each(ERROR_CODE_LIST)("documented code %s", (code) => {
  const { status, retryable, hint } = ERROR_CODES[code];

  test("maps a parsed body to its class, code, status, requestId and retryable", () => {
    const error = errorFromResponse(status, failure(code));
    expect(error).toBeInstanceOf(CLASSES[code]);
    expect(error).toMatchObject({ code, status, requestId: "req-42", retryable, name: CLASSES[code].kind });
  });

  test("maps the raw JSON text the same way", () => {
    const error = errorFromResponse(status, JSON.stringify(failure(code)));
    expect(error).toBeInstanceOf(CLASSES[code]);
    expect(error).toMatchObject({ code, status, requestId: "req-42" });
  });

  test("writes a message with status, code, server message, hint and request_id", () => {
    const verb = status >= 500 ? "failed to process" : "rejected";
    expect(errorFromResponse(status, failure(code)).message).toBe(
      `Flashduty ${verb} the push (${status} ${code}): server says no. ${hint} request_id=req-42`,
    );
  });

  test("maps by code even when carried by a 200", () => {
    const error = errorFromResponse(200, failure(code));
    expect(error).toBeInstanceOf(CLASSES[code]);
    expect(error).toMatchObject({ code, status: 200, retryable });
  });
});

test("the example message of the issue", () => {
  const error = errorFromResponse(401, {
    request_id: "0a1b2c",
    error: { code: "Unauthorized", message: "invalid integration key" },
  });
  expect(error.message).toBe(
    "Flashduty rejected the push (401 Unauthorized): invalid integration key. Check the integration key or the push URL. request_id=0a1b2c",
  );
});

describe("odd bodies", () => {
  test("HTML 502 from a proxy", () => {
    const html =
      "<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>";
    const error = errorFromResponse(502, html);
    expect(error).toBeInstanceOf(FlashdutyApiError);
    expect(error.constructor).toBe(FlashdutyApiError);
    expect(error).toMatchObject({ code: "HTTP_502", status: 502, retryable: true });
    expect(error.requestId).toBeUndefined();
    expect(error.message).toBe(
      'Flashduty answered HTTP 502 with an HTML page ("502 Bad Gateway") instead of JSON, probably from a proxy or load balancer. Flashduty, or a proxy or load balancer in front of it, failed: retry with backoff.',
    );
    expect(error.body).toBe(html);
  });

  test("HTML without a title", () => {
    const error = errorFromResponse(503, "<!doctype html><p>down</p>");
    expect(error).toMatchObject({ code: "HTTP_503", retryable: true });
    expect(error.message).toContain("with an HTML page instead of JSON");
  });

  test("HTML with a status that names a code picks that class but keeps the HTTP code", () => {
    const error = errorFromResponse(429, "<html><title>Too Many</title></html>", { "Retry-After": "7" });
    expect(error).toBeInstanceOf(RequestTooFrequentlyError);
    expect(error).toMatchObject({ code: "HTTP_429", status: 429, retryable: true, retryAfterMs: 7000 });
  });

  test.each([
    ["", "empty string"],
    ["   \n", "whitespace"],
    [undefined, "undefined"],
    [null, "null"],
  ])("empty body (%j, %s)", (body, _label) => {
    const error = errorFromResponse(504, body);
    expect(error).toMatchObject({ code: "HTTP_504", status: 504, retryable: true });
    expect(error.message).toBe(
      "Flashduty answered HTTP 504 with an empty body. Flashduty, or a proxy or load balancer in front of it, failed: retry with backoff.",
    );
  });

  test("empty 401 still maps to UnauthorizedError", () => {
    const error = errorFromResponse(401, undefined);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).toMatchObject({ code: "HTTP_401", retryable: false });
    expect(error.message).toContain("Check the integration key or the push URL.");
  });

  test("truncated JSON", () => {
    const error = errorFromResponse(500, '{"request_id":"r9","error":{"code":"Inter');
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ code: "HTTP_500", status: 500, retryable: true });
    expect(error.message).toContain("truncated or malformed JSON");
  });

  test("plain text", () => {
    const error = errorFromResponse(400, "upstream said: bad things");
    expect(error.constructor).toBe(FlashdutyApiError);
    expect(error).toMatchObject({ code: "HTTP_400", retryable: false });
    expect(error.message).toBe(
      "Flashduty answered HTTP 400 with a non-JSON body: upstream said: bad things. Check the event and the push URL.",
    );
  });

  test("a JSON value that is not an object", () => {
    expect(errorFromResponse(500, 42)).toMatchObject({ code: "HTTP_500" });
    expect(errorFromResponse(500, "[1,2]")).toMatchObject({ code: "HTTP_500" });
    expect(errorFromResponse(500, '"oops"').message).toContain("non-JSON body: oops");
  });

  test("JSON without an error code keeps its message and request_id", () => {
    const error = errorFromResponse(500, { request_id: "r1", message: "gateway exploded" });
    expect(error).toMatchObject({ code: "HTTP_500", requestId: "r1" });
    expect(error.message).toContain("without an error code: gateway exploded.");
    expect(error.message).toMatch(/request_id=r1$/);
  });

  test("an error that is a bare string", () => {
    const error = errorFromResponse(400, { error: "bad" });
    expect(error).toMatchObject({ code: "HTTP_400" });
    expect(error.message).toContain(": bad.");
  });

  test("an error without a message", () => {
    const error = errorFromResponse(403, { request_id: "r", error: { code: "AccessDenied" } });
    expect(error.message).toMatch(/^Flashduty rejected the push \(403 AccessDenied\)\. The key/);
  });

  test("an unknown code falls back to the status for its class", () => {
    const unknown = errorFromResponse(418, failure("Teapot"));
    expect(unknown.constructor).toBe(FlashdutyApiError);
    expect(unknown).toMatchObject({ code: "Teapot", status: 418, retryable: false, requestId: "req-42" });
    expect(unknown.message).toContain("Check the event and the push URL.");
    const limited = errorFromResponse(429, failure("SlowDown"));
    expect(limited).toBeInstanceOf(RequestTooFrequentlyError);
    expect(limited).toMatchObject({ code: "SlowDown", retryable: true });
  });

  test("a code that names an Object.prototype member is just unknown", () => {
    const error = errorFromResponse(400, failure("constructor"));
    expect(error.constructor).toBe(FlashdutyApiError);
    expect(error.code).toBe("constructor");
  });

  test("a numeric request_id is kept as text", () => {
    expect(errorFromResponse(500, { request_id: 123, error: { code: "InternalError" } }).requestId).toBe(
      "123",
    );
  });

  test("a long server message is cut", () => {
    const error = errorFromResponse(400, failure("InvalidParameter", "x".repeat(5000)));
    expect(error.message.length).toBeLessThan(700);
  });
});

describe("headers", () => {
  test("Retry-After seconds on a 429", () => {
    const error = errorFromResponse(
      429,
      failure("RequestTooFrequently"),
      new Headers({ "Retry-After": "2", "Content-Type": "application/json" }),
    );
    expect(error).toBeInstanceOf(RequestTooFrequentlyError);
    expect(error.retryAfterMs).toBe(2000);
  });

  test("retry-after-ms on a 503", () => {
    expect(errorFromResponse(503, "", { "retry-after-ms": "250" }).retryAfterMs).toBe(250);
  });

  test("no Retry-After means no retryAfterMs", () => {
    expect(
      errorFromResponse(429, failure("RequestTooFrequently"), new Headers()).retryAfterMs,
    ).toBeUndefined();
  });

  test("x-request-id when the body has none", () => {
    const error = errorFromResponse(502, "<html></html>", new Headers({ "X-Request-Id": "hdr-1" }));
    expect(error.requestId).toBe("hdr-1");
    expect(error.message).toMatch(/request_id=hdr-1$/);
    expect(errorFromResponse(400, failure("InvalidParameter"), { "x-request-id": "hdr" }).requestId).toBe(
      "req-42",
    );
  });
});

describe("never throws", () => {
  /** Every field of the error can be read and rendered. */
  function expectUsable(error: FlashdutyApiError): void {
    expect(error).toBeInstanceOf(FlashdutyApiError);
    expect(typeof error.message).toBe("string");
    expect(typeof error.code).toBe("string");
    expect(() => JSON.stringify(error)).not.toThrow();
    expect(() => String(error.stack)).not.toThrow();
  }

  test("an array whose element has a toString that is not a function", () => {
    const error = errorFromResponse(500, '[{"toString":0}]');
    expectUsable(error);
    expect(error).toMatchObject({ code: "HTTP_500", status: 500 });
    expect(error.message).toContain('non-JSON body: [{"toString":0}]');
    expectUsable(errorFromResponse(500, [{ toString: 0 }]));
    expectUsable(errorFromResponse(500, { error: [{ toString: 0, valueOf: 0 }] }));
  });

  test.each([Number.NaN, 0, 99, 1000, -1, 1.5, Number.POSITIVE_INFINITY])("status %s", (status) => {
    const error = errorFromResponse(status, { error: { code: "X" } });
    expectUsable(error);
    expect(error.status === undefined || Number.isSafeInteger(error.status)).toBe(true);
  });

  test("statuses cast from other types", () => {
    expect(errorFromResponse("502" as unknown as number, "").status).toBe(502);
    for (const status of [undefined, null, "abc", {}, Symbol("s"), 10n] as unknown[]) {
      const error = errorFromResponse(status as number, "x");
      expectUsable(error);
      expect(error.status).toBeUndefined();
      expect(error.code).toBe("HTTP_unknown");
    }
  });

  test("hostile bodies: throwing getters, Proxies, null prototypes, BigInt, symbols, cycles, huge strings", () => {
    const throwing = Object.defineProperty({}, "error", {
      enumerable: true,
      get() {
        throw new Error("getter");
      },
    });
    const trap = new Proxy(
      {},
      {
        get() {
          throw new Error("trap");
        },
        ownKeys() {
          throw new Error("trap");
        },
        getPrototypeOf() {
          throw new Error("trap");
        },
      },
    );
    const { proxy: revoked, revoke } = Proxy.revocable({}, {});
    revoke();
    const cyclic: Record<string, unknown> = { error: { code: "InvalidParameter" } };
    cyclic.self = cyclic;
    (cyclic.error as Record<string, unknown>).message = cyclic;
    const bare = Object.assign(Object.create(null), {
      error: Object.assign(Object.create(null), { code: "C" }),
    });
    for (const body of [
      throwing,
      trap,
      revoked,
      cyclic,
      bare,
      10n,
      { request_id: 10n, error: { code: 10n, message: Symbol("m") } },
      Symbol("body"),
      [Symbol("x")],
      () => 1,
      "x".repeat(5_000_000),
      `[${"[".repeat(100_000)}`,
    ]) {
      expectUsable(errorFromResponse(400, body));
    }
    expect(errorFromResponse(400, bare).code).toBe("C");
  });

  test("hostile headers: a throwing get, non-string values, a Proxy", () => {
    const throwingGet = {
      get() {
        throw new Error("get");
      },
    } as unknown as Headers;
    const numberGet = { get: () => 42 } as unknown as Headers;
    const trap = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error("trap");
        },
      },
    );
    for (const headers of [throwingGet, numberGet, trap, { "retry-after": 5 }, { "x-request-id": {} }]) {
      const error = errorFromResponse(429, "", headers as Record<string, string>);
      expectUsable(error);
      expect(error.retryAfterMs).toBeUndefined();
    }
  });
});

describe("redirects", () => {
  test.each([301, 302, 303, 307, 308])(
    "%i is a non-retryable Redirected error naming only the origin",
    (status) => {
      const error = errorFromResponse(status, undefined, {
        location:
          "https://elsewhere.example:8443/event/push/alert/standard?integration_key=secret-in-location#frag",
      });
      expect(error).toBeInstanceOf(FlashdutyApiError);
      expect(error).toMatchObject({ code: "Redirected", status, retryable: false });
      expect(error.message).toContain("https://elsewhere.example:8443");
      expect(error.message).toContain("Check the base URL or the push URL");
      expect(error.message).not.toContain("secret-in-location");
      expect(error.message).not.toContain("/event/push");
    },
  );

  test("a browser's opaque redirect (status 0, no headers) and a relative Location", () => {
    const opaque = errorFromResponse(0, undefined, undefined, { redirected: true });
    expect(opaque).toMatchObject({ code: "Redirected", status: 0, retryable: false });
    expect(opaque.message).toMatch(/^Flashduty answered a redirect/);
    const relative = errorFromResponse(302, "", { location: "/elsewhere?integration_key=x" });
    expect(relative.message).toContain("another path on the same host");
  });
});

test("a cut body is said to be cut", () => {
  const error = errorFromResponse(502, "<html>", undefined, { bodyCutAtBytes: 64 * 1024 });
  expect(error.message).toContain("The body was cut at 64 KiB");
});

describe("serverMessage: Flashduty's own words", () => {
  test("is error.message of a JSON answer, apart from the composed message, and in toJSON()", () => {
    const error = errorFromResponse(400, {
      request_id: "r-1",
      error: { code: "InvalidParameter", message: "labels.host: too long" },
    });
    expect(error.serverMessage).toBe("labels.host: too long");
    expect(error.message).not.toBe(error.serverMessage);
    expect(error.toJSON()).toMatchObject({ serverMessage: "labels.host: too long" });
  });

  test("is undefined when the answer said nothing itself (a proxy's HTML page, an empty body)", () => {
    expect(errorFromResponse(502, "<html><title>Bad Gateway</title></html>").serverMessage).toBeUndefined();
    expect(errorFromResponse(503, "").serverMessage).toBeUndefined();
  });

  test("is redacted and cut like every excerpt", () => {
    const key = "server-message-key-0f9e8d7c6b5a";
    registerSecret(key);
    const error = errorFromResponse(401, {
      error: { code: "Unauthorized", message: `bad key ${key} ${"x".repeat(2000)}` },
    });
    expect(error.serverMessage).not.toContain(key.slice(0, 8));
    expect(error.serverMessage?.length).toBeLessThanOrEqual(501);
  });
});
