import { createClient, PUSH_PATH } from "@flash-call/core";
import { ERROR_CODE_LIST } from "@flash-call/core/constants";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { EXPECTED_CLASSES } from "../test/expected-classes.js";
import { FlashdutyApiError, InternalServerError, InvalidParameterError } from "./api-errors.js";
import { ERROR_CODES } from "./error-codes.js";
import { errorFromResponse } from "./error-from-response.js";

const BASE_URL = "http://127.0.0.1:9";
const PUSH_URL = `${BASE_URL}${PUSH_PATH}`;
const KEY = "core-client-test-key-0123456789abcdef";
const EVENT = { title_rule: "disk full on db-1", event_status: "Critical" } as const;

const CLASSES = EXPECTED_CLASSES;

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** Pushes through core the way the SDK does and turns the failure into an error. */
async function pushAndFail(parseAs: "json" | "text" = "json"): Promise<FlashdutyApiError> {
  const client = createClient({ baseUrl: BASE_URL });
  const { data, error, response } = await client.POST(PUSH_PATH, {
    params: { query: { integration_key: KEY } },
    body: EVENT,
    parseAs,
  });
  return errorFromResponse(response.status, error ?? data, response.headers);
}

function expectNoKey(error: FlashdutyApiError): void {
  expect(JSON.stringify(error) + error.message + String(error.stack)).not.toContain(KEY);
}

describe.each(ERROR_CODE_LIST)("core client against a server answering %s", (code) => {
  const { status, retryable } = ERROR_CODES[code];

  test("maps class, code, status and requestId", async () => {
    server.use(
      http.post(PUSH_URL, () =>
        HttpResponse.json(
          { request_id: `req-${code}`, error: { code, message: `${code} from the server` } },
          { status, headers: code === "RequestTooFrequently" ? { "Retry-After": "3" } : {} },
        ),
      ),
    );
    const error = await pushAndFail();
    expect(error).toBeInstanceOf(CLASSES[code]);
    expect(CLASSES[code].isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code, status, requestId: `req-${code}`, retryable });
    expect(error.message).toContain(`(${status} ${code}): ${code} from the server.`);
    if (code === "RequestTooFrequently") expect(error.retryAfterMs).toBe(3000);
    expectNoKey(error);
  });
});

describe("core client against odd answers", () => {
  test("a 200 carrying error", async () => {
    server.use(
      http.post(PUSH_URL, () =>
        HttpResponse.json({
          request_id: "req-200",
          error: { code: "InvalidParameter", message: "bad title" },
        }),
      ),
    );
    const error = await pushAndFail();
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect(error).toMatchObject({
      code: "InvalidParameter",
      status: 200,
      requestId: "req-200",
      retryable: false,
    });
  });

  test("an HTML 502 from a proxy", async () => {
    server.use(
      http.post(PUSH_URL, () =>
        HttpResponse.html("<html><title>502 Bad Gateway</title></html>", { status: 502 }),
      ),
    );
    const error = await pushAndFail();
    expect(error.constructor).toBe(FlashdutyApiError);
    expect(error).toMatchObject({ code: "HTTP_502", status: 502, retryable: true });
    expect(error.requestId).toBeUndefined();
    expect(error.message).toContain('HTML page ("502 Bad Gateway")');
  });

  test("an empty 503 with Retry-After", async () => {
    server.use(
      http.post(PUSH_URL, () => new HttpResponse(null, { status: 503, headers: { "Retry-After": "1" } })),
    );
    const error = await pushAndFail();
    expect(error).toMatchObject({ code: "HTTP_503", status: 503, retryable: true, retryAfterMs: 1000 });
    expect(error.message).toContain("empty body");
  });

  test("truncated JSON on a 500", async () => {
    server.use(
      http.post(
        PUSH_URL,
        () =>
          new HttpResponse('{"request_id":"r","error":{"co', {
            status: 500,
            headers: { "Content-Type": "application/json" },
          }),
      ),
    );
    const error = await pushAndFail();
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ code: "HTTP_500", status: 500, retryable: true });
  });

  test("truncated JSON on a 200, read as text", async () => {
    server.use(
      http.post(
        PUSH_URL,
        () =>
          new HttpResponse('{"request_id":"r","data":{"al', {
            headers: { "Content-Type": "application/json" },
          }),
      ),
    );
    const error = await pushAndFail("text");
    expect(error).toMatchObject({ code: "HTTP_200", status: 200, retryable: true });
    expect(error.message).toContain("truncated or malformed JSON");
  });

  test("an unknown code keeps the body's code and the request_id", async () => {
    server.use(
      http.post(PUSH_URL, () =>
        HttpResponse.json(
          { request_id: "req-new", error: { code: "BrandNewCode", message: "?" } },
          { status: 400 },
        ),
      ),
    );
    const error = await pushAndFail();
    expect(error.constructor).toBe(FlashdutyApiError);
    expect(error).toMatchObject({
      code: "BrandNewCode",
      status: 400,
      requestId: "req-new",
      retryable: false,
    });
  });
});
