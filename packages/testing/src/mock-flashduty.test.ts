import { DEFAULT_BASE_URL, PUSH_PATH } from "@flash-call/core";
import { ERROR_CODE_LIST, ERROR_STATUS } from "@flash-call/core/constants";
import { maskKey } from "@flash-call/errors";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { createMockFlashduty } from "./mock-flashduty.js";

const KEY = "0123456789abcdef0123456789abcdef";
const PUSH_URL = `${DEFAULT_BASE_URL}${PUSH_PATH}?integration_key=${KEY}`;
const event = { title_rule: "disk full", event_status: "Critical" };

const mock = createMockFlashduty({ rateLimit: { perSecond: 5 } });
const anywhere = createMockFlashduty({ baseUrl: "*" });
const prefixed = createMockFlashduty({ baseUrl: "http://gateway.test/flashduty/" });
const server = setupServer(...mock.handlers, ...prefixed.handlers, ...anywhere.handlers);

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  mock.reset();
  anywhere.reset();
  prefixed.reset();
});
afterAll(() => server.close());

function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = { "content-type": "application/json" },
) {
  return fetch(url, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

describe("createMockFlashduty (msw)", () => {
  test("answers pushes to the default base URL and records them", async () => {
    const response = await post(PUSH_URL, { ...event, labels: { host: "db-1" } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { request_id: string; data: { alert_key: string } };
    expect(body.data.alert_key).toMatch(/^[0-9A-Za-z]{22}$/);
    expect(mock.events).toMatchObject([
      { ...event, alert_key: body.data.alert_key, integration: maskKey(KEY) },
    ]);
    expect(mock.alerts.get(body.data.alert_key)?.status).toBe("open");
    expect(anywhere.events).toEqual([]);
    expect(JSON.stringify([mock.events, mock.requests])).not.toContain(KEY);
  });

  test("every natural error through msw", async () => {
    const cases: [Promise<Response>, number, string][] = [
      [fetch(PUSH_URL), 400, "MethodNotAllowed"],
      [fetch(`${DEFAULT_BASE_URL}/v1/unknown`), 404, "RouteNotFound"],
      [post(PUSH_URL, event, { "content-type": "text/plain" }), 400, "InvalidContentType"],
      [post(`${DEFAULT_BASE_URL}${PUSH_PATH}`, event), 400, "InvalidParameter"],
      [post(PUSH_URL, { ...event, images: "none" }), 400, "InvalidParameter"],
    ];
    for (const [pending, status, code] of cases) {
      const response = await pending;
      const body = (await response.json()) as { request_id: string; error: { code: string } };
      expect([response.status, body.error.code]).toEqual([status, code]);
      expect(body.request_id).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  test("truncates and discards like the server", async () => {
    await post(PUSH_URL, {
      ...event,
      title_rule: "x".repeat(700),
      images: [{ src: "s".repeat(257) }, { src: "https://example.com/a.png" }],
    });
    expect(mock.events[0]?.title_rule).toHaveLength(512);
    expect(mock.events[0]?.images).toEqual([{ src: "https://example.com/a.png" }]);
  });

  test("rate limit (configured 5 per second)", async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 6; index++) statuses.push((await post(PUSH_URL, event)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  test.each(ERROR_CODE_LIST)("failNext(%s) through msw", async (code) => {
    mock.failNext(code);
    const response = await post(PUSH_URL, event);
    expect(response.status).toBe(ERROR_STATUS[code]);
    expect(await response.json()).toMatchObject({ error: { code } });
  });

  test("reset: fetch rejects with a network error", async () => {
    mock.failNext({ kind: "reset" });
    await expect(post(PUSH_URL, event)).rejects.toThrow(TypeError);
    expect(mock.requests[0]).toMatchObject({ status: 0, fault: "reset" });
  });

  test("delay, html, truncated and error-in-200 through msw", async () => {
    mock.failNext([
      { kind: "delay", ms: 50 },
      { kind: "html" },
      { kind: "truncated" },
      { kind: "error-in-200" },
    ]);
    expect((await post(PUSH_URL, event)).status).toBe(200);
    const html = await post(PUSH_URL, event);
    expect([html.status, html.headers.get("content-type")]).toEqual([502, "text/html"]);
    await expect((await post(PUSH_URL, event)).json()).rejects.toThrow(SyntaxError);
    const errorIn200 = await post(PUSH_URL, event);
    expect(errorIn200.status).toBe(200);
    expect(await errorIn200.json()).toMatchObject({ error: { code: "InternalError" } });
    expect(mock.events).toHaveLength(1);
  });

  test("cut-body and stalled-body through msw: the body's read fails part way, or waits for the client", async () => {
    mock.failNext([{ kind: "cut-body" }, { kind: "stalled-body" }]);
    const cut = await post(PUSH_URL, event);
    expect(cut.status).toBe(200);
    await expect(cut.text()).rejects.toThrow();
    const controller = new AbortController();
    const stalled = await fetch(PUSH_URL, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(event),
      signal: controller.signal,
    });
    const reader = (stalled.body as ReadableStream<Uint8Array>).getReader();
    expect((await reader.read()).done).toBe(false);
    const rest = reader.read();
    controller.abort();
    await expect(rest).rejects.toThrow();
    expect(mock.requests.map((request) => [request.status, request.fault])).toEqual([
      [200, "cut-body"],
      [200, "stalled-body"],
    ]);
    expect(mock.events).toEqual([]);
  });

  test('baseUrl "*" answers the push path on any origin', async () => {
    const response = await post(`http://127.0.0.1:9/some/prefix${PUSH_PATH}?integration_key=${KEY}`, event);
    expect(response.status).toBe(200);
    expect(anywhere.events).toHaveLength(1);
    expect(mock.events).toEqual([]);
  });

  test("a base URL with a path prefix answers under that prefix only", async () => {
    expect(
      (await post(`http://gateway.test/flashduty${PUSH_PATH}?integration_key=${KEY}`, event)).status,
    ).toBe(200);
    expect(prefixed.events).toHaveLength(1);
    const elsewhere = await fetch(`http://gateway.test/flashduty/other?integration_key=${KEY}`);
    expect(elsewhere.status).toBe(404);
  });

  test("handle() works as a fetch replacement without msw", async () => {
    const standalone = createMockFlashduty();
    const response = await standalone.handle(
      new Request(PUSH_URL, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(event),
      }),
    );
    expect(response.status).toBe(200);
    expect(standalone.events).toHaveLength(1);
  });
});
