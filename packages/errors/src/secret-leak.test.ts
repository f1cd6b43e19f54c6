import { inspect } from "node:util";
import { describe, expect, test } from "vitest";
import { FlashdutyApiError, UnauthorizedError } from "./api-errors.js";
import {
  FlashdutyAbortError,
  FlashdutyConfigError,
  FlashdutyNetworkError,
  FlashdutyTimeoutError,
  FlashdutyValidationError,
} from "./client-errors.js";
import { errorFromResponse } from "./error-from-response.js";
import type { FlashdutyError } from "./flashduty-error.js";
import { registerSecret } from "./secret-registry.js";

/** Recognisable, and changed by URL encoding, so both forms are searched for. */
const KEY = "LEAK-7f3a9c/d+e=0b5e1c2d3e4f5a6b7c8d";
/** Never registered: only its place after `integration_key=` can give it away. */
const UNREGISTERED = "unregistered0b5e1c2d3e4f5a6b7c8d9e";
const FORMS = [KEY, encodeURIComponent(KEY), UNREGISTERED];

const PUSH_URL = `https://api.flashcat.cloud/event/push/alert/standard?integration_key=${encodeURIComponent(KEY)}`;
const RAW_URL = `https://api.flashcat.cloud/event/push/alert/standard?integration_key=${KEY}`;
const UNREGISTERED_URL = `https://api.flashcat.cloud/event/push/alert/standard?integration_key=${UNREGISTERED}`;

registerSecret(KEY);

/** Every way an error can end up in front of a person or in a log. */
function renderings(error: FlashdutyError): string[] {
  const cause = (error as { cause?: unknown }).cause;
  return [
    error.message,
    error.summary,
    String(error.stack),
    String(error),
    error.code,
    String(error.requestId),
    JSON.stringify(error),
    JSON.stringify(error.toJSON()),
    inspect(error),
    inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    String(cause),
    inspect(cause, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    inspect(error instanceof FlashdutyApiError ? error.body : undefined, { depth: Number.POSITIVE_INFINITY }),
  ];
}

function expectNoKey(error: FlashdutyError): void {
  for (const text of renderings(error)) {
    for (const form of FORMS) expect(text).not.toContain(form);
  }
}

const responses: [string, number, unknown, Record<string, string>?][] = [
  [
    "key in the server message",
    400,
    { request_id: "r", error: { code: "InvalidParameter", message: `bad key ${KEY}` } },
  ],
  [
    "encoded key in the server message",
    401,
    { error: { code: "Unauthorized", message: `bad ${encodeURIComponent(KEY)}` } },
  ],
  [
    "push URL in the server message",
    404,
    { error: { code: "RouteNotFound", message: `no route ${PUSH_URL}` } },
  ],
  [
    "raw-key URL in the server message",
    404,
    { error: { code: "RouteNotFound", message: `no route ${RAW_URL}` } },
  ],
  [
    "unregistered key in a URL",
    400,
    { error: { code: "InvalidParameter", message: `see ${UNREGISTERED_URL}` } },
  ],
  ["key as text of a JSON body", 400, JSON.stringify({ error: { code: "InvalidParameter", message: KEY } })],
  ["key as the error code", 400, { error: { code: KEY, message: "m" } }],
  ["key as the request_id", 500, { request_id: KEY, error: { code: "InternalError", message: "m" } }],
  ["key in a 2xx error body", 200, { error: { code: "AccessDenied", message: `key=${KEY}` } }],
  ["key in an HTML page title", 502, `<html><title>${KEY}</title><body>${PUSH_URL}</body></html>`],
  ["key in truncated JSON", 500, `{"error":{"message":"${KEY}`],
  ["key in a text body", 503, `upstream ${RAW_URL} failed`],
  ["key in x-request-id", 502, "", { "x-request-id": KEY }],
  [
    "key deep in the body",
    400,
    { error: { code: "InvalidParameter", details: [{ url: PUSH_URL, key: KEY }] } },
  ],
];

describe("no error ever prints the integration key", () => {
  test.each(responses)("errorFromResponse: %s", (_name, status, body, headers) => {
    expectNoKey(errorFromResponse(status, body, headers));
  });

  test("network error whose cause carries the push URL", () => {
    const cause = new TypeError(`fetch failed for ${PUSH_URL}`);
    expectNoKey(new FlashdutyNetworkError(undefined, { cause }));
    expectNoKey(new FlashdutyNetworkError(`POST ${RAW_URL} failed`, { cause }));
  });

  test("wrapped and nested causes", () => {
    const root = Object.assign(new Error(`socket ${KEY}`), {
      url: PUSH_URL,
      key: KEY,
      request: { headers: [["x", encodeURIComponent(KEY)]], query: { integration_key: KEY } },
    });
    const middle = new TypeError("fetch failed", { cause: root });
    expectNoKey(new FlashdutyNetworkError(undefined, { cause: middle }));
    expectNoKey(
      new FlashdutyTimeoutError(undefined, { cause: new DOMException(`timeout ${RAW_URL}`, "TimeoutError") }),
    );
    expectNoKey(new FlashdutyAbortError(undefined, { cause: `reason ${KEY}` }));
    expectNoKey(new UnauthorizedError("m", { cause: { request: { url: UNREGISTERED_URL } } }));
  });

  test("config and validation errors given the key by mistake", () => {
    expectNoKey(new FlashdutyConfigError(`malformed key ${KEY}`, { cause: new Error(KEY) }));
    expectNoKey(new FlashdutyValidationError([{ path: `labels.${KEY}`, message: `value ${KEY}` }]));
  });

  test("errors built directly with a key in every field", () => {
    expectNoKey(
      new FlashdutyApiError(`m ${KEY}`, {
        code: KEY,
        requestId: KEY,
        body: { key: KEY },
        cause: new Error(KEY),
        summary: `s ${KEY} ${RAW_URL} ${UNREGISTERED_URL}`,
      }),
    );
  });

  test("the scan would catch a leak", () => {
    const leaky = new Error(`x ${encodeURIComponent(KEY)}`);
    expect(FORMS.some((form) => inspect(leaky).includes(form))).toBe(true);
  });
});
