// Core's client is tested against the mock here: core cannot devDepend on @flash-call/testing without a dependency cycle.
import { type AlertEvent, createClient, DEFAULT_BASE_URL, PUSH_PATH } from "@flash-call/core";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { createMockFlashduty, type MockServer, startMockServer } from "../src/index.js";

const KEY = "core-client-test-key-0001";
const event: AlertEvent = {
  title_rule: "CPU high on db-1",
  event_status: "Warning",
  labels: { host: "db-1" },
};

describe("core's createClient against msw", () => {
  // Created before msw starts listening: createClient must look globalThis.fetch up per call.
  const earlyClient = createClient();
  const mock = createMockFlashduty({ integrationKeys: [KEY] });
  const server = setupServer(...mock.handlers);

  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => mock.reset());
  afterAll(() => server.close());

  test("a client created before msw starts listening still reaches msw", async () => {
    const { data, error, response } = await earlyClient.POST(PUSH_PATH, {
      params: { query: { integration_key: KEY } },
      body: event,
    });
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data?.data.alert_key).toMatch(/^[0-9A-Za-z]{22}$/);
    expect(mock.events).toHaveLength(1);
  });

  test("pushes and resolves an alert; the mock sees both", async () => {
    const client = createClient({ baseUrl: DEFAULT_BASE_URL });
    const fired = await client.POST(PUSH_PATH, { params: { query: { integration_key: KEY } }, body: event });
    const alertKey = fired.data?.data.alert_key ?? "";
    const resolved = await client.POST(PUSH_PATH, {
      params: { query: { integration_key: KEY } },
      body: { ...event, event_status: "Ok", alert_key: alertKey },
    });
    expect(resolved.response.status).toBe(200);
    expect(mock.alerts.get(alertKey)).toMatchObject({ status: "resolved" });
    expect(mock.events.map((received) => received.event_status)).toEqual(["Warning", "Ok"]);
  });

  test("a server error comes back as openapi-fetch's typed error body", async () => {
    mock.failNext({ kind: "error", code: "RequestTooFrequently", retryAfter: 3 });
    const { data, error, response } = await createClient().POST(PUSH_PATH, {
      params: { query: { integration_key: KEY } },
      body: event,
    });
    expect(data).toBeUndefined();
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("3");
    expect(error?.error.code).toBe("RequestTooFrequently");
  });

  test("an unknown key is refused", async () => {
    const { error, response } = await createClient().POST(PUSH_PATH, {
      params: { query: { integration_key: "not-the-key" } },
      body: event,
    });
    expect(response.status).toBe(400);
    expect(error?.error).toEqual({ code: "InvalidParameter", message: "integration_key is not a valid one" });
  });

  test("an explicit fetch is used instead of the global one", async () => {
    const seen: string[] = [];
    const client = createClient({
      fetch: (input, init) => {
        const request = new Request(input, init);
        seen.push(new URL(request.url).pathname);
        return mock.handle(request);
      },
    });
    const { response } = await client.POST(PUSH_PATH, {
      params: { query: { integration_key: KEY } },
      body: event,
    });
    expect(response.status).toBe(200);
    expect(seen).toEqual([PUSH_PATH]);
  });
});

describe("core's createClient against the real mock server", () => {
  let server: MockServer;

  beforeAll(async () => {
    server = await startMockServer();
  });
  afterAll(() => server.close());

  test("pushes over HTTP to 127.0.0.1", async () => {
    const client = createClient({ baseUrl: server.baseUrl });
    const { data, error } = await client.POST(PUSH_PATH, {
      params: { query: { integration_key: server.integrationKey } },
      body: { ...event, alert_key: "db-1-cpu" },
    });
    expect(error).toBeUndefined();
    expect(data).toEqual({
      request_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      data: { alert_key: "db-1-cpu" },
    });
    expect(server.events).toMatchObject([{ title_rule: event.title_rule, alert_key: "db-1-cpu" }]);
  });

  test("validation failures come back as 400 InvalidParameter naming the field", async () => {
    const client = createClient({ baseUrl: server.baseUrl });
    const { error, response } = await client.POST(PUSH_PATH, {
      params: { query: { integration_key: server.integrationKey } },
      body: { title_rule: "t", event_status: "Ok" },
    });
    expect(response.status).toBe(400);
    expect(error?.error.code).toBe("InvalidParameter");
    expect(error?.error.message).toContain("alert_key");
  });

  test("with a plain-object Request option, the fetch gets (url, init) and the push arrives", async () => {
    class PlainRequest {
      readonly url: string;
      constructor(url: string, init: RequestInit) {
        Object.assign(this, init);
        this.url = url;
      }
    }
    const seen: unknown[] = [];
    const client = createClient({
      baseUrl: server.baseUrl,
      Request: PlainRequest as unknown as typeof Request,
      fetch: (input, init) => {
        seen.push(input);
        return fetch(input, init);
      },
    });
    const { data } = await client.POST(PUSH_PATH, {
      params: { query: { integration_key: server.integrationKey } },
      body: { ...event, alert_key: "plain-1" },
    });
    expect(data?.data.alert_key).toBe("plain-1");
    expect(typeof seen[0]).toBe("string");
  });

  test("a custom fetch that rejects foreign Request objects (undici's own) still works", async () => {
    const { fetch: undiciFetch } = await import("undici");
    const client = createClient({ baseUrl: server.baseUrl, fetch: undiciFetch as unknown as typeof fetch });
    const { data } = await client.POST(PUSH_PATH, {
      params: { query: { integration_key: server.integrationKey } },
      body: { ...event, alert_key: "undici-1" },
    });
    expect(data?.data.alert_key).toBe("undici-1");
  });

  test("a connection reset rejects the call", async () => {
    server.failNext({ kind: "reset" });
    const client = createClient({ baseUrl: server.baseUrl });
    await expect(
      client.POST(PUSH_PATH, { params: { query: { integration_key: server.integrationKey } }, body: event }),
    ).rejects.toThrow(TypeError);
  });
});
